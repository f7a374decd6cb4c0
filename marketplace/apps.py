from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Matching board")

    def ready(self):
        from . import receivers  # noqa: F401 - consent and activation changes reindex profiles
