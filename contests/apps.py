from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Civic tech contests")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
