import pytest

from search.highlight import highlight
from search.text import document_terms, normalize, parse_query


def test_normalize_folds_width_case_and_kana():
    assert normalize("ＳＮＳ　ウェブ") == "sns うぇぶ"


@pytest.mark.parametrize("query", ["会計", "対策", "子育"])
def test_two_character_words_become_one_bigram(query):
    assert parse_query(query, synonyms={}).groups()[0][0] == [query]


def test_document_terms_hold_bigrams_words_and_dictionary_forms():
    terms = document_terms("Webサイト制作").split()
    assert {"web", "さい", "いと", "制作", "うぇ", "ぇぶ"} <= set(terms)


def test_hiragana_query_is_not_guessed_by_the_dictionary():
    # The dictionary would read さいと as 際: only its bigrams, and itself as the start of
    # a reading (from three kana: せたがや finds 世田谷区, read せたがやく).
    assert parse_query("さいと", synonyms={}).groups() == [[["さい", "いと"], ["さいと*"]]]
    assert parse_query("かい", synonyms={}).groups() == [[["かい"]]]


def test_documents_carry_the_readings_of_kanji_words_whole():
    terms = document_terms("メニューの翻訳と商品写真").split()
    assert {"ほんやく", "しゃしん"} <= set(terms)
    assert "んや" not in terms  # no bigrams of readings: 開 + 計 must not spell かいけい


def test_a_synonym_is_an_alternative_of_the_word_and_inside_a_longer_word():
    synonyms = {"hp": ["ホームページ"], "ほーむぺーじ": ["HP"]}
    (word,) = parse_query("HP", synonyms=synonyms).words
    assert ["ほー", "ーむ", "むぺ", "ぺー", "ーじ"] in word.alternatives
    (word,) = parse_query("ホームページ制作", synonyms=synonyms).words
    assert any("hp" in terms and "制作" in terms for terms in word.alternatives)


def test_query_syntax_phrases_exclusions_and_signs():
    parsed = parse_query('"子育て 支援" 相談 -イベント * 、', synonyms={})
    assert [w.text for w in parsed.words] == ["子育て", "支援", "相談"]
    assert parsed.phrases == ["子育て支援"]
    assert [w.text for w in parsed.excluded] == ["イベント"]
    assert not parse_query('* " 「」 -', synonyms={}).searchable
    # A long vowel mark is not a minus, nor is a hyphen inside a word.
    assert [w.text for w in parse_query("ーム e-mail", synonyms={}).words] == ["ーム", "e-mail"]


def test_highlight_marks_words_across_width_and_kana_and_escapes():
    html = highlight("<Ｗｅｂ>サイト", "web さいと")
    assert html == "&lt;<mark>Ｗｅｂ</mark>&gt;<mark>サイト</mark>"


def test_english_words_are_matched_as_words_only():
    # the dictionary would read "terms" as ターム and match unrelated katakana
    # and as prefixes from three letters on (photo finds photography)
    assert parse_query("terms of use", synonyms={}).groups() == [[["terms*"]], [["of"]], [["use*"]]]
