"""Contests: the page an organizer runs a シビックテック・チャレンジ from.

A contest is a Wagtail page (editors and the ward's organizers write it in the admin),
under the one contest index page. Its phases follow Tokyo's own open-data hackathon.
Every time is stored in UTC and shown in Asia/Tokyo with its offset (core.japan_time).

The contest's state is never stored: it is read off the clock (`state_at`), and the
index filters on the same boundaries in SQL (`ContestState.q`), so the two cannot
disagree.
"""

from itertools import pairwise

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.models import Ward

from ..admin_forms import ContestPageForm
from ..blocks import ContestBodyBlock


def end_of_minute(moment):
    """A deadline that reads 23:59 lasts until 23:59:59.999999: the admin's date-time
    field has no seconds, and a person who reads "23:59" expects the whole minute."""
    if moment is None:
        return None
    return moment.replace(second=59, microsecond=999999)


class Theme(models.Model):
    """What a contest is about: 放置自転車対策, 子育て情報の一元化, バリアフリーマップ…"""

    name = models.CharField(_("name"), max_length=60, unique=True)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contest theme")
        verbose_name_plural = _("contest themes")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        from django.utils import translation

        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class ContestState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    ENTRY_OPEN = "entry_open", _("Entry open")
    BUILDING = "building", _("Building")
    JUDGING = "judging", _("Judging")
    FINISHED = "finished", _("Finished")

    @classmethod
    def q(cls, state: str, now=None) -> Q:
        """The contests in `state` at `now`, as a filter (the same boundaries as state_at)."""
        now = now or timezone.now()
        return {
            cls.UPCOMING: Q(entry_opens_at__gt=now),
            cls.ENTRY_OPEN: Q(entry_opens_at__lte=now, entry_closes_at__gt=now),
            cls.BUILDING: Q(entry_closes_at__lte=now, submission_deadline__gte=now),
            cls.JUDGING: Q(submission_deadline__lt=now, results_at__gt=now),
            cls.FINISHED: Q(results_at__lte=now),
        }[state]


class EligibilityArea(models.TextChoices):
    ANYONE = "anyone", _("Anyone")
    WARDS = "wards", _("People who live, work or study in the 23 wards")
    WARD = "ward", _("People who live, work or study in this ward only")


# The phases of the timeline, in order: (field, label). Optional ones may be empty.
PHASES = [
    ("announced_at", _("Announcement")),
    ("entry_opens_at", _("Entry opens")),
    ("entry_closes_at", _("Entry closes")),
    ("building_starts_at", _("Building starts")),
    ("submission_deadline", _("Submission deadline")),
    ("screening_at", _("First screening")),
    ("final_presentation_at", _("Final presentation")),
    ("results_at", _("Results")),
    ("support_ends_at", _("Implementation support until")),
]


class ContestIndexPage(Page):
    """シビックテック・チャレンジ: every contest, by state, with filters."""

    intro = models.TextField(_("introduction"), blank=True)
    per_page = models.PositiveSmallIntegerField(_("contests per page"), default=12)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("per_page")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["contests.ContestPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contest index page")

    def permissions_for_user(self, user):
        from ..admin_forms import ContestIndexPermissionTester

        return ContestIndexPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from ..filters import ContestFilter, index_queryset, with_team_counts

        context = super().get_context(request, *args, **kwargs)
        filterset = ContestFilter(request.GET or None, queryset=index_queryset(self))
        page_obj = Paginator(filterset.qs, self.per_page or 12).get_page(request.GET.get("page"))
        page_obj.object_list = with_team_counts(page_obj.object_list)
        context.update({"filter": filterset, "page_obj": page_obj, "now": timezone.now()})
        return context


