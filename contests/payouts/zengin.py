"""The 全銀協 (Zengin) 総合振込 (general transfer) file: written for the ward's bank, read
back for reconciliation.

The format is the one Japanese banks have taken since the magnetic-tape days: fixed-length
records of 120 bytes, numbers right-aligned and zero-padded, text left-aligned and
space-padded, every length counted in bytes. A file is one header record (データ区分 1),
one data record (2) per transfer, a trailer (8) with the count and the total, and an end
record (9). We separate records with CRLF and end the file with CRLF after the end
record, as internet-banking upload screens expect.

Why Shift_JIS and half-width katakana: the banks' systems read the file as JIS X 0201
single-byte characters (コード区分 0 = SJIS, Python's "cp932"), where a name is half-width
katakana, capitals A–Z, digits, a space and a few symbols, each one byte. Kanji, hiragana
and full-width letters are two bytes in Shift_JIS and are refused by the bank, so every
name is normalised (NFKC, hiragana to katakana, capitals) and then turned into half-width
by `bank.holder_for_transfer` (voiced kana become two bytes, ガ → ｶﾞ; small kana are made
large, ッ → ﾂ, as banks' files have none). A field's limit is therefore in bytes: ガッコウ
is 4 characters on screen but ｶﾞﾂｺｳ, 5 bytes, in the file.

Where each field comes from:

- Header: 振込依頼人コード (the consignor code the bank gave the ward), 振込依頼人名, the
  ward's own bank, branch, account type and number (`Sender`, from the contest's payout
  settings), and 取組日, the day the bank is to carry out the transfers (MMDD).
- Data record: the winner's bank, branch, account type, number and holder
  (`bank.BankAccount`, as the winner typed and `bank.check` normalised it), the amount
  in whole yen, and in 顧客コード1 our reference (the payout's id, "P123"), which the
  bank's statement of returned transfers quotes back. 振込指定区分 is 7 (電信, same day);
  手形交換所番号, 顧客コード2 and the 識別表示 are left blank.
- Trailer: the number of data records and the sum of their amounts.

`transfer_file` refuses, with a ValueError naming the transfer and the field, anything
the bank would refuse or that would not fit; `read_file` checks a stored file (record
lengths, record order, the trailer's count and total) before reconciliation compares it
with the ledger.
"""

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import bank

RECORD = 120
SEPARATOR = b"\r\n"
ENCODING = "cp932"  # Shift_JIS as Windows and the banks' software have it
TYPE_CODE = "21"  # 種別コード: 総合振込
CODE_TYPE = "0"  # コード区分: SJIS
TELEGRAPHIC = "7"  # 振込指定区分: 電信振込
MAX_AMOUNT = 9_999_999_999  # 10 digits
MAX_TOTAL = 999_999_999_999  # 12 digits
MAX_COUNT = 999_999  # 6 digits


@dataclass(frozen=True)
class Sender:
    """The ward's own account that the money leaves from."""

    consignor_code: str  # 10 digits (振込依頼人コード, given by the bank)
    name: str  # katakana, full or half width; 40 bytes at most in half width
    bank_code: str
    branch_code: str
    account_type: str  # "1" 普通, "2" 当座
    account_number: str
    bank_name: str = ""  # katakana, optional
    branch_name: str = ""


@dataclass(frozen=True)
class Transfer:
    account: bank.BankAccount
    amount: int  # whole yen, 1..9_999_999_999
    reference: str = ""  # at most 10 ASCII characters → 顧客コード1
    bank_name: str = ""  # katakana, optional
    branch_name: str = ""


@dataclass(frozen=True)
class ReadTransfer:
    """A data record as the file has it (names in half-width katakana, padding removed)."""

    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    holder: str
    amount: int
    reference: str
    bank_name: str = ""
    branch_name: str = ""


