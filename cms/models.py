from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.models import Ward

from .blocks import BodyBlock, LinkBlock


class HomePage(Page):
    """The site's root page: what the platform is, and the way in for each kind of user."""

    hero_title = models.CharField(_("hero title"), max_length=80)
    hero_lead = models.TextField(_("hero lead"), blank=True)
    hero_links = StreamField(
        [("link", LinkBlock())], verbose_name=_("hero buttons"), blank=True, max_num=3
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_lead"),
        FieldPanel("hero_links"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_title"),
        index.SearchField("hero_lead"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.StandardPage", "cms.BoardPage", "contests.ContestIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from contests.filters import open_contests

        context["wards"] = Ward.objects.all()
        # Contests one can still enter or build for, the soonest deadline first.
        context["open_contests"] = open_contests(limit=3)
        return context


class StandardPage(Page):
    """A page of text: guides, FAQs, the terms of use, the privacy policy."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class BoardPage(Page):
    """The matching board: open tasks with filters, sorting and pagination.

    The tasks belong to marketplace; this page only reads them (marketplace.filters).
    """

    intro = models.TextField(_("introduction"), blank=True)
    per_page = models.PositiveSmallIntegerField(_("tasks per page"), default=20)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("per_page")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("board page")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from marketplace.filters import TaskFilter, board_queryset

        context = super().get_context(request, *args, **kwargs)
        filterset = TaskFilter(request.GET or None, queryset=board_queryset())
        paginator = Paginator(filterset.qs, self.per_page or 20)
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update({"filter": filterset, "page_obj": page_obj})
        return context
