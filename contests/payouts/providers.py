"""The payout providers: one interface, registered like pretix's payment providers.

A contest offers a list of them (PayoutSettings.providers); each winner picks one that
suits them. The manual provider pays by the ward's own bank transfer (a 全銀 file);
the Stripe provider transfers to the winner's connected account.
"""

from abc import ABC, abstractmethod

from django.utils.translation import gettext_lazy as _

from core.providers import Provider, ProviderRegistry


class PayoutProvider(Provider, ABC):
    # What the winner reads when choosing.
    description = ""
    # Whether payments leave in a bank file the organizers export (not one by one).
    pays_by_file = False
    # Stripe Connect from a Japanese platform reaches accounts in Japan only.
    japan_only = False

    @abstractmethod
    def recipient_is_ready(self, payout) -> bool:
        """Whether the recipient gave all this provider needs to be paid."""

    def reconcile(self, contest) -> list:
        """Differences between our ledger and the provider's records for a contest."""
        return []


payout_providers = ProviderRegistry("payout provider", base=PayoutProvider)


def get(identifier: str) -> PayoutProvider:
    return payout_providers.get_provider(identifier)


def offered(contest) -> list[PayoutProvider]:
    """The providers this contest offers that can run here, in the contest's order."""
    from ..models import PayoutSettings

    chosen = PayoutSettings.objects.filter(contest=contest).values_list("providers", flat=True)
    identifiers = (chosen.first() or None) or [DEFAULT]
    available = {provider.identifier: provider for provider in payout_providers.available()}
    return [available[i] for i in identifiers if i in available]


DEFAULT = "manual"
UNAVAILABLE_ABROAD = _(
    "Stripe cannot pay accounts outside Japan from a platform in Japan, so winners who "
    "live abroad are paid by bank transfer to an account in Japan."
)


def _register_builtin() -> None:
    # Imported here so that registering is part of importing this module.
    from . import manual, stripe_connect  # noqa: F401


_register_builtin()