@dataclass(frozen=True)
class ZenginFile:
    """What `read_file` found: the header's sender (names half-width, as in the file),
    the transfer day as MMDD, the transfers, and the trailer's count and total (checked
    against the transfers)."""

    sender: Sender
    on_mmdd: str
    transfers: list[ReadTransfer] = field(default_factory=list)
    count: int = 0
    total: int = 0


# Writing ------------------------------------------------------------------------------


def transfer_file(sender: Sender, transfers: Sequence[Transfer], on: datetime.date) -> bytes:
    """The whole file, in Shift_JIS with CRLF after every record; ValueError if the bank
    would refuse any of it or a value does not fit its field."""
    transfers = list(transfers)
    if not transfers:
        raise ValueError(_("There are no transfers to write to the bank file."))
    if len(transfers) > MAX_COUNT:
        raise ValueError(
            _("At most %(n)s transfers fit in one bank file.") % {"n": f"{MAX_COUNT:,}"}
        )
    if not isinstance(on, datetime.date):
        raise ValueError(_("The transfer date must be a date."))
    records = [_header(sender, on)]
    total = 0
    for number, transfer in enumerate(transfers, start=1):
        records.append(_data(transfer, _transfer_label(number, transfer)))
        total += transfer.amount
    if total > MAX_TOTAL:
        raise ValueError(
            _("The total of %(total)s yen does not fit the trailer's 12 digits.")
            % {"total": f"{total:,}"}
        )
    records.append(b"8" + _number(len(transfers), 6) + _number(total, 12) + b" " * 101)
    records.append(b"9" + b" " * 119)
    for record in records:  # the layout above is the format; this guards it
        assert len(record) == RECORD, record
    return SEPARATOR.join(records) + SEPARATOR


def _header(sender: Sender, on: datetime.date) -> bytes:
    where = _("Sender")
    return b"".join(
        [
            b"1",
            TYPE_CODE.encode(),
            CODE_TYPE.encode(),
            _code(sender.consignor_code, 10, where, _("consignor code")),
            _kana(sender.name, 40, where, _("consignor name"), required=True),
            f"{on.month:02d}{on.day:02d}".encode(),
            _code(sender.bank_code, 4, where, _("bank code")),
            _kana(sender.bank_name, 15, where, _("bank name")),
            _code(sender.branch_code, 3, where, _("branch code")),
            _kana(sender.branch_name, 15, where, _("branch name")),
            _account_type(sender.account_type, where),
            _code(sender.account_number, 7, where, _("account number")),
            b" " * 17,
        ]
    )


def _data(transfer: Transfer, where: str) -> bytes:
    account = transfer.account
    amount = transfer.amount
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_AMOUNT:
        raise ValueError(
            _("%(where)s: the amount must be whole yen from 1 to %(max)s.")
            % {"where": where, "max": f"{MAX_AMOUNT:,}"}
        )
    reference = transfer.reference or ""
    if not (reference.isascii() and reference.isprintable() and len(reference) <= 10):
        raise ValueError(
            _("%(where)s: the reference must be at most 10 ASCII letters, digits or symbols.")
            % {"where": where}
        )
    return b"".join(
        [
            b"2",
            _code(account.bank_code, 4, where, _("bank code")),
            _kana(transfer.bank_name, 15, where, _("bank name")),
            _code(account.branch_code, 3, where, _("branch code")),
            _kana(transfer.branch_name, 15, where, _("branch name")),
            b" " * 4,  # 手形交換所番号
            _account_type(account.account_type, where),
            _code(account.account_number, 7, where, _("account number")),
            _kana(account.holder, 30, where, _("holder's name"), required=True),
            _number(amount, 10),
            b"0",  # 新規コード
            reference.encode("ascii").ljust(10, b" "),  # 顧客コード1
            b" " * 10,  # 顧客コード2
            TELEGRAPHIC.encode(),
            b" ",  # 識別表示
            b" " * 7,
        ]
    )


def _transfer_label(number: int, transfer: Transfer) -> str:
    label = _("Transfer %(n)d") % {"n": number}
    reference = transfer.reference or ""
    if reference and reference.isascii() and reference.isprintable():
        label += f" ({reference})"
    return label


