"""Mark the matched words in a title or excerpt, whatever their width or kana."""

import unicodedata

from django.utils.html import escape

from .text import _FOLD, query_words


def _normalized_with_positions(text: str) -> tuple[str, list[int]]:
    """`text` normalised character by character, with each character's original index."""
    out, positions = [], []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).lower().translate(_FOLD)
        out.append(folded)
        positions.extend([index] * len(folded))
    return "".join(out), positions


def highlight(text: str, query: str, *, excerpt: int | None = None) -> str:
    """HTML-escaped `text` with query words in <mark>; an excerpt around the first match."""
    text = text or ""
    normalized, positions = _normalized_with_positions(text)
    spans = []
    for word in sorted(set(query_words(query)), key=len, reverse=True):
        start = normalized.find(word)
        while start != -1:
            end = start + len(word)
            spans.append((positions[start], positions[end - 1] + 1))
            start = normalized.find(word, end)
    spans = _merge(sorted(spans))
    window_start, window_end = 0, len(text)
    if excerpt and len(text) > excerpt:
        first = spans[0][0] if spans else 0
        window_start = max(0, first - excerpt // 3)
        window_end = min(len(text), window_start + excerpt)
    html, cursor = [], window_start
    if window_start > 0:
        html.append("…")
    for start, end in spans:
        if end <= window_start or start >= window_end:
            continue
        start, end = max(start, window_start), min(end, window_end)
        html.append(escape(text[cursor:start]))
        html.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    html.append(escape(text[cursor:window_end]))
    if window_end < len(text):
        html.append("…")
    return "".join(html)


def _merge(spans):
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
