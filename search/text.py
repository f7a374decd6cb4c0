"""Japanese-aware text analysis shared by the embedded index and the query parser.

Japanese has no spaces and two-character words (会計, 対策, 子育) are the common case, so
text becomes *terms*: CJK bigrams of every kana/kanji run, whole words of Latin letters
and digits, the dictionary forms SudachiPy finds (so ウェブ制作 finds "Web制作"), and the
readings of the words written in kanji, whole and in hiragana (so ほんやく finds 翻訳).
Before that everything is normalised: NFKC (full/half width), lower case, and katakana
folded to hiragana (so さいと finds サイト).

A query is parsed the way people write one: words are AND-ed, "quoted words" must
appear as written, -word excludes, and each word also matches its synonyms
(search.synonyms, kept by editors in the admin). Stray quotes, `*` and punctuation are
dropped; a query with nothing searchable left finds nothing (never everything).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

KATAKANA = "".join(chr(c) for c in range(ord("ァ"), ord("ヶ") + 1))
HIRAGANA = "".join(chr(c) for c in range(ord("ぁ"), ord("ゖ") + 1))
_FOLD = str.maketrans(KATAKANA, HIRAGANA)

# A run of CJK characters (kana, kanji, the prolonged sound mark) or of Latin/digits.
_RUNS = re.compile(r"[\u3041-\u3096\u30fc\u3005\u4e00-\u9fff\u3400-\u4dbf]+|[a-z0-9]+")
_HIRAGANA_ONLY = re.compile(r"[\u3041-\u3096\u30fc]+")
_KANJI = re.compile(r"[\u3005\u4e00-\u9fff\u3400-\u4dbf]")

CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞"}
# A query word is expanded into at most this many alternatives (synonyms, dictionary).
MAX_ALTERNATIVES = 12


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower().translate(_FOLD)


def plain(*texts: str) -> str:
    """Texts normalised with their whitespace removed: what a quoted phrase is looked
    for in (Japanese writes 子育て支援 and "子育て 支援" alike)."""
    return "\n".join(re.sub(r"\s+", "", normalize(t)) for t in texts if t)


def word_key(text: str) -> str:
    """The form two spellings of one word share: normalised, letters and kana only
    (Ｗｅｂサイト, webさいと and "Web サイト" all give webさいと)."""
    return "".join(_RUNS.findall(normalize(text)))


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _run_terms(run: str) -> list[str]:
    return [run] if run.isascii() else _bigrams(run)


def terms_of(text: str) -> list[str]:
    """The bigrams and Latin words of `text` as typed, normalised."""
    return [t for run in _RUNS.findall(normalize(text)) for t in _run_terms(run)]


@lru_cache(maxsize=1)
def _tokenizer():
    from sudachipy import dictionary, tokenizer

    return dictionary.Dictionary().create(), tokenizer.Tokenizer.SplitMode.B


@dataclass(frozen=True)
class Morpheme:
    surface: str  # as written, NFKC
    form: str  # the dictionary's normalised form, normalised here
    reading: str  # hiragana; "" when the word has no kanji (nothing to read)


@lru_cache(maxsize=8192)
def morphemes(text: str) -> tuple[Morpheme, ...]:
    """SudachiPy's content words of `text` (cached: indexing reads each text twice, for
    its terms and for the vocabulary, and generated texts repeat)."""
    sudachi, mode = _tokenizer()
    found = []
    for morpheme in sudachi.tokenize(text[:20000], mode):
        if morpheme.part_of_speech()[0] not in CONTENT_POS:
            continue
        surface = unicodedata.normalize("NFKC", morpheme.surface())
        reading = ""
        if _KANJI.search(surface):
            reading = normalize(morpheme.reading_form())
            if not _HIRAGANA_ONLY.fullmatch(reading):
                reading = ""
        found.append(Morpheme(surface, normalize(morpheme.normalized_form()), reading))
    return tuple(found)


def dictionary_forms(text: str) -> list[str]:
    """SudachiPy's normalised forms of the content words in `text`."""
    return [m.form for m in morphemes(text)]


def document_terms(*texts: str) -> str:
    """The space-separated terms a document is indexed under."""
    terms: list[str] = []
    for text in texts:
        if not text:
            continue
        terms.extend(terms_of(text))
        for morpheme in morphemes(text):
            terms.extend(terms_of(morpheme.form))
            if morpheme.reading:
                # Whole, not as bigrams: reading bigrams would let かい (開) and けい (計)
                # of two different words answer かいけい.
                terms.append(morpheme.reading)
    return " ".join(dict.fromkeys(terms))


# --- Queries -------------------------------------------------------------------------------


