from django.conf import settings
from django.db import models


class StudyCircle(models.Model):
    """A residents' study circle (勉強会): public ones are searchable; members chat."""

    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    ward = models.ForeignKey("core.Ward", on_delete=models.PROTECT, related_name="+")
    public = models.BooleanField(default=True)
    closed = models.BooleanField(default=False)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    def __str__(self) -> str:
        return self.name
