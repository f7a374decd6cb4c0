import pytest

from search.highlight import highlight
from search.text import document_terms, normalize, query_groups


def test_normalize_folds_width_case_and_kana():
    assert normalize("ＳＮＳ　ウェブ") == "sns うぇぶ"


@pytest.mark.parametrize("query", ["会計", "対策", "子育"])
def test_two_character_words_become_one_bigram(query):
    assert query_groups(query)[0][0] == [query]


def test_document_terms_hold_bigrams_words_and_dictionary_forms():
    terms = document_terms("Webサイト制作").split()
    assert {"web", "さい", "いと", "制作", "うぇ", "ぇぶ"} <= set(terms)


def test_hiragana_query_is_not_guessed_by_the_dictionary():
    assert query_groups("さいと") == [[["さい", "いと"]]]


def test_highlight_marks_words_across_width_and_kana_and_escapes():
    html = highlight("<Ｗｅｂ>サイト", "web さいと")
    assert html == "&lt;<mark>Ｗｅｂ</mark>&gt;<mark>サイト</mark>"


def test_english_words_are_matched_as_words_only():
    # the dictionary would read "terms" as ターム and match unrelated katakana
    # and as prefixes from three letters on (photo finds photography)
    assert query_groups("terms of use") == [[["terms*"]], [["of"]], [["use*"]]]
