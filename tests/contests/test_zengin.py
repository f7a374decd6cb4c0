"""The 全銀 総合振込 file (contests.payouts.zengin): every field at its byte offset, what
is refused before the bank sees it, and reading a stored file back. No database."""

import datetime

import pytest
from django.utils import translation

from contests.payouts.bank import BankAccount
from contests.payouts.zengin import (
    ReadTransfer,
    Sender,
    Transfer,
    ZenginFile,
    read_file,
    transfer_file,
)

SENDER = Sender(
    consignor_code="1234567890",
    name="コウトウク",
    bank_code="0009",
    branch_code="123",
    account_type="2",
    account_number="7654321",
    bank_name="ミツイスミトモ",
    branch_name="トウヨウチヨウ",
)
ON = datetime.date(2025, 4, 3)
YAMADA = BankAccount("0001", "001", "1", "1234567", "ヤマダ タロウ")
SCHOOL = BankAccount("0005", "321", "2", "0000042", "ガッコウ")
SATO = BankAccount("0009", "456", "1", "7777777", "SATO HANAKO")

THREE = [
    Transfer(YAMADA, 100_000, reference="P1", bank_name="ミズホ", branch_name="トウキヨウ"),
    Transfer(SCHOOL, 50_000, reference="P2"),
    Transfer(SATO, 1, reference="P3"),
]


@pytest.fixture(autouse=True)
def _english():
    # The messages are checked in their English msgids.
    with translation.override("en"):
        yield


