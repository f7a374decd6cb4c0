from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from . import synonyms, vocabulary
        from .models import Synonym

        def changed(**kwargs):
            # After commit: a process that rebuilt before it would keep the old groups.
            transaction.on_commit(synonyms.changed)
            transaction.on_commit(vocabulary.learn_synonyms)
            transaction.on_commit(_push_to_backend)

        def _push_to_backend():
            # Elasticsearch keeps the groups in a synonyms set of its own (its search
            # analyser's synonym_graph); the embedded backend reads them per query.
            from .backends.base import get_backend

            push = getattr(get_backend(), "push_synonyms", None)
            if push is not None:
                push()

        post_save.connect(changed, sender=Synonym, weak=False, dispatch_uid="search.synonyms.saved")
        post_delete.connect(
            changed, sender=Synonym, weak=False, dispatch_uid="search.synonyms.deleted"
        )