@dataclass
class Word:
    """One query word: it matches when every term of one of its alternatives is there."""

    text: str  # as typed (NFKC)
    alternatives: list[list[str]]


@dataclass
class ParsedQuery:
    words: list[Word] = field(default_factory=list)  # all required
    excluded: list[Word] = field(default_factory=list)  # none may match
    phrases: list[str] = field(default_factory=list)  # plain() forms that must appear

    @property
    def searchable(self) -> bool:
        return bool(self.words)

    def groups(self) -> list[list[list[str]]]:
        return [word.alternatives for word in self.words]


# "…", 「…」, 『…』, “…” (NFKC turns ＂ into "), optionally preceded by a minus.
_TOKENS = re.compile(r'(-?)(?:"([^"]+)"|「([^」]+)」|『([^』]+)』|“([^”]+)”)|(\S+)')
_QUOTES = re.compile(r'["「」『』“”]')


def parse_query(query: str, synonyms=None) -> ParsedQuery:
    """The query as people mean it; `synonyms` maps a plain() form to its others
    (search.synonyms.lookup() by default)."""
    if synonyms is None:
        from .synonyms import lookup

        synonyms = lookup()
    parsed = ParsedQuery()
    for match in _TOKENS.finditer(unicodedata.normalize("NFKC", query or "")[:200]):
        minus, *quoted, bare = match.groups()
        phrase = next((q for q in quoted if q), None)
        if phrase is not None:
            words = [_exact(part) for part in phrase.split()]
            words = [w for w in words if w]
            if not words:
                continue
            if minus:
                parsed.excluded.append(_phrase_word(phrase))
                continue
            parsed.words.extend(words)
            if len(words) > 1 or len(_RUNS.findall(normalize(phrase))) > 1:
                parsed.phrases.append(plain(phrase))
            continue
        bare = _QUOTES.sub("", bare)
        negative = bare.startswith("-") and len(bare) > 1
        word = _word(bare[1:] if negative else bare, synonyms)
        if word is None:
            continue
        (parsed.excluded if negative else parsed.words).append(word)
    return parsed


def _exact(text: str) -> Word | None:
    terms = terms_of(text)
    return Word(text, [terms]) if terms else None


def _phrase_word(phrase: str) -> Word:
    return Word(phrase, [terms_of(phrase)])


def _word(original: str, synonyms) -> Word | None:
    runs = _RUNS.findall(normalize(original))
    if not runs:
        return None
    direct = [t for run in runs for t in _run_terms(run)]
    # English words also match longer words they begin (photo → photography).
    direct = [f"{t}*" if t.isascii() and len(t) >= 3 else t for t in direct]
    alternatives = [direct]
    key = word_key(original)
    if _HIRAGANA_ONLY.fullmatch(key) and len(key) >= 2:
        # A word typed in kana also finds the kanji words that read so (ほんやく → 翻訳).
        alternatives.append([key])
    # The dictionary reads the word as typed (katakana, kanji); a word typed all in
    # hiragana is too ambiguous for it (さいと would become 際), so only bigrams.
    # English words neither: the dictionary turns "terms" into ターム, which is noise.
    pieces = [key]
    if not _HIRAGANA_ONLY.fullmatch(key) and not original.isascii():
        found = morphemes(original)
        by_dictionary = [t for m in found for t in terms_of(m.form)]
        if by_dictionary and set(by_dictionary) != set(direct):
            alternatives.append(by_dictionary)
        if len(found) > 1:
            pieces = [word_key(m.surface) for m in found]
    for other in synonyms.get(key, ()):
        alternatives.append(_synonym_terms(other))
    if len(pieces) > 1:
        # A synonym inside a longer word: ホームページ制作 also finds HP制作.
        for index, piece in enumerate(pieces):
            for other in synonyms.get(piece, ()):
                rest = [t for p in pieces[:index] + pieces[index + 1 :] for t in terms_of(p)]
                alternatives.append(rest + _synonym_terms(other))
    unique = []
    for terms in alternatives:
        if terms and terms not in unique:
            unique.append(terms)
    return Word(original, unique[:MAX_ALTERNATIVES])


def _synonym_terms(text: str) -> list[str]:
    terms = terms_of(text)
    return [f"{t}*" if t.isascii() and len(t) >= 3 else t for t in terms]


def query_groups(query: str) -> list[list[list[str]]]:
    """The required words of the query, each a list of alternative term sets (OR-ed)."""
    return parse_query(query).groups()


def query_words(query: str) -> list[str]:
    """Normalised words to highlight."""
    words = []
    for word in normalize(_QUOTES.sub(" ", query or "")).split():
        if word.startswith("-"):
            continue
        words.extend(_RUNS.findall(word))
    return [w for w in words if w]
