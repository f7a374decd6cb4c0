"""Japanese bank account details as a winner types them, checked and normalised.

What banks accept in a 全銀 (Zengin) transfer: a 4-digit bank code, a 3-digit branch
code, the account type (普通 / 当座), a 7-digit account number and the holder's name in
katakana. People type digits in full width, names in hiragana, half-width katakana or
with small kana; all of that is normal and is accepted. Kanji and letters other than A–Z
are not (the bank would refuse the transfer): the message says what to type instead.

`BankAccount.holder` keeps the name in full-width katakana (what the winner sees);
`holder_for_transfer` gives the half-width form a transfer file carries.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACCOUNT_TYPES = {"1": gettext_lazy("普通 (ordinary)"), "2": gettext_lazy("当座 (checking)")}
HOLDER_MAX = 30  # the recipient-name field of a Zengin data record

# Katakana, the long-vowel mark, Latin capitals, digits, a space and the few symbols a
# Zengin name field allows.
_HOLDER = re.compile(r"^[\u30a1-\u30f6\u30fc A-Z0-9().,\-/]+$")
_SMALL_TO_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")


@dataclass(frozen=True)
class BankAccount:
    bank_code: str
    branch_code: str
    account_type: str  # "1" 普通, "2" 当座
    account_number: str
    holder: str  # full-width katakana

    @property
    def masked_number(self) -> str:
        """What everyone but the winner and the contest's authorised organizers sees."""
        return "＊＊＊＊" + self.account_number[-3:]


def _digits(value, length: int, field: str, label: str) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().replace("-", "").replace(" ", "")
    if not text:
        raise ValidationError({field: _("Enter the %(label)s.") % {"label": label}})
    if not text.isdigit() or not text.isascii():
        raise ValidationError({field: _("The %(label)s is digits only.") % {"label": label}})
    if len(text) != length:
        raise ValidationError(
            {field: _("The %(label)s has %(n)d digits.") % {"label": label, "n": length}}
        )
    return text


def normalise_holder(value) -> str:
    """The holder's name in full-width katakana, or ValidationError saying what to type."""
    # NFKC turns half-width katakana into full width and full-width Latin into ASCII.
    text = unicodedata.normalize("NFKC", str(value or "")).strip().upper()
    text = re.sub(r"\s+", " ", text)
    # Hiragana → katakana (the same block, 0x60 further on).
    text = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)
    if not text:
        raise ValidationError({"holder": _("Enter the account holder's name in katakana.")})
    if not _HOLDER.match(text):
        raise ValidationError(
            {
                "holder": _(
                    "Type the holder's name in katakana as the bank has it (for example "
                    "ヤマダ タロウ), not in kanji."
                )
            }
        )
    if len(text) > HOLDER_MAX:
        raise ValidationError(
            {
                "holder": _("At most %(n)d characters, as the bank's transfer allows.")
                % {"n": HOLDER_MAX}
            }
        )
    return text


def check(data: dict) -> BankAccount:
    """All the fields at once: every mistake is reported, not only the first."""
    errors, values = {}, {}
    fields = {
        "bank_code": lambda v: _digits(v, 4, "bank_code", _("bank code")),
        "branch_code": lambda v: _digits(v, 3, "branch_code", _("branch code")),
        "account_number": lambda v: _digits(v, 7, "account_number", _("account number")),
        "holder": normalise_holder,
    }
    for name, clean in fields.items():
        try:
            values[name] = clean(data.get(name))
        except ValidationError as error:
            errors.update(error.message_dict)
    account_type = str(data.get("account_type") or "")
    if account_type not in ACCOUNT_TYPES:
        errors["account_type"] = [_("Choose 普通 or 当座.")]
    if errors:
        raise ValidationError(errors)
    return BankAccount(account_type=account_type, **values)


def holder_for_transfer(holder: str) -> str:
    """The name as a Zengin file carries it: half-width katakana, small kana made large
    (banks' files have no small kana); capitals, digits and symbols as they are."""
    return "".join(_HALF_WIDTH.get(char, char) for char in holder.translate(_SMALL_TO_LARGE))


def _half_width_table() -> dict:
    """Full-width katakana → half-width (voiced ones as two characters)."""
    table = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        table[unicodedata.normalize("NFKC", half)] = half
    for char in "ガギグゲゴザジズゼゾダヂヅデドバビブベボヴ":
        base = unicodedata.normalize("NFD", char)[0]
        table[char] = table[base] + "\uff9e"
    for char in "パピプペポ":
        base = unicodedata.normalize("NFD", char)[0]
        table[char] = table[base] + "\uff9f"
    return table


_HALF_WIDTH = _half_width_table()
