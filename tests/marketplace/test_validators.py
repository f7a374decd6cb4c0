from datetime import date

import pytest
from django.core.exceptions import ValidationError

from marketplace.validators import (
    MAX_VOLUNTEER_HOURS_PER_WEEK,
    latest_apply_deadline,
    normalize_corporate_number,
    normalize_phone_number,
    validate_apply_deadline,
    validate_corporate_number,
    validate_phone_number,
    validate_volunteer_hours,
)


# 7000012050002 is the National Tax Agency's own corporate number.
@pytest.mark.parametrize("number", ["7000012050002", "7010001000000"])
def test_corporate_numbers_with_the_right_check_digit_are_valid(number):
    validate_corporate_number(number)


@pytest.mark.parametrize(
    "number", ["8000012050002", "700001205000", "70000120500021", "70000120500a2"]
)
def test_wrong_corporate_numbers_are_refused(number):
    with pytest.raises(ValidationError):
        validate_corporate_number(number)


@pytest.mark.parametrize(
    "typed",
    [
        "7000-0120-50002",
        "７０００ ０１２０ ５０００２",
        "７０００－０１２０－５０００２",
        " 7000012050002 ",
    ],
)
def test_corporate_numbers_are_normalised_as_typed(typed):
    assert normalize_corporate_number(typed) == "7000012050002"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("8000012050002", "check_digit"),
        ("70000120500021", "length"),
        ("700001205000", "length"),
        ("70000120500a2", "length"),
        ("７０００１２０５０００２", "length"),  # stored numbers are ASCII: normalise first
    ],
)
def test_a_wrong_corporate_number_gets_one_error(number, code):
    with pytest.raises(ValidationError) as refused:
        validate_corporate_number(number)
    assert [e.code for e in refused.value.error_list] == [code]


@pytest.mark.parametrize(
    "number",
    [
        "03-1234-5678",
        "0312345678",
        "090-1234-5678",
        "0120-123-456",
        "(03) 1234-5678",
        "+81 3-1234-5678",
        "+81-90-1234-5678",
        "+81 (0)3-1234-5678",
    ],
)
def test_japanese_phone_numbers_are_valid(number):
    validate_phone_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "03-1234-ABCD",
        "電話してください",
        "+1 555 123 4567",
        "110",
        "03-1234-56789-0",
        "3-1234-5678",
    ],
)
def test_other_phone_numbers_are_refused(number):
    with pytest.raises(ValidationError):
        validate_phone_number(number)


def test_phone_numbers_are_normalised_to_half_width():
    assert normalize_phone_number("＋８１　（０）３－１２３４ー５６７８") == "+81 (0)3-1234-5678"


def test_volunteer_hours_stop_at_a_working_week():
    validate_volunteer_hours(MAX_VOLUNTEER_HOURS_PER_WEEK)
    with pytest.raises(ValidationError):
        validate_volunteer_hours(MAX_VOLUNTEER_HOURS_PER_WEEK + 1)


@pytest.mark.parametrize(
    ("deadline", "code"),
    [(date(2026, 4, 30), "past"), (date(2027, 5, 2), "too_far"), (date(9999, 12, 31), "too_far")],
)
def test_deadlines_are_from_today_to_a_year_ahead(deadline, code):
    with pytest.raises(ValidationError) as refused:
        validate_apply_deadline(deadline, today=date(2026, 5, 1))
    assert refused.value.code == code


def test_a_deadline_today_or_exactly_a_year_ahead_is_valid():
    for deadline in (date(2026, 5, 1), date(2027, 5, 1)):
        validate_apply_deadline(deadline, today=date(2026, 5, 1))


def test_a_year_from_29_february_is_28_february():
    assert latest_apply_deadline(date(2028, 2, 29)) == date(2029, 2, 28)
