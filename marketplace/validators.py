from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a 法人番号 (National Tax Agency formula).

    With P(n) the n-th of the twelve base digits counted from the right and Q(n) 1 for
    odd n and 2 for even n: 9 - (sum of P(n)·Q(n) mod 9).
    """
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base12), start=1))
    return 9 - total % 9


def validate_corporate_number(value: str) -> None:
    value = (value or "").strip()
    if len(value) != 13 or not value.isdigit():
        raise ValidationError(_("A corporate number (法人番号) has 13 digits."), code="length")
    if corporate_number_check_digit(value[1:]) != int(value[0]):
        raise ValidationError(
            _("This corporate number is not valid: please check the digits."), code="check_digit"
        )
