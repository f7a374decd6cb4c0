from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Ward(models.Model):
    """One of Tokyo's 23 special wards (特別区), loaded from core/data/wards.csv."""

    code = models.CharField(
        _("local government code"),
        max_length=6,
        unique=True,
        help_text=_("全国地方公共団体コード: six digits including the check digit."),
    )
    name_ja = models.CharField(_("name (Japanese)"), max_length=20, unique=True)
    name_kana = models.CharField(_("name (kana)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language; Japanese unless English is active."""
        if (get_language() or "ja").startswith("en"):
            return f"{self.name_en} City"
        return self.name_ja


class ActivityLog(models.Model):
    """An append-only record of who changed what, written by the services.

    Services log every state change they make (a consent withdrawn, a task published,
    a match confirmed) so moderators can answer "who did this, and when".
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
