"""Synonyms in the Wagtail admin: editors and moderators keep the words residents use
for the same thing (permissions granted to their groups by search's migrations)."""

from django.utils.translation import gettext_lazy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = gettext_lazy("Search synonyms")
    add_to_admin_menu = True
    menu_order = 290
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]
    # Synonym is not in Wagtail's own search index: the listing searches the database.
    search_backend_name = None
    copy_view_enabled = False
    ordering = ["id"]


register_snippet(SynonymViewSet)
