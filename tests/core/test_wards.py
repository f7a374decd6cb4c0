import pytest
from django.utils import translation

from core.models import Ward
from core.wards import is_valid_local_government_code, local_government_code_check_digit


@pytest.mark.django_db
def test_the_23_wards_are_loaded_with_valid_codes():
    wards = list(Ward.objects.all())
    assert len(wards) == 23
    assert wards[0].name_ja == "千代田区" and wards[-1].name_ja == "江戸川区"
    assert all(is_valid_local_government_code(ward.code) for ward in wards)


@pytest.mark.django_db
def test_ward_name_follows_the_language():
    taito = Ward.objects.get(code="131067")
    assert str(taito) == "台東区"
    with translation.override("en"):
        assert str(taito) == "Taito City"


@pytest.mark.parametrize(
    ("first_five", "check_digit"),
    [("13101", 6), ("13104", 1), ("13112", 1), ("13120", 2), ("13123", 7)],
)
def test_check_digit_matches_the_published_codes(first_five, check_digit):
    assert local_government_code_check_digit(first_five) == check_digit


@pytest.mark.parametrize("code", ["131017", "13101", "1310a6", ""])
def test_invalid_codes_are_refused(code):
    assert not is_valid_local_government_code(code)
