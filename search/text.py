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
# The parts of a compound word: nouns and the affixes Sudachi cuts off them (避難|所).
COMPOUND_POS = {"名詞", "接尾辞", "接頭辞"}
COMPOUND_MAX = 4
# 連濁: the second part of a compound often reads voiced (かっぱ + はし → かっぱばし).
_VOICED = str.maketrans(
    "かきくけこさしすせそたちつてとはひふへほ", "がぎぐげござじずぜぞだぢづでどばびぶべぼ"
)
_SMALL = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
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

    mode = tokenizer.Tokenizer.SplitMode.B
    return dictionary.Dictionary().tokenizer(mode=mode), mode


@dataclass(frozen=True)
class Morpheme:
    surface: str  # as written, NFKC
    form: str  # the dictionary's normalised form, normalised here
    reading: str  # hiragana; "" when the word has no kanji (nothing to read)


def fold_small(text: str) -> str:
    """Small kana as full-size ones (めにゅー → めにゆー): a missed small kana is one
    slip, not two, when 「もしかして」 compares readings."""
    return text.translate(_SMALL)


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[tuple[str, str, str, str], ...]:
    """(surface, normalised form, reading in hiragana or "", part of speech) of each of
    SudachiPy's tokens (cached: indexing reads each text for its terms, its readings and
    the vocabulary, and generated texts repeat)."""
    sudachi, mode = _tokenizer()
    found = []
    for token in sudachi.tokenize(text[:20000], mode):
        reading = normalize(token.reading_form())
        found.append(
            (
                unicodedata.normalize("NFKC", token.surface()),
                normalize(token.normalized_form()),
                reading if _HIRAGANA_ONLY.fullmatch(reading) else "",
                token.part_of_speech()[0],
            )
        )
    return tuple(found)


@lru_cache(maxsize=8192)
def morphemes(text: str) -> tuple[Morpheme, ...]:
    """SudachiPy's content words of `text`."""
    return tuple(
        Morpheme(surface, form, reading if _KANJI.search(surface) else "")
        for surface, form, reading, pos in _tokens(text)
        if pos in CONTENT_POS
    )


@dataclass(frozen=True)
class Compound:
    surface: str  # as written, NFKC
    reading: str  # hiragana; "" when a part has no reading
    voiced: str  # the reading with the second part voiced (連濁), "" when the same
    longest: bool  # the longest run from its first part


@lru_cache(maxsize=8192)
def compounds(text: str) -> tuple[Compound, ...]:
    """The compound words of `text` that the dictionary cuts in parts (避難|所, かっぱ|橋,
    バリア|フリー): from each part, the runs of two to COMPOUND_MAX noun parts."""
    tokens = _tokens(text)
    found = []
    for start, token in enumerate(tokens):
        if token[3] not in COMPOUND_POS or token[3] == "接尾辞":
            continue
        end = start + 1
        while end < len(tokens) and end - start < COMPOUND_MAX and tokens[end][3] in COMPOUND_POS:
            end += 1
        for stop in range(start + 2, end + 1):
            found.append(_compound(tokens[start:stop], longest=stop == end))
    return tuple(found)


def _compound(parts, longest: bool) -> Compound:
    readings = [part[2] for part in parts]
    reading = voiced = ""
    if all(readings):
        reading = "".join(readings)
        second = readings[1]
        if _KANJI.search(parts[1][0]):  # loanwords do not voice (ばりあふりー)
            second = second[0].translate(_VOICED) + second[1:]
        voiced = "".join([readings[0], second, *readings[2:]])
        voiced = "" if voiced == reading else voiced
    return Compound("".join(part[0] for part in parts), reading, voiced, longest)


def readings_of(*texts: str) -> list[str]:
    """The hiragana readings a document is found by: each kanji word's (ほんやく), and
    each kanji compound's, also voiced after its first part (ひなんしょ, ひなんじょ)."""
    found: list[str] = []
    for text in texts:
        if not text:
            continue
        found.extend(m.reading for m in morphemes(text) if m.reading)
        for compound in compounds(text):
            # A query reading matches the start of one (search.text._word): the longest
            # run from each part holds the shorter ones.
            if compound.longest and compound.reading and _KANJI.search(compound.surface):
                found.extend(r for r in (compound.reading, compound.voiced) if r)
    return list(dict.fromkeys(found))


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
    # Whole, not as bigrams: reading bigrams would let かい (開) and けい (計) of two
    # different words answer かいけい.
    terms.extend(readings_of(*texts))
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
        # A word typed in kana also finds the kanji words that read so (ほんやく → 翻訳),
        # from three kana also those it begins (せたがや → 世田谷区, ひなんじょ → 避難所の…).
        alternatives.append([key + "*" if len(key) >= 3 else key])
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
