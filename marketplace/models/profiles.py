from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from ..validators import validate_volunteer_hours


class WorkStyle(models.TextChoices):
    REMOTE = "remote", _("Remote")
    ONSITE = "onsite", _("On site")
    EITHER = "either", _("Remote or on site")

    @classmethod
    def remote_ok(cls) -> list[str]:
        """The styles that take remote work: one rule for the board, search and profiles."""
        return [cls.REMOTE, cls.EITHER]


class SkillLevel(models.IntegerChoices):
    LEARNING = 1, _("Learning")
    EXPERIENCED = 2, _("Experienced")
    PROFESSIONAL = 3, _("Professional")


LANGUAGE_CHOICES = [
    ("ja", _("Japanese")),
    ("en", _("English")),
    ("zh", _("Chinese")),
    ("ko", _("Korean")),
    ("vi", _("Vietnamese")),
    ("ne", _("Nepali")),
    ("other", _("Other")),
]


class ResidentProfile(models.Model):
    """A resident's skills profile. Private by default.

    Organizations find it only while its owner has the "profile_discoverable" consent
    (accounts.ConsentPurpose); contact details are never part of it: they are the user's
    e-mail address, shown to the other side only after a match.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resident_profile"
    )
    home_ward = models.ForeignKey(
        "core.Ward", on_delete=models.PROTECT, related_name="+", verbose_name=_("ward you live in")
    )
    work_ward = models.ForeignKey(
        "core.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ward you work or study in"),
        help_text=_("Optional."),
    )
    headline = models.CharField(
        _("headline"), max_length=80, help_text=_("For example: Web designer, 10 years in IT.")
    )
    bio = models.TextField(_("about you"), max_length=2000, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week you can give"), default=2, validators=[validate_volunteer_hours]
    )
    available_weekdays = models.BooleanField(_("weekday daytime"), default=False)
    available_evenings = models.BooleanField(_("weekday evenings"), default=True)
    available_weekends = models.BooleanField(_("weekends"), default=True)
    work_style = models.CharField(
        _("how you can help"), max_length=8, choices=WorkStyle.choices, default=WorkStyle.EITHER
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    portfolio_links = models.JSONField(_("portfolio links"), default=list, blank=True)
    tags = TaggableManager(_("other skills (tags)"), blank=True, related_name="resident_profiles")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    skills = models.ManyToManyField(
        "marketplace.SkillCategory", through="ResidentSkill", related_name="residents"
    )

    class Meta:
        verbose_name = _("resident profile")
        verbose_name_plural = _("resident profiles")
        # The residents' list and the residents suggested for a task (recommendations)
        # walk the most recently updated first.
        indexes = [models.Index(fields=["-updated_at", "-id"], name="profile_updated")]

    def __str__(self) -> str:
        return f"{self.user} ({self.home_ward})"

    def get_languages_display(self) -> list[str]:
        labels = dict(LANGUAGE_CHOICES)
        return [str(labels.get(code, code)) for code in self.languages]


class ResidentSkill(models.Model):
    profile = models.ForeignKey(
        ResidentProfile, on_delete=models.CASCADE, related_name="skill_levels"
    )
    category = models.ForeignKey(
        "marketplace.SkillCategory", on_delete=models.CASCADE, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=SkillLevel.choices, default=SkillLevel.EXPERIENCED
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "category"], name="unique_resident_skill")
        ]
        ordering = ["-level", "category__sort_order"]

    def __str__(self) -> str:
        return f"{self.category} ({self.get_level_display()})"
