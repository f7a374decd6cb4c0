import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# Dashes people type or paste between digits: ASCII, the Unicode hyphens and dashes, the
# minus sign, and the katakana long-vowel mark that Japanese keyboards give for "-".
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc"
_DASHES_AND_SPACES = re.compile(rf"[{_DASHES}\s]+")


def _half_width(value: str) -> str:
    # NFKC turns full-width digits, ＋, （）, － and the ideographic space into ASCII.
    return unicodedata.normalize("NFKC", value or "").strip()


def normalize_corporate_number(value: str) -> str:
    """A corporate number as typed (full-width, with hyphens or spaces) → its 13 digits."""
    return _DASHES_AND_SPACES.sub("", _half_width(value))


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a 法人番号 (National Tax Agency formula).

    With P(n) the n-th of the twelve base digits counted from the right and Q(n) 1 for
    odd n and 2 for even n: 9 - (sum of P(n)·Q(n) mod 9).
    """
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base12), start=1))
    return 9 - total % 9


def validate_corporate_number(value: str) -> None:
    """One error, for the length or for the check digit. Give it the normalised number
    (normalize_corporate_number): what is stored is 13 ASCII digits, one spelling each."""
    value = value or ""
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("A corporate number (法人番号) has 13 digits."), code="length")
    if corporate_number_check_digit(value[1:]) != int(value[0]):
        raise ValidationError(
            _("This corporate number is not valid: please check the digits."), code="check_digit"
        )


CORPORATE_NUMBER_TAKEN = _(
    "An organization with this corporate number is already registered. "
    "If it is yours, ask its owner to add you as a member."
)
CORPORATE_NUMBER_WITHOUT_CORPORATION = _(
    "You entered a corporate number, but “registered corporation (法人)” is not ticked. "
    "Tick it, or clear the number."
)


def normalize_phone_number(value: str) -> str:
    """Half-width, every dash an ASCII hyphen, runs of spaces one space."""
    value = re.sub(rf"[{_DASHES}]", "-", _half_width(value))
    return re.sub(r"\s+", " ", value)


def validate_phone_number(value: str) -> None:
    """A Japanese number: 10 or 11 digits from a leading 0, or +81 and the rest.

    Digits, hyphens, spaces and parentheses only, so "+81 (0)3-1234-5678" passes too.
    Give it the normalised number (normalize_phone_number), which is what is stored.
    """
    value = value or ""
    valid = bool(re.fullmatch(r"(\+81)?[0-9 ()-]+", value))
    if valid:
        digits = re.sub(r"[^0-9]", "", value)
        if value.startswith("+81"):
            digits = digits[2:]
            digits = digits if digits.startswith("0") else "0" + digits
        valid = digits.startswith("0") and len(digits) in (10, 11)
    if not valid:
        raise ValidationError(
            _("Enter a phone number in Japan, for example 03-1234-5678 or 090-1234-5678."),
            code="phone",
        )


# Volunteer hours a resident can offer: a full working week, the most a task can ask
# (Task.hours_per_week) too.
MAX_VOLUNTEER_HOURS_PER_WEEK = 40
HOURS_PER_WEEK_MESSAGE = _("Enter at most %(limit_value)s hours a week.")
validate_volunteer_hours = MaxValueValidator(
    MAX_VOLUNTEER_HOURS_PER_WEEK, message=HOURS_PER_WEEK_MESSAGE
)


def latest_apply_deadline(today: date | None = None) -> date:
    """A year from today: a later date is far more often a mistyped year than a plan."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def validate_apply_deadline(value: date, today: date | None = None) -> None:
    today = today or timezone.localdate()
    if value < today:
        raise ValidationError(_("The deadline cannot be in the past."), code="past")
    latest = latest_apply_deadline(today)
    if value > latest:
        raise ValidationError(
            _("Choose a deadline within a year from today, by %(date)s at the latest."),
            code="too_far",
            params={"date": formats.date_format(latest)},
        )