class ContestPage(Page):
    """One contest: what it asks, who may enter, the prizes and the timeline."""

    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="+", verbose_name=_("ward")
    )
    summary = models.TextField(_("summary"), max_length=400)
    body = StreamField(ContestBodyBlock(), verbose_name=_("body"), blank=True)
    themes = ParentalManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    eligibility_area = models.CharField(
        _("who may enter"),
        max_length=10,
        choices=EligibilityArea.choices,
        default=EligibilityArea.WARDS,
    )
    asks_student = models.BooleanField(
        _("ask whether entrants are students"),
        default=False,
        help_text=_("For a student category or a prize for students."),
    )
    eligibility = models.TextField(
        _("eligibility, in words"),
        blank=True,
        help_text=_("Anything else an entrant should know before entering."),
    )
    rules = RichTextField(
        _("rules"), blank=True, features=["bold", "italic", "link", "ol", "ul", "h3"]
    )
    team_size_max = models.PositiveSmallIntegerField(
        _("largest team"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Members with an account; contributors credited by name do not count."),
    )

    announced_at = models.DateTimeField(_("announcement"), null=True, blank=True)
    entry_opens_at = models.DateTimeField(_("entry opens"))
    entry_closes_at = models.DateTimeField(_("entry closes"))
    building_starts_at = models.DateTimeField(_("building starts"), null=True, blank=True)
    submission_deadline = models.DateTimeField(
        _("submission deadline"),
        help_text=_("Entries are accepted until the end of this minute, Japan time."),
    )
    screening_at = models.DateTimeField(_("first screening"), null=True, blank=True)
    final_presentation_at = models.DateTimeField(_("final presentation"), null=True, blank=True)
    results_at = models.DateTimeField(_("results"))
    support_ends_at = models.DateTimeField(_("implementation support until"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("ward"),
        FieldPanel("summary"),
        FieldPanel("themes"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("eligibility_area"),
                FieldPanel("asks_student"),
                FieldPanel("eligibility"),
                FieldPanel("team_size_max"),
            ],
            heading=_("Who may enter"),
        ),
        FieldPanel("rules"),
        InlinePanel("prizes", heading=_("Prizes"), label=_("Prize")),
        MultiFieldPanel(
            [
                FieldPanel("announced_at"),
                FieldRowPanel([FieldPanel("entry_opens_at"), FieldPanel("entry_closes_at")]),
                FieldPanel("building_starts_at"),
                FieldPanel("submission_deadline"),
                FieldRowPanel([FieldPanel("screening_at"), FieldPanel("final_presentation_at")]),
                FieldRowPanel([FieldPanel("results_at"), FieldPanel("support_ends_at")]),
            ],
            heading=_("Timeline (Japan time)"),
        ),
        InlinePanel("dataset_links", heading=_("Open datasets"), label=_("Dataset")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["contests.ContestIndexPage"]
    subpage_types: list[str] = []
    base_form_class = ContestPageForm

    class Meta:
        verbose_name = _("contest page")

    def permissions_for_user(self, user):
        """Wagtail's page permissions, narrowed to the contests of the person's wards
        (policy contests.edit_contest)."""
        from ..admin_forms import ContestPagePermissionTester

        return ContestPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from ..page_context import contest_context

        context = super().get_context(request, *args, **kwargs)
        context.update(contest_context(self, request))
        return context

    # --- The clock ---------------------------------------------------------------------

    def clean(self):
        super().clean()
        self.submission_deadline = end_of_minute(self.submission_deadline)
        errors = {}
        order = [(name, getattr(self, name)) for name, _label in PHASES if getattr(self, name)]
        labels = dict(PHASES)
        for (earlier, first), (later, second) in pairwise(order):
            if second < first:
                errors.setdefault(
                    later,
                    _("%(later)s cannot come before %(earlier)s.")
                    % {"later": labels[later], "earlier": labels[earlier]},
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.submission_deadline = end_of_minute(self.submission_deadline)
        super().save(*args, **kwargs)

    def state_at(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.entry_opens_at:
            return ContestState.UPCOMING
        if now < self.entry_closes_at:
            return ContestState.ENTRY_OPEN
        if now <= self.submission_deadline:
            return ContestState.BUILDING
        if now < self.results_at:
            return ContestState.JUDGING
        return ContestState.FINISHED

    @property
    def state(self) -> str:
        return self.state_at()

    def get_state_display(self) -> str:
        return ContestState(self.state).label

    def phases(self, now=None) -> list[dict]:
        """The timeline, in order, each phase marked past, current or future."""
        now = now or timezone.now()
        moments = [(name, label, getattr(self, name)) for name, label in PHASES]
        moments = [(name, label, at) for name, label, at in moments if at is not None]
        current = None
        for name, _label, at in moments:
            if at <= now:
                current = name
        return [
            {
                "key": name,
                "label": label,
                "at": at,
                "past": at <= now and name != current,
                "current": name == current,
            }
            for name, label, at in moments
        ]

    def next_deadline(self, now=None) -> tuple[str, object] | None:
        """(label, moment) of the next thing to be done in time, for the countdown."""
        now = now or timezone.now()
        for name, label in (
            ("entry_opens_at", _("Entry opens")),
            ("entry_closes_at", _("Entry closes")),
            ("submission_deadline", _("Submission deadline")),
            ("results_at", _("Results")),
        ):
            at = getattr(self, name)
            if at is not None and now < at:
                return label, at
        return None

    @property
    def canonical(self) -> "ContestPage":
        """The page teams and submissions belong to: the one in the default language
        (an English translation shows the same teams)."""
        from wagtail.models import Locale

        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self
        return self.get_translation_or_none(default) or self

    def total_prize_money(self) -> int:
        return sum(prize.amount * prize.winners for prize in self.prizes.all())


class Prize(Orderable):
    contest = ParentalKey(ContestPage, on_delete=models.CASCADE, related_name="prizes")
    name = models.CharField(_("name"), max_length=80)
    # Yen has no minor unit: whole yen, never a float.
    amount = models.PositiveIntegerField(
        _("amount (yen)"), validators=[MaxValueValidator(100_000_000)]
    )
    winners = models.PositiveSmallIntegerField(
        _("number of winners"), default=1, validators=[MinValueValidator(1)]
    )
    audience = models.BooleanField(
        _("decided by the audience vote"),
        default=False,
        help_text=_("オーディエンス賞: the entries with the most audience votes win it."),
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("winners")]),
        FieldPanel("audience"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")

    def __str__(self) -> str:
        return self.name


class ContestDataset(Orderable):
    """An open dataset the organizer suggests for this contest."""

    contest = ParentalKey(ContestPage, on_delete=models.CASCADE, related_name="dataset_links")
    dataset = models.ForeignKey(
        "contests.Dataset",
        on_delete=models.CASCADE,
        related_name="contest_links",
        verbose_name=_("dataset"),
    )

    panels = [FieldPanel("dataset")]

    class Meta(Orderable.Meta):
        verbose_name = _("contest dataset")
        constraints = [
            models.UniqueConstraint(fields=["contest", "dataset"], name="unique_contest_dataset")
        ]
