from pathlib import Path

import pytest


def _clear_cache():
    """Empty this test process's cache. On Redis only its own keys go: clear() would be
    FLUSHDB, emptying the database under the other test workers (their lock-outs, their
    cached pages) and the Celery queues beside them."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.clear()
        caches["search"].clear()
        return
    client = backend._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{backend.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used TOTP codes live in the cache: no test sees another's."""
    _clear_cache()
    yield
    _clear_cache()


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
    # Browser tests last: Playwright's sync API keeps an event loop running in the main
    # thread from the first of them to the end of the session, where asyncio tests
    # (consumers) and async_to_sync could not run.
    items.sort(key=lambda item: "/e2e/" in item.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """Remove the WAL files SQLite leaves beside this run's test database file."""
    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if name and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
