import pytest
from django.core.exceptions import ValidationError

from marketplace.validators import validate_corporate_number


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
