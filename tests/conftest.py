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
