"""The index's own vocabulary, for 「もしかして」: a misspelt word (デサイン, ホームペジ,
photgraphy) is corrected to the most common indexed word whose reading is one edit away.

Words are learnt when documents are indexed (search.index) and counted exactly on a full
rebuild. Candidates are found the SymSpell way: each word is stored with its reading and
every reading with one character deleted; a typed word one edit away (a character
wrong, missing, extra, or two swapped) shares one of those variants, so an index lookup
finds it and the edit distance is checked only on those few.
"""

import re
import unicodedata
from collections import Counter

from .text import _HIRAGANA_ONLY, _KANJI, compounds, fold_small, morphemes, normalize, word_key

# Shorter words are too easily another word one edit away (かい → かいぎ, かし, ...).
MIN_LENGTH = 3
MAX_LENGTH = 30
_LATIN = re.compile(r"[a-z]+")


def _reading(key: str, morpheme_reading: str = "") -> str:
    if morpheme_reading:
        return morpheme_reading
    if _HIRAGANA_ONLY.fullmatch(key) or _LATIN.fullmatch(key):
        return key
    return ""


def words_of(*texts: str) -> dict[str, tuple[str, str]]:
    """{key: (display, reading)} of the words in `texts` worth suggesting."""
    found = {}
    for text in texts:
        if not text:
            continue
        # Words, and the compounds the dictionary cuts in parts (バリア|フリー): a
        # person misspells the word they see (バリヤフリー), not its parts.
        for word in (*morphemes(text), *compounds(text)):
            key = word_key(word.surface)
            reading = _reading(key, word.reading)
            if MIN_LENGTH <= len(reading) <= MAX_LENGTH and len(key) <= MAX_LENGTH:
                found.setdefault(key, (word.surface, reading))
        # Latin words: the dictionary does not see them as content words reliably.
        for latin in _LATIN.findall(normalize(text)):
            if MIN_LENGTH + 1 <= len(latin) <= MAX_LENGTH:
                found.setdefault(latin, (latin, latin))
    return found


def variants(reading: str) -> set[str]:
    """The reading and each one-deletion of it, small kana folded (a missed ニ in
    メニュー leaves めゆー, one edit from めにゆー)."""
    reading = fold_small(reading)
    return {reading} | {reading[:i] + reading[i + 1 :] for i in range(len(reading))}


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein, no substring edited twice)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]


def learn(documents) -> None:
    """Add the words of `documents` that are new (an incremental index update)."""
    words = {}
    for document in documents:
        words.update(words_of(document.title, document.body, document.extra))
    _store(words, Counter())


def learn_synonyms() -> None:
    """The synonyms' words are words the site knows (photography is in no document, but
    a search for it finds the photographers): a slip in one is corrected to it."""
    from .models import Synonym

    words = {}
    for group in Synonym.objects.all():
        for term in group.term_list() + group.related_list():
            words.update(words_of(term))
    _store(words, Counter())


class Rebuild:
    """Counts the words of the documents a full rebuild passes through `watch()`, then
    `save()` replaces the vocabulary with them."""

    def __init__(self):
        self.words, self.counts = {}, Counter()

    def watch(self, documents):
        for document in documents:
            found = words_of(document.title, document.body, document.extra)
            for key, value in found.items():
                self.words.setdefault(key, value)
            self.counts.update(found.keys())
            yield document

    def save(self) -> int:
        from django.db import transaction

        from .models import SearchWord

        with transaction.atomic():
            SearchWord.objects.all().delete()
            _store(self.words, self.counts)
            learn_synonyms()
        return SearchWord.objects.count()


def _store(words: dict, counts: Counter) -> None:
    from .models import SearchWord, SearchWordVariant

    if not words:
        return
    SearchWord.objects.bulk_create(
        [
            SearchWord(word=key, display=display[:64], reading=reading, documents=counts[key] or 1)
            for key, (display, reading) in words.items()
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    ids = dict(SearchWord.objects.filter(word__in=list(words)).values_list("word", "id"))
    SearchWordVariant.objects.bulk_create(
        [
            SearchWordVariant(variant=variant, word_id=ids[key])
            for key, (_display, reading) in words.items()
            if key in ids
            for variant in variants(reading)
        ],
        ignore_conflicts=True,
        batch_size=5000,
    )
    from . import results_cache

    results_cache.changed()  # a stored result may lack the 「もしかして」 it has now


def _correction(typed: str, found: int) -> str | None:
    """The indexed word `typed` was probably meant to be, or None."""
    from .models import SearchWord

    key = word_key(typed)
    if not key or _KANJI.search(key):
        # A word in kanji was converted by the IME, not mistyped: 減災 is not a slip for
        # 現在, however close their readings.
        return None
    if _HIRAGANA_ONLY.fullmatch(key) and found:
        return None  # a kana word that finds something is read, not misspelt (はじめて)
    if SearchWord.objects.filter(word=key).exists():
        return None  # a word the index knows is not a typo
    found = morphemes(typed)
    reading = "".join(m.reading for m in found) if found and all(m.reading for m in found) else ""
    reading = _reading(key, reading)
    if not MIN_LENGTH <= len(reading) <= MAX_LENGTH:
        return None
    candidates = SearchWord.objects.filter(variants__variant__in=variants(reading)).distinct()
    best = None
    for word in candidates.only("word", "display", "reading", "documents"):
        # Small kana folded: フォトグラフアー (a large ア for ァ) is 0 edits from its word.
        if word.word == key or distance(fold_small(reading), fold_small(word.reading)) > 1:
            continue
        if best is None or word.documents > best.documents:
            best = word
    return None if best is None else best.display


def corrected(query: str, found: int = 0) -> str | None:
    """`query` (which found `found` documents) with each misspelt word replaced, or None
    when nothing was corrected."""
    parts = unicodedata.normalize("NFKC", query or "").split()
    changed = False
    for index, part in enumerate(parts):
        if part.startswith("-") or '"' in part:
            continue
        better = _correction(part, found)
        if better:
            parts[index], changed = better, True
    return " ".join(parts) if changed else None
