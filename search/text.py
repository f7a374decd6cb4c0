"""Japanese-aware text analysis shared by the embedded index and the query parser.

Japanese has no spaces and two-character words (会計, 対策, 子育) are the common case, so
text becomes *terms*: CJK bigrams of every kana/kanji run, whole words of Latin letters
and digits, and the dictionary forms SudachiPy finds (so ウェブ制作 finds "Web制作").
Before that everything is normalised: NFKC (full/half width), lower case, and katakana
folded to hiragana (so さいと finds サイト).
"""

import re
import unicodedata
from functools import lru_cache

KATAKANA = "".join(chr(c) for c in range(ord("ァ"), ord("ヶ") + 1))
HIRAGANA = "".join(chr(c) for c in range(ord("ぁ"), ord("ゖ") + 1))
_FOLD = str.maketrans(KATAKANA, HIRAGANA)

# A run of CJK characters (kana, kanji, the prolonged sound mark) or of Latin/digits.
_RUNS = re.compile(r"[\u3041-\u3096\u30fc\u3005\u4e00-\u9fff\u3400-\u4dbf]+|[a-z0-9]+")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower().translate(_FOLD)


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _run_terms(run: str) -> list[str]:
    return [run] if run.isascii() else _bigrams(run)


@lru_cache(maxsize=1)
def _tokenizer():
    from sudachipy import dictionary, tokenizer

    return dictionary.Dictionary().create(), tokenizer.Tokenizer.SplitMode.B


_HIRAGANA_ONLY = re.compile(r"[\u3041-\u3096\u30fc]+")

CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞"}


def dictionary_forms(text: str) -> list[str]:
    """SudachiPy's normalised forms of the content words in `text`."""
    sudachi, mode = _tokenizer()
    forms = []
    for morpheme in sudachi.tokenize(text[:20000], mode):
        if morpheme.part_of_speech()[0] in CONTENT_POS:
            forms.append(normalize(morpheme.normalized_form()))
    return forms


def document_terms(*texts: str) -> str:
    """The space-separated terms a document is indexed under."""
    terms: list[str] = []
    for text in texts:
        if not text:
            continue
        normalized = normalize(text)
        for run in _RUNS.findall(normalized):
            terms.extend(_run_terms(run))
        for form in dictionary_forms(text):
            for run in _RUNS.findall(form):
                terms.extend(_run_terms(run))
    return " ".join(dict.fromkeys(terms))


def query_groups(query: str) -> list[list[list[str]]]:
    """The query as AND-ed words, each a list of alternative term sets (OR-ed).

    A term ending in * is a prefix.

    A word matches a document when every term of one of its alternatives is there:
    the word's own bigrams, or the bigrams of SudachiPy's forms of it.
    """
    groups = []
    for original in unicodedata.normalize("NFKC", query or "").split():
        runs = _RUNS.findall(normalize(original))
        if not runs:
            continue
        direct = [t for run in runs for t in _run_terms(run)]
        # English words also match longer words they begin (photo → photography).
        direct = [f"{t}*" if t.isascii() and len(t) >= 3 else t for t in direct]
        alternatives = [direct]
        # The dictionary reads the word as typed (katakana, kanji); a word typed all in
        # hiragana is too ambiguous for it (さいと would become 際), so only bigrams.
        # English words neither: the dictionary turns "terms" into ターム, which is noise.
        if not _HIRAGANA_ONLY.fullmatch(original) and not original.isascii():
            by_dictionary = [
                t
                for form in dictionary_forms(original)
                for run in _RUNS.findall(form)
                for t in _run_terms(run)
            ]
            if by_dictionary and set(by_dictionary) != set(direct):
                alternatives.append(by_dictionary)
        groups.append(alternatives)
    return groups


def query_words(query: str) -> list[str]:
    """Normalised words to highlight."""
    words = []
    for word in normalize(query).split():
        words.extend(_RUNS.findall(word))
    return [w for w in words if w]