def records(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def test_every_record_is_120_bytes_separated_by_crlf_and_the_file_is_cp932():
    data = transfer_file(SENDER, THREE, ON)
    rows = records(data)
    assert [len(r) for r in rows] == [120] * 6
    assert [r[:1] for r in rows] == [b"1", b"2", b"2", b"2", b"8", b"9"]
    assert data.count(b"\r\n") == 6
    assert b"\n" not in data.replace(b"\r\n", b"")
    text = data.decode("cp932")
    assert "ﾔﾏﾀﾞ ﾀﾛｳ" in text


def test_header_fields_at_their_offsets():
    header = records(transfer_file(SENDER, THREE, ON))[0]
    assert header[0:1] == b"1"
    assert header[1:3] == b"21"  # 総合振込
    assert header[3:4] == b"0"  # SJIS
    assert header[4:14] == b"1234567890"
    assert header[14:54] == "ｺｳﾄｳｸ".encode("cp932").ljust(40)
    assert header[54:58] == b"0403"  # MMDD
    assert header[58:62] == b"0009"
    assert header[62:77] == "ﾐﾂｲｽﾐﾄﾓ".encode("cp932").ljust(15)
    assert header[77:80] == b"123"
    assert header[80:95] == "ﾄｳﾖｳﾁﾖｳ".encode("cp932").ljust(15)
    assert header[95:96] == b"2"
    assert header[96:103] == b"7654321"
    assert header[103:120] == b" " * 17


def test_data_record_fields_at_their_offsets():
    data = records(transfer_file(SENDER, THREE, ON))[1]
    assert data[0:1] == b"2"
    assert data[1:5] == b"0001"
    assert data[5:20] == "ﾐｽﾞﾎ".encode("cp932").ljust(15)
    assert data[20:23] == b"001"
    assert data[23:38] == "ﾄｳｷﾖｳ".encode("cp932").ljust(15)
    assert data[38:42] == b"    "  # 手形交換所番号
    assert data[42:43] == b"1"  # 普通
    assert data[43:50] == b"1234567"
    assert data[50:80] == b"\xd4\xcf\xc0\xde \xc0\xdb\xb3".ljust(30)  # ﾔﾏﾀﾞ ﾀﾛｳ
    assert data[80:90] == b"0000100000"  # ¥100,000
    assert data[90:91] == b"0"  # 新規コード
    assert data[91:101] == b"P1        "  # 顧客コード1
    assert data[101:111] == b" " * 10
    assert data[111:112] == b"7"  # 電信
    assert data[112:113] == b" "
    assert data[113:120] == b" " * 7


def test_blank_bank_and_branch_names_voiced_and_small_kana_and_latin_holders():
    school, sato = records(transfer_file(SENDER, THREE, ON))[2:4]
    assert school[5:20] == b" " * 15 and school[23:38] == b" " * 15
    assert school[42:43] == b"2"  # 当座
    # ガッコウ → ｶﾞﾂｺｳ: the voiced mark is a byte of its own, small ッ is made large.
    assert school[50:80] == b"\xb6\xde\xc2\xba\xb3".ljust(30)
    assert school[50:55].decode("cp932") == "ｶﾞﾂｺｳ"
    assert school[80:90] == b"0000050000"
    assert sato[50:80] == b"SATO HANAKO".ljust(30)
    assert sato[80:90] == b"0000000001"


def test_trailer_counts_and_totals_the_three_transfers_and_the_end_record_is_blank():
    trailer, end = records(transfer_file(SENDER, THREE, ON))[4:]
    assert trailer[0:1] == b"8"
    assert trailer[1:7] == b"000003"
    assert trailer[7:19] == b"000000150001"
    assert trailer[19:120] == b" " * 101
    assert end == b"9" + b" " * 119


def test_names_are_normalised_from_hiragana_half_width_and_full_width_latin():
    sender = Sender(**{**SENDER.__dict__, "name": "こうとうく"})
    account = BankAccount("0001", "001", "1", "1234567", "ｶﾞｯｺｳ")
    data = transfer_file(sender, [Transfer(account, 10)], ON)
    header, row = records(data)[:2]
    assert header[14:54].rstrip() == "ｺｳﾄｳｸ".encode("cp932")
    assert row[50:80].rstrip() == "ｶﾞﾂｺｳ".encode("cp932")


def test_round_trip_through_read_file():
    read = read_file(transfer_file(SENDER, THREE, ON))
    assert isinstance(read, ZenginFile)
    assert read.sender == Sender(
        consignor_code="1234567890",
        name="ｺｳﾄｳｸ",
        bank_code="0009",
        branch_code="123",
        account_type="2",
        account_number="7654321",
        bank_name="ﾐﾂｲｽﾐﾄﾓ",
        branch_name="ﾄｳﾖｳﾁﾖｳ",
    )
    assert read.on_mmdd == "0403"
    assert (read.count, read.total) == (3, 150_001)
    assert read.transfers == [
        ReadTransfer("0001", "001", "1", "1234567", "ﾔﾏﾀﾞ ﾀﾛｳ", 100_000, "P1", "ﾐｽﾞﾎ", "ﾄｳｷﾖｳ"),
        ReadTransfer("0005", "321", "2", "0000042", "ｶﾞﾂｺｳ", 50_000, "P2"),
        ReadTransfer("0009", "456", "1", "7777777", "SATO HANAKO", 1, "P3"),
    ]
    # What was read writes the same file again.
    again = [
        Transfer(
            BankAccount(t.bank_code, t.branch_code, t.account_type, t.account_number, t.holder),
            t.amount,
            t.reference,
            t.bank_name,
            t.branch_name,
        )
        for t in read.transfers
    ]
    assert transfer_file(read.sender, again, ON) == transfer_file(SENDER, THREE, ON)


def test_the_largest_amount_fits():
    data = transfer_file(SENDER, [Transfer(YAMADA, 9_999_999_999)], ON)
    assert records(data)[1][80:90] == b"9999999999"
    assert read_file(data).total == 9_999_999_999


# read_file refuses a file that is not what we wrote ------------------------------------


def tampered(position: int, record: bytes) -> bytes:
    rows = records(transfer_file(SENDER, THREE, ON))
    rows[position] = record
    return b"\r\n".join(rows) + b"\r\n"


def test_read_file_rejects_a_tampered_total():
    trailer = records(transfer_file(SENDER, THREE, ON))[4]
    with pytest.raises(ValueError, match="total"):
        read_file(tampered(4, trailer[:7] + b"000000150002" + trailer[19:]))


def test_read_file_rejects_a_tampered_count():
    trailer = records(transfer_file(SENDER, THREE, ON))[4]
    with pytest.raises(ValueError, match="counts 2 transfers; the file holds 3"):
        read_file(tampered(4, trailer[:1] + b"000002" + trailer[7:]))


def test_read_file_rejects_a_tampered_amount_as_the_total_no_longer_matches():
    row = records(transfer_file(SENDER, THREE, ON))[1]
    with pytest.raises(ValueError, match="add up to 1,050,001"):
        read_file(tampered(1, row[:80] + b"0001000000" + row[90:]))


def test_read_file_rejects_a_truncated_record():
    row = records(transfer_file(SENDER, THREE, ON))[2]
    with pytest.raises(ValueError, match="Record 3 is 119 bytes"):
        read_file(tampered(2, row[:-1]))


def test_read_file_rejects_a_file_cut_short():
    data = transfer_file(SENDER, THREE, ON)
    with pytest.raises(ValueError, match="Record 6 is 60 bytes"):
        read_file(data[:-62])
    with pytest.raises(ValueError, match="end record"):
        read_file(data[:-122])
    with pytest.raises(ValueError, match="CRLF"):
        read_file(data[:-2])


def test_read_file_rejects_records_out_of_order():
    rows = records(transfer_file(SENDER, THREE, ON))
    swapped = [rows[1], rows[0], *rows[2:]]
    with pytest.raises(ValueError, match="Record 1 should be a header"):
        read_file(b"\r\n".join(swapped) + b"\r\n")
    trailer_first = [rows[0], rows[4], rows[1], rows[2], rows[3], rows[5]]
    with pytest.raises(ValueError, match="Record 3 should be the end record"):
        read_file(b"\r\n".join(trailer_first) + b"\r\n")
    with pytest.raises(ValueError, match="Record 7 comes after the end record"):
        read_file(b"\r\n".join([*rows, rows[1]]) + b"\r\n")


def test_read_file_rejects_an_empty_file_and_another_kind_of_file():
    with pytest.raises(ValueError, match="empty"):
        read_file(b"")
    header = records(transfer_file(SENDER, THREE, ON))[0]
    with pytest.raises(ValueError, match="not a 総合振込 file"):
        read_file(tampered(0, header[:1] + b"11" + header[3:]))  # 11 = 給与振込


# transfer_file refuses what the bank would ----------------------------------------------


def refused(transfers=None, sender=SENDER, on=ON) -> str:
    with pytest.raises(ValueError) as error:
        transfer_file(sender, THREE if transfers is None else transfers, on)
    return str(error.value)


@pytest.mark.parametrize("amount", [0, -1, 10_000_000_000, 1.5, True])
def test_amounts_out_of_range_are_refused_naming_the_transfer(amount):
    message = refused([THREE[0], Transfer(SCHOOL, amount, reference="P2")])
    assert message.startswith("Transfer 2 (P2): the amount")


def test_an_empty_list_is_refused():
    assert "no transfers" in refused([])


def test_a_41_byte_sender_name_is_refused_and_40_bytes_fit():
    assert "41 bytes" in refused(sender=Sender(**{**SENDER.__dict__, "name": "ア" * 41}))
    # ガ is two bytes in half width: 21 of them do not fit either.
    assert "42 bytes" in refused(sender=Sender(**{**SENDER.__dict__, "name": "ガ" * 21}))
    fits = transfer_file(Sender(**{**SENDER.__dict__, "name": "ガ" * 20}), THREE, ON)
    assert records(fits)[0][14:54] == "ｶﾞ".encode("cp932") * 20


def test_a_holder_too_long_for_30_bytes_is_refused():
    account = BankAccount("0001", "001", "1", "1234567", "ガ" * 16)
    assert "32 bytes" in refused([Transfer(account, 1)])


@pytest.mark.parametrize(
    "holder,why",
    [
        ("ヤマダ😀", "Shift_JIS cannot encode"),  # no Shift_JIS code at all
        ("山田 太郎", "cannot carry"),  # kanji: two bytes in Shift_JIS
        ("ヰノウエ", "cannot carry"),  # no half-width ヰ
        ("ヤマダ☆", "cannot carry"),
        ("", "is empty"),
    ],
)
def test_characters_a_bank_file_cannot_carry_are_refused(holder, why):
    account = BankAccount("0001", "001", "1", "1234567", holder)
    message = refused([Transfer(account, 1, reference="P9")])
    assert message.startswith("Transfer 1 (P9): the holder's name")
    assert why in message


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"bank_code": "01"}, "bank code"),
        ({"bank_code": "00a1"}, "bank code"),
        ({"branch_code": "1234"}, "branch code"),
        ({"account_number": "１２３４５６７"}, "account number"),  # full width: not here
        ({"account_type": "3"}, "account type"),
    ],
)
def test_codes_that_are_not_their_digits_are_refused(changes, field):
    account = BankAccount(**{**YAMADA.__dict__, **changes})
    assert field in refused([Transfer(account, 1)])
    assert field in refused(sender=Sender(**{**SENDER.__dict__, **changes}))


def test_a_consignor_code_that_is_not_10_digits_is_refused():
    message = refused(sender=Sender(**{**SENDER.__dict__, "consignor_code": "123456789"}))
    assert message == "Sender: the consignor code must be 10 digits."


@pytest.mark.parametrize("reference", ["P12345678901", "ペイ", "P\t1"])
def test_a_reference_that_is_not_10_ascii_characters_is_refused(reference):
    assert "reference" in refused([Transfer(YAMADA, 1, reference=reference)])


def test_a_total_beyond_12_digits_is_refused():
    many = [Transfer(YAMADA, 9_999_999_999)] * 101
    assert "12 digits" in refused(many)
