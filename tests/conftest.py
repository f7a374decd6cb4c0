import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used TOTP codes live in the cache: no test sees another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wards(db):
    """The 23 wards by code, as the migration loaded them."""
    from core.models import Ward

    return {ward.code: ward for ward in Ward.objects.all()}


@pytest.fixture(autouse=True)
def _japanese_by_default():
    """Start every test in the default language, whatever the previous one activated."""
    from django.utils import translation

    translation.activate("ja")
    yield
    translation.deactivate()


def pytest_collection_modifyitems(config, items):
    """Transactional tests must restore the migrated reference data they flush.

    A transactional test empties every table when it ends; the wards, Wagtail's page tree
    and the admin groups come from data migrations, so each such test declares
    serialized_rollback=True and the next one finds them again. Mixing the two kinds makes
    the restore collide with the content types a plain flush recreates.
    """
    offenders = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            offenders.append(item.nodeid)
    if offenders:
        raise pytest.UsageError(
            "transactional tests need serialized_rollback=True: " + ", ".join(offenders)
        )
