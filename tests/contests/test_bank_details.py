"""Bank details as winners type them (contests.payouts.bank): what is accepted and
normalised, and the one clear message for each mistake."""

import pytest
from django.core.exceptions import ValidationError

from contests.payouts.bank import BankAccount, check, holder_for_transfer, normalise_holder

GOOD = {
    "bank_code": "0001",
    "branch_code": "123",
    "account_type": "1",
    "account_number": "1234567",
    "holder": "ヤマダ タロウ",
}


def errors(**changes):
    with pytest.raises(ValidationError) as error:
        check(GOOD | changes)
    return error.value.message_dict


def test_good_details_pass_as_they_are():
    assert check(GOOD) == BankAccount("0001", "123", "1", "1234567", "ヤマダ タロウ")


@pytest.mark.parametrize(
    "typed,kept",
    [
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"),  # half-width katakana
        ("やまだ　たろう", "ヤマダ タロウ"),  # hiragana, an ideographic space
        ("  ヤマダ   タロウ ", "ヤマダ タロウ"),  # spaces folded
        ("ｶ)ｺｳﾄｳﾃﾞｼﾞﾀﾙ", "カ)コウトウデジタル"),  # a company's abbreviation
        ("ＳＡＴＯ ＨＡＮＡＫＯ", "SATO HANAKO"),  # full-width Latin
        ("sato hanako", "SATO HANAKO"),
    ],
)
def test_names_are_normalised_to_full_width_katakana(typed, kept):
    assert normalise_holder(typed) == kept


@pytest.mark.parametrize("typed", ["山田 太郎", "ヤマダ 太郎", "Émile", "ヤマダ☆"])
def test_kanji_and_other_characters_are_refused_with_what_to_type(typed):
    assert "カタカナ" in " ".join(errors(holder=typed)["holder"])


def test_full_width_digits_and_hyphens_are_accepted():
    account = check(GOOD | {"bank_code": "０００１", "account_number": "123-4567"})
    assert (account.bank_code, account.account_number) == ("0001", "1234567")


@pytest.mark.parametrize(
    "field,value",
    [
        ("bank_code", "001"),
        ("bank_code", "00a1"),
        ("branch_code", "1234"),
        ("account_number", "123456"),
        ("account_number", "12345678"),
        ("account_number", "12345A7"),
        ("account_number", ""),
    ],
)
def test_wrong_lengths_and_letters_are_refused_on_their_field(field, value):
    assert set(errors(**{field: value})) == {field}


def test_every_mistake_is_reported_at_once():
    found = errors(bank_code="1", branch_code="", account_type="9", holder="山田")
    assert set(found) == {"bank_code", "branch_code", "account_type", "holder"}


def test_the_transfer_file_gets_half_width_large_kana():
    assert holder_for_transfer("キシャ ジュンコ") == "ｷｼﾔ ｼﾞﾕﾝｺ"
    assert holder_for_transfer("パーク") == "ﾊﾟｰｸ"


def test_the_number_is_masked_for_everyone_else():
    assert check(GOOD).masked_number == "＊＊＊＊567"
