import pytest

from accounts import services as account_services
from accounts.models import Role
from contests import ckan
from tests.accounts.factories import UserFactory

from .catalog import StandInCatalog


@pytest.fixture
def catalog():
    """A stand-in CKAN catalog on a free local port; nothing is set to answer yet."""
    with StandInCatalog() as stand_in:
        yield stand_in


@pytest.fixture(autouse=True)
def _stand_in_is_a_trusted_private_catalog(settings):
    # The stand-in listens on loopback, which is refused unless named (contests.ckan).
    settings.CKAN_PRIVATE_HOSTS = ["127.0.0.1"]


@pytest.fixture(autouse=True)
def _short_timeouts(monkeypatch):
    # A mistake in a test must not wait out the real 10 s; time-out tests go shorter.
    monkeypatch.setattr(ckan, "CONNECT_TIMEOUT", 2.0)
    monkeypatch.setattr(ckan, "READ_TIMEOUT", 2.0)
    monkeypatch.setattr(ckan, "DEADLINE", 5.0)


@pytest.fixture
def organizer(db):
    """A 江東区 contest organizer."""
    from core.models import Ward

    user = UserFactory(display_name="江東区 政策経営部")
    account_services.grant_role(user, Role.CONTEST_ORGANIZER, ward=Ward.objects.get(code="131083"))
    return user
