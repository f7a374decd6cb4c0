import pytest

from messaging.contact import contains_contact_details


@pytest.mark.parametrize(
    "text",
    [
        "taro@example.jp",
        "連絡先はtaro.yamada+board@example.co.jpです",
        "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ",
        "090-1234-5678",
        "09012345678",
        "０９０−１２３４−５６７８",  # full-width digits, minus signs
        "０９０ー１２３４ー５６７８",  # long vowel marks, as typed with a Japanese IME
        "090‐1234‐5678",  # U+2010 hyphens
        "03-1234-5678",
        "（03）1234-5678",
        "03 1234 5678",
        "+81 90 1234 5678",
        "電話は080.1111.2222へ",
    ],
)
def test_contact_details_are_spotted(text):
    assert contains_contact_details(text)


@pytest.mark.parametrize(
    "text",
    [
        "初回の打ち合わせは2026-11-24の14:00からでいかがでしょう",
        "2026/11/24〜2026/12/01",
        "2026年11月24日",
        "謝礼は10,000円、交通費は1,200円までです",
        "予算は100000円です",
        "〒135-0016 東京都江東区東陽1-2-3",
        "週3時間、8週間ほどお願いします",
        "Instagramのフォロワーは1,234人です",
        "@kappabashi のアカウントを運用します",
        "田中@商店街 事務局",
        "",
    ],
)
def test_ordinary_numbers_and_mentions_are_not_contact_details(text):
    assert not contains_contact_details(text)
