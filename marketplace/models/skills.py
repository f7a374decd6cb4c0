from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SkillCategory(models.Model):
    """One entry of the skills taxonomy (Web制作, SNS運用, …), loaded by a migration.

    Tasks name the categories they need; residents name theirs with a level. Free tags
    (taggit) sit beside it for anything finer.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ja").startswith("en") else self.name_ja