def _number(value: int, width: int) -> bytes:
    return str(value).rjust(width, "0").encode("ascii")


def _code(value, width: int, where: str, label: str) -> bytes:
    text = str(value or "")
    if not (text.isascii() and text.isdigit() and len(text) == width):
        raise ValueError(
            _("%(where)s: the %(field)s must be %(n)d digits.")
            % {"where": where, "field": label, "n": width}
        )
    return text.encode("ascii")


def _account_type(value, where: str) -> bytes:
    if value not in bank.ACCOUNT_TYPES:
        raise ValueError(
            _("%(where)s: the account type must be 1 (普通) or 2 (当座).") % {"where": where}
        )
    return value.encode("ascii")


def _kana(value, width: int, where: str, label: str, required: bool = False) -> bytes:
    """A name field: half-width katakana in Shift_JIS, space-padded to `width` bytes."""
    # The rules of bank.normalise_holder: NFKC (half-width kana to full width, full-width
    # Latin to ASCII), capitals, one space between words, hiragana to katakana.
    text = unicodedata.normalize("NFKC", str(value or "")).strip().upper()
    text = re.sub(r"\s+", " ", text)
    text = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)
    if not text:
        if required:
            raise ValueError(
                _("%(where)s: the %(field)s is empty.") % {"where": where, "field": label}
            )
        return b" " * width
    for char in text:
        try:
            char.encode(ENCODING)
        except UnicodeEncodeError:
            raise ValueError(
                _("%(where)s: the %(field)s has “%(char)s”, which Shift_JIS cannot encode.")
                % {"where": where, "field": label, "char": char}
            ) from None
    half = bank.holder_for_transfer(text)
    for char in half:
        # bank._HOLDER is what a Zengin name allows; once half width, each character must
        # be one byte (ヰ and ヱ have no half-width form).
        if char in "\uff9e\uff9f" or (
            len(char.encode(ENCODING)) == 1
            and bank._HOLDER.match(unicodedata.normalize("NFKC", char))
        ):
            continue
        raise ValueError(
            _(
                "%(where)s: the %(field)s has “%(char)s”, which a bank file cannot carry; "
                "use katakana, capitals A–Z, digits, spaces and ( ) . , - /."
            )
            % {"where": where, "field": label, "char": char}
        )
    encoded = half.encode(ENCODING)
    if len(encoded) > width:
        raise ValueError(
            _(
                "%(where)s: the %(field)s is %(size)d bytes in half-width katakana; "
                "the field holds %(n)d."
            )
            % {"where": where, "field": label, "size": len(encoded), "n": width}
        )
    return encoded.ljust(width, b" ")


# Reading ------------------------------------------------------------------------------


def read_file(data: bytes) -> ZenginFile:
    """A stored file read back: ValueError, saying which record and why, if a record is
    not 120 bytes, the records are out of order (1, 2…, 8, 9), or the trailer's count or
    total is not the data records'."""
    if not data:
        raise ValueError(_("The bank file is empty."))
    records = bytes(data).split(SEPARATOR)
    terminated = records[-1] == b""
    if terminated:
        records.pop()
    for number, record in enumerate(records, start=1):
        if len(record) != RECORD:
            raise ValueError(
                _("Record %(n)d is %(size)d bytes; every record is %(record)d.")
                % {"n": number, "size": len(record), "record": RECORD}
            )
    if not terminated:
        raise ValueError(_("The bank file does not end with CRLF after its last record."))

    header, sender, on_mmdd = None, None, ""
    transfers: list[ReadTransfer] = []
    trailer = None
    ended = False
    for number, record in enumerate(records, start=1):
        kind = record[:1]
        if ended:
            raise ValueError(_("Record %(n)d comes after the end record.") % {"n": number})
        if header is None:
            expected, fits = _("a header (1)"), kind == b"1"
        elif trailer is None:
            expected, fits = _("a data record (2) or the trailer (8)"), kind in (b"2", b"8")
        else:
            expected, fits = _("the end record (9)"), kind == b"9"
        if not fits:
            raise ValueError(
                _("Record %(n)d should be %(expected)s; its data type is “%(kind)s”.")
                % {"n": number, "expected": expected, "kind": kind.decode("latin-1")}
            )
        reader = _Reader(record, number)
        if kind == b"1":
            header = record
            sender, on_mmdd = _read_header(reader)
        elif kind == b"2":
            transfers.append(_read_data(reader))
        elif kind == b"8":
            trailer = (reader.number(1, 7, _("count")), reader.number(7, 19, _("total")))
        else:
            ended = True
    if header is None:
        raise ValueError(_("The bank file has no header record."))
    if trailer is None:
        raise ValueError(_("The bank file stops before its trailer record (8)."))
    if not ended:
        raise ValueError(_("The bank file stops before its end record (9)."))
    count, total = len(transfers), sum(t.amount for t in transfers)
    if trailer[0] != count:
        raise ValueError(
            _("The trailer counts %(trailer)d transfers; the file holds %(found)d.")
            % {"trailer": trailer[0], "found": count}
        )
    if trailer[1] != total:
        raise ValueError(
            _("The trailer's total is %(trailer)s yen; the transfers add up to %(found)s yen.")
            % {"trailer": f"{trailer[1]:,}", "found": f"{total:,}"}
        )
    return ZenginFile(sender=sender, on_mmdd=on_mmdd, transfers=transfers, count=count, total=total)


class _Reader:
    """Fields of one record by byte offset, with the record's number in any error."""

    def __init__(self, record: bytes, number: int):
        self.record, self.n = record, number

    def text(self, start: int, end: int) -> str:
        try:
            return self.record[start:end].decode(ENCODING).rstrip(" ")
        except UnicodeDecodeError:
            raise ValueError(_("Record %(n)d is not Shift_JIS text.") % {"n": self.n}) from None

    def number(self, start: int, end: int, label: str) -> int:
        return int(self.digits(start, end, label))

    def digits(self, start: int, end: int, label: str) -> str:
        value = self.record[start:end]
        if not (value.isascii() and value.isdigit()):
            raise ValueError(
                _("Record %(n)d: the %(field)s is not a number.") % {"n": self.n, "field": label}
            )
        return value.decode("ascii")


def _read_header(r: _Reader) -> tuple[Sender, str]:
    if r.record[1:3] != TYPE_CODE.encode():
        raise ValueError(
            _("The header's type code is “%(code)s”: this is not a 総合振込 file (21).")
            % {"code": r.text(1, 3)}
        )
    if r.record[3:4] != CODE_TYPE.encode():
        raise ValueError(
            _("The header's code type is “%(code)s”; only 0 (Shift_JIS) is read.")
            % {"code": r.text(3, 4)}
        )
    sender = Sender(
        consignor_code=r.digits(4, 14, _("consignor code")),
        name=r.text(14, 54),
        bank_code=r.digits(58, 62, _("bank code")),
        bank_name=r.text(62, 77),
        branch_code=r.digits(77, 80, _("branch code")),
        branch_name=r.text(80, 95),
        account_type=r.text(95, 96),
        account_number=r.digits(96, 103, _("account number")),
    )
    return sender, r.digits(54, 58, _("transfer date"))


def _read_data(r: _Reader) -> ReadTransfer:
    return ReadTransfer(
        bank_code=r.digits(1, 5, _("bank code")),
        bank_name=r.text(5, 20),
        branch_code=r.digits(20, 23, _("branch code")),
        branch_name=r.text(23, 38),
        account_type=r.text(42, 43),
        account_number=r.digits(43, 50, _("account number")),
        holder=r.text(50, 80),
        amount=r.number(80, 90, _("amount")),
        reference=r.text(91, 101),
    )
