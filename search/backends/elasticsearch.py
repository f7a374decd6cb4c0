"""The Elasticsearch backend: the same interface as the embedded one, for larger sites.

`{SEARCH_INDEX_PREFIX}-documents` is an alias, never a real index: a rebuild fills a new
timestamped index while searches keep using the old one, then swaps the alias in one
atomic step. The analysis settings, the mapping and the query are pure functions so the
tests can check them without a cluster.

Queries mean what they mean on the embedded backend (search.text.parse_query): every word
is required, each through any of its alternatives (bigrams, dictionary forms, synonyms,
the reading of a word typed in kana), "quoted words" must appear as written and -word
excludes. Synonyms are applied twice, on purpose: in Python as alternatives on the
`terms` field, and by a synonym_graph filter in the text fields' search analyser (fed
from an Elasticsearch synonyms set, see push_synonyms) so the scored fields agree.
"""

import unicodedata
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from elasticsearch import NotFoundError
from elasticsearch.dsl import Q, Search, connections
from elasticsearch.dsl.query import Query
from elasticsearch.helpers import bulk, scan

from ..documents import kinds as document_kinds
from ..text import (
    HIRAGANA,
    KATAKANA,
    ParsedQuery,
    Word,
    document_terms,
    normalize,
    parse_query,
    plain,
    readings_of,
)
from .base import FACETS, Hit, SearchBackend, SearchQuery, SearchResults, add_suggestion

EXCERPT = 120
FACET_SIZE = 100  # more buckets than there are wards (23) or skill categories
# from + size may not exceed the index's max_result_window (10,000 by default).
MAX_RESULT_WINDOW = 10_000
KUROMOJI = "analysis-kuromoji"
# index() and remove() return once their change is searchable, as in the embedded backend:
# a withdrawn profile must disappear at once, not after the next refresh.
WRITE_REFRESH = "wait_for"

# Facet name -> indexed field; each is also the filter that facet's selection applies.
FACET_FIELDS = {
    "kind": "kind",
    "ward": "ward",
    "category": "category",
    "skill": "skills",
    "remote": "remote",
}

# title weighs most; the bigram sub-fields catch two-character words the morphological
# analyser splits differently (or that the cjk fallback already finds).
TEXT_FIELDS = ["title^3", "title.bigram^2", "body", "body.bigram", "extra", "extra.bigram"]
# A quoted phrase is looked for in these (see _phrase_query for why the bigram ones).
PHRASE_FIELDS = ["title.bigram", "body.bigram", "extra.bigram"]


def synonyms_set_name() -> str:
    """The Elasticsearch synonyms set the search analysers read (one per site/prefix)."""
    return f"{settings.SEARCH_INDEX_PREFIX}-synonyms"


# --- Analysis and mapping -------------------------------------------------------------


def kana_mappings() -> list[str]:
    """`mapping` char_filter rules folding katakana to hiragana, as search.text does.

    Half-width katakana (ｻｲﾄ, ｶﾞ) is folded too: cjk_width only runs after the tokenizer,
    too late for a char_filter, so its NFKC form is computed here instead.
    """
    rules = [f"{k} => {h}" for k, h in zip(KATAKANA, HIRAGANA, strict=True)]
    fold = str.maketrans(KATAKANA, HIRAGANA)
    half_width = [chr(c) for c in range(0xFF66, 0xFF9E)]  # ｦ .. ﾝ
    for char in half_width:
        for mark in ("\uff9e", "\uff9f"):  # ﾞ ﾟ combine into one character (ｶﾞ -> ガ)
            composed = unicodedata.normalize("NFKC", char + mark)
            if len(composed) == 1:
                rules.append(f"{char}{mark} => {composed.translate(fold)}")
        rules.append(f"{char} => {unicodedata.normalize('NFKC', char).translate(fold)}")
    return rules


def index_settings(kuromoji: bool, synonyms_set: str | None = None) -> dict:
    """Index settings: the Japanese analysers, with kuromoji when the cluster has it, and
    a search-time twin of the text analyser that also expands synonyms."""
    # Every analyser folds katakana first, so さいと finds サイト and the reverse.
    bigram_chain = {
        "type": "custom",
        "char_filter": ["kana_fold"],
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", "cjk_bigram"],
    }
    if kuromoji:
        text = {
            "type": "custom",
            "char_filter": ["kana_fold"],
            "tokenizer": "kuromoji_tokenizer",
            "filter": ["kuromoji_baseform", "kuromoji_part_of_speech", "cjk_width", "lowercase"],
        }
    else:
        # The built-in `cjk` analyser takes no char_filter, so it is rebuilt as a custom
        # one with the same chain (standard, cjk_width, lowercase, cjk_bigram, stop words).
        text = {**bigram_chain, "filter": [*bigram_chain["filter"], "cjk_stop"]}
    # The synonyms go last but before the stop words: a stop filter ahead of a synonym
    # filter would leave holes in the rules it parses.
    filters = text["filter"]
    cut = filters.index("cjk_stop") if "cjk_stop" in filters else len(filters)
    text_search = {**text, "filter": [*filters[:cut], "ja_synonyms", *filters[cut:]]}
    return {
        "analysis": {
            "char_filter": {"kana_fold": {"type": "mapping", "mappings": kana_mappings()}},
            "filter": {
                "cjk_stop": {"type": "stop", "stopwords": "_cjk_"},
                # Editors change the groups in the admin: a synonyms set (Elasticsearch
                # 8.10+) can be replaced without reindexing, and "updateable" reloads the
                # analyser when it is (allowed only in a search analyser, hence the
                # separate ja_text_search). lenient: a rule that analyses to nothing (an
                # editor's typo, a stop word) is skipped instead of failing the reload.
                "ja_synonyms": {
                    "type": "synonym_graph",
                    "synonyms_set": synonyms_set or synonyms_set_name(),
                    "updateable": True,
                    "lenient": True,
                },
            },
            "analyzer": {
                "ja_text": text,
                "ja_text_search": text_search,
                "ja_bigram": bigram_chain,
                # Suggestions complete the whole title, so it stays one token.
                "ja_suggest": {
                    "type": "custom",
                    "char_filter": ["kana_fold"],
                    "tokenizer": "keyword",
                    "filter": ["cjk_width", "lowercase"],
                },
            },
        }
    }


def synonym_set_body() -> dict:
    """The admin's synonym groups as the body of a synonyms set (PUT _synonyms/<id>)."""
    from ..synonyms import rules

    return {
        "synonyms_set": [
            {"id": f"rule-{number}", "synonyms": rule}
            for number, rule in enumerate(rules(), start=1)
        ]
    }


def _text_field() -> dict:
    return {
        "type": "text",
        "analyzer": "ja_text",
        # Synonyms at search time only: changing a group then needs no reindex. The bigram
        # sub-field keeps its plain analyser (its matches of synonyms come through the
        # `terms` alternatives parse_query adds in Python).
        "search_analyzer": "ja_text_search",
        "fields": {"bigram": {"type": "text", "analyzer": "ja_bigram"}},
    }


def index_mapping() -> dict:
    return {
        # A typo in a field name should fail loudly rather than create a new field.
        "dynamic": "strict",
        # terms and readings are only searched, never shown: keep them out of responses.
        "_source": {"excludes": ["terms", "readings"]},
        "properties": {
            "kind": {"type": "keyword"},
            "object_id": {"type": "long"},
            "language": {"type": "keyword"},
            "title": _text_field(),
            "suggest": {
                "type": "completion",
                "analyzer": "ja_suggest",
                # Suggestions can be limited to kinds (the task board suggests tasks only).
                "contexts": [{"name": "kind", "type": "category", "path": "kind"}],
            },
            "body": _text_field(),
            "extra": _text_field(),
            # search.text's terms (bigrams and SudachiPy's dictionary forms), for the
            # matches no Elasticsearch analyser makes: ウェブ制作 finding "Web制作".
            # Only filtered on, never scored: no frequencies, positions or norms to keep.
            "terms": {
                "type": "text",
                "analyzer": "whitespace",
                "index_options": "docs",
                "norms": False,
            },
            # The hiragana readings of the document's kanji words (翻訳 -> ほんやく), whole,
            # for a word typed in kana. A field of its own (terms has them too) because
            # it is scored: a document found only by reading would otherwise rank 0.
            # Python computes them, so whitespace is all the analysis needed.
            "readings": {"type": "text", "analyzer": "whitespace"},
            "url": {"type": "keyword", "index": False, "doc_values": False},
            "ward": {"type": "integer"},
            "category": {"type": "integer"},
            "skills": {"type": "integer"},
            "remote": {"type": "boolean"},
            "published_at": {"type": "date"},
            "deadline": {"type": "date"},
        },
    }


def _suggest_inputs(title: str) -> list[str]:
    """The title from each of its words on, so 花子 completes to "山田 花子 — …" too."""
    words = title.split()
    return list(dict.fromkeys(" ".join(words[i:]) for i in range(len(words))))


def document_readings(*texts: str) -> str:
    """The readings search.text indexes, words' and compounds' (its analysis is cached:
    document_terms has just read the same texts)."""
    return " ".join(readings_of(*texts))


def document_source(document) -> dict:
    source = {
        "kind": document.kind,
        "object_id": document.object_id,
        "language": document.language,
        "title": document.title,
        "body": document.body,
        "extra": document.extra,
        "terms": document_terms(document.title, document.body, document.extra),
        "readings": document_readings(document.title, document.body, document.extra),
        "url": document.url,
        "ward": document.ward_id,
        "category": document.category_id,
        "skills": list(document.skill_ids),
        "remote": document.remote,
        "published_at": document.published_at,
        "deadline": document.deadline,
    }
    inputs = _suggest_inputs(document.title)
    if inputs:  # a completion field refuses an empty input
        source["suggest"] = {"input": inputs}
    return source


# --- Querying --------------------------------------------------------------------------


def _filters(query: SearchQuery) -> dict:
    """The active filter of each facet (falsy values mean "any", as in the embedded one)."""
    filters = {}
    if query.kinds:
        filters["kind"] = Q("terms", kind=list(query.kinds))
    if query.ward:
        filters["ward"] = Q("term", ward=query.ward)
    if query.category:
        filters["category"] = Q("term", category=query.category)
    if query.skill:
        filters["skill"] = Q("term", skills=query.skill)
    if query.remote:
        filters["remote"] = Q("term", remote=True)
    return filters


def _all_of(filters) -> Query:
    filters = list(filters)
    return Q("bool", filter=filters) if filters else Q("match_all")


def parse(text: str, synonyms=None) -> ParsedQuery | None:
    """The query text as search.text reads it; None for no text at all (a search by
    filters alone, which finds every document). `synonyms` as for parse_query."""
    return parse_query(text, synonyms) if (text or "").strip() else None


def _is_reading(term: str) -> bool:
    # search.text's terms are bigrams, Latin words and whole readings: a reading is the
    # only kind of non-Latin term longer than two characters.
    return len(term) > 2 and not term.isascii()


def _term(term: str) -> Query:
    # search.text marks English words that also match as a prefix (photo → photography).
    if term.endswith("*"):
        return Q("prefix", terms=term.rstrip("*"))
    return Q("term", terms=term)


def _alternative(terms: list[str]) -> Query:
    if len(terms) == 1 and _is_reading(terms[0]):
        # ほんやく → 翻訳: scored on the readings field, the analysed fields cannot rank it;
        # せたがや* → せたがやく (世田谷区) as the start of a reading.
        reading = terms[0]
        if reading.endswith("*"):
            return Q("prefix", readings=reading.rstrip("*"))
        return Q("term", readings=reading)
    # Filters: the terms field has no frequencies to score with.
    return Q("bool", filter=[_term(t) for t in terms])


def _word_query(word: Word) -> Query:
    """The embedded backend's matching of one word on the `terms` field: through its own
    bigrams, its dictionary forms, its synonyms or its reading (any one will do)."""
    return Q(
        "bool", should=[_alternative(terms) for terms in word.alternatives], minimum_should_match=1
    )


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _joined(words: list[Word]) -> str:
    """Words of a phrase as one text: no space between them (子育て 支援 is written
    子育て支援) except between two Latin words, which a space keeps apart (web design)."""
    text = ""
    for word in words:
        part = normalize(word.text)
        if text and _latin(text[-1]) and _latin(part[:1]):
            text += " "
        text += part
    return text


def _phrase_text(parsed: ParsedQuery, phrase: str) -> str:
    """The text to look for as a phrase. parse_query keeps a phrase's plain() form, which
    has lost the spaces between Latin words ("web design" → webdesign); its words are in
    parsed.words too, in order, so the longest run of words spelling it gives them back."""
    words = parsed.words
    best: list[Word] = []
    for i in range(len(words)):
        for j in range(len(words), i + len(best), -1):
            if plain("".join(w.text for w in words[i:j])) == phrase:
                best = words[i:j]
                break
    return _joined(best) if best else phrase


def _phrase_query(text: str) -> Query:
    # On the bigram sub-fields, not the kuromoji ones: their tokens depend only on the
    # characters (standard tokenizer, one token per kana/kanji, then bigrams), so a phrase
    # written without spaces matches wherever those characters stand together in one
    # field, as the embedded backend's `plain__contains` does. Kuromoji cuts a phrase
    # typed alone differently from the same characters inside a sentence, and its
    # baseforms and dropped particles would loosen "as written".
    return Q(
        "bool",
        should=[Q("match_phrase", **{field: text}) for field in PHRASE_FIELDS],
        minimum_should_match=1,
    )


def text_query(parsed: ParsedQuery | None) -> Query:
    if parsed is None:
        return Q("match_all")
    if not parsed.searchable:
        # `*`, a lone quote, only "-word": nothing to look for finds nothing, never all.
        return Q("match_none")
    # The required words only: a minus or a quote must not reach the analysers.
    text = " ".join(word.text for word in parsed.words)
    # cross_fields with "and": every word must occur, but title, body and extra count
    # together (like the embedded index's one term list). Fields are grouped by analyser,
    # so a document matches through the kuromoji or the bigram fields.
    analysed = Q("multi_match", query=text, fields=TEXT_FIELDS, type="cross_fields", operator="and")
    # Either way matches. The terms clause is filters except for readings, so it adds to
    # the score only where the analysed fields could not match (a word typed in kana);
    # otherwise the analysed fields alone rank (and highlight) the results.
    terms = Q("bool", must=[_word_query(word) for word in parsed.words])
    matched = Q("bool", should=[analysed, terms], minimum_should_match=1)
    phrases = [_phrase_query(_phrase_text(parsed, phrase)) for phrase in parsed.phrases]
    # Excluded like on the embedded backend: a document matching any alternative of an
    # excluded word (its synonyms too) is left out.
    excluded = [_word_query(word) for word in parsed.excluded]
    if not phrases and not excluded:
        return matched
    # Phrases in `must`, not `filter`: a document with the words side by side ranks higher.
    return Q("bool", must=[matched, *phrases], must_not=excluded)


# Above any BM25 score: documents with every word in the title rank first, each tier by
# its score, as on the embedded backend (EmbeddedBackend._ranked_window).
TITLE_TIER_BOOST = 1000.0


def title_tier(parsed: ParsedQuery) -> Query:
    text = " ".join(word.text for word in parsed.words)
    in_title = Q(
        "multi_match",
        query=text,
        fields=["title", "title.bigram"],
        type="cross_fields",
        operator="and",
    )
    return Q("constant_score", filter=in_title, boost=TITLE_TIER_BOOST)


def _matched(query: SearchQuery, parsed: ParsedQuery | None) -> Query:
    matched = text_query(parsed)
    if query.sort == "deadline":
        matched = Q("bool", must=[matched], filter=[Q("exists", field="deadline")])
    return matched


def count_query(query: SearchQuery, parsed: ParsedQuery | None) -> Query:
    """What count() asks: the search's query with its filters applied (search() keeps
    them in post_filter for the facets, which a count has none of)."""
    return Q("bool", must=[_matched(query, parsed)], filter=list(_filters(query).values()))


def build_search(query: SearchQuery, parsed: ParsedQuery | None = None) -> Search:
    """The search for one page; `parsed` is parse(query.text), parsed here if not given."""
    if parsed is None:
        parsed = parse(query.text)
    matched = _matched(query, parsed)
    if query.sort == "relevance" and parsed is not None and parsed.searchable:
        matched = Q("bool", must=[matched], should=[title_tier(parsed)])
    search = Search().query(matched).extra(track_total_hits=True)

    # The filters go in post_filter so the aggregations see the unfiltered matches; each
    # facet then applies every *other* filter, and a chosen ward still shows the others.
    filters = _filters(query)
    if filters:
        search = search.post_filter(_all_of(filters.values()))
    for facet in FACETS:
        others = [f for name, f in filters.items() if name != facet]
        search.aggs.bucket(facet, "filter", filter=_all_of(others)).bucket(
            "values", "terms", field=FACET_FIELDS[facet], size=FACET_SIZE
        )

    search = search.highlight_options(
        pre_tags=["<mark>"],
        post_tags=["</mark>"],
        encoder="html",  # escapes the text around the marks
        fragment_size=EXCERPT,
        number_of_fragments=1,
    )
    # The whole title (0 fragments), not a 120-character piece of it. The bigram
    # sub-fields are asked too, for the matches only they found.
    search = search.highlight("title", "title.bigram", number_of_fragments=0)
    search = search.highlight("body", "body.bigram")

    # object_id last keeps the order stable from one page to the next.
    newest = {"published_at": {"order": "desc"}}
    tie = {"object_id": {"order": "desc"}}
    if query.sort == "newest":
        search = search.sort(newest, tie)
    elif query.sort == "deadline":
        search = search.sort({"deadline": {"order": "asc"}}, tie)
    else:
        search = search.sort("_score", newest, tie)

    start = min((max(query.page, 1) - 1) * query.per_page, MAX_RESULT_WINDOW)
    end = min(start + query.per_page, MAX_RESULT_WINDOW)
    return search[start:end]


def _marked_length(html: str) -> int:
    return sum(len(part.split("</mark>")[0]) for part in html.split("<mark>")[1:])


def _highlighted(highlight: dict, field: str) -> str | None:
    """The field's highlight that marks the most: kuromoji may split a word the bigram
    sub-field marks whole (サイト from さいと), or the reverse."""
    candidates = [
        # Overlapping bigrams come back as <mark>サイ</mark><mark>ト</mark>: one mark.
        fragments[0].replace("</mark><mark>", "")
        for fragments in (highlight.get(field), highlight.get(f"{field}.bigram"))
        if fragments
    ]
    return max(candidates, key=_marked_length, default=None)


def _excerpt(body: str) -> str:
    body = body or ""
    return escape(body[:EXCERPT]) + ("…" if len(body) > EXCERPT else "")


def _as_date(value):
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _facet_key(facet: str, key):
    # A terms aggregation on a boolean answers 1/0; the views expect True/False.
    return bool(key) if facet == "remote" else key


def results_from_response(query: SearchQuery, response: dict) -> SearchResults:
    """SearchResults from a raw search response (the body, as a dict)."""
    hits = []
    for raw in response["hits"]["hits"]:
        source, highlight = raw["_source"], raw.get("highlight", {})
        hits.append(
            Hit(
                kind=source["kind"],
                object_id=source["object_id"],
                title=source["title"],
                url=source["url"],
                title_html=_highlighted(highlight, "title") or escape(source["title"]),
                snippet=_highlighted(highlight, "body") or _excerpt(source.get("body")),
                ward_id=source.get("ward"),
                deadline=_as_date(source.get("deadline")),
                score=raw.get("_score") or 0.0,
            )
        )
    aggregations = response.get("aggregations", {})
    facets = {
        facet: {
            _facet_key(facet, bucket["key"]): bucket["doc_count"]
            for bucket in aggregations.get(facet, {}).get("values", {}).get("buckets", [])
        }
        for facet in FACETS
    }
    total = response["hits"]["total"]["value"]
    return SearchResults(hits=hits, total=total, facets=facets, query=query)


# --- The backend -----------------------------------------------------------------------


class ElasticsearchBackend(SearchBackend):
    def __init__(self):
        # The client connects on its first request, so building the backend costs nothing.
        self.client = connections.create_connection(
            hosts=[settings.ELASTICSEARCH_URL], request_timeout=10
        )
        self.alias = f"{settings.SEARCH_INDEX_PREFIX}-documents"
        self.synonyms_set = synonyms_set_name()
        self._kuromoji: bool | None = None
        self._alias_ready = False

    # --- Index management

    def has_kuromoji(self) -> bool:
        """Whether every node has the plugin: an index using it fails on any that lacks it."""
        if self._kuromoji is None:
            nodes = self.client.nodes.info(metric="plugins")["nodes"].values()
            self._kuromoji = bool(nodes) and all(
                any(plugin["name"] == KUROMOJI for plugin in node.get("plugins", []))
                for node in nodes
            )
        return self._kuromoji

    def push_synonyms(self) -> None:
        """Replace the synonyms set with the admin's groups. Elasticsearch reloads the
        search analysers of every index using the set: no reindex needed."""
        self.client.synonyms.put_synonym(id=self.synonyms_set, **synonym_set_body())

    def _create_index(self, *, aliased: bool) -> str:
        # An index whose analyser names a synonyms set that does not exist yet is left
        # unusable: the set goes first (and a rebuild brings it up to date anyway).
        self.push_synonyms()
        name = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        self.client.indices.create(
            index=name,
            settings=index_settings(self.has_kuromoji(), self.synonyms_set),
            mappings=index_mapping(),
            aliases={self.alias: {}} if aliased else None,
        )
        return name

    def _ensure_alias(self) -> None:
        if self._alias_ready:
            return
        if not self.client.indices.exists_alias(name=self.alias):
            self._create_index(aliased=True)
        self._alias_ready = True

    def _aliased_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    @staticmethod
    def _action(document, index: str) -> dict:
        return {
            "_op_type": "index",
            "_index": index,
            "_id": document.key,
            "_source": document_source(document),
        }

    # --- SearchBackend

    def index(self, documents) -> None:
        actions = [self._action(document, self.alias) for document in documents]
        if not actions:
            return
        self._ensure_alias()
        bulk(self.client, actions, refresh=WRITE_REFRESH)

    def remove(self, keys) -> None:
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": key} for key in keys]
        if not actions:
            return
        self._ensure_alias()
        # Deleting a key that was never indexed answers 404: that is fine here.
        bulk(self.client, actions, ignore_status=(404,), refresh=WRITE_REFRESH)

    def rebuild(self, documents) -> int:
        # Changes index()/remove() make while this runs go to the old index and are lost
        # with it; the periodic or next reindex of those objects brings them back.
        new = self._create_index(aliased=False)
        try:
            count, _errors = bulk(
                self.client, (self._action(document, new) for document in documents)
            )
            self.client.indices.refresh(index=new)
        except Exception:
            self.client.indices.delete(index=new, ignore_unavailable=True)
            raise
        old = self._aliased_indices()
        # One update_aliases call: searches see either the old index or the new one.
        self.client.indices.update_aliases(
            actions=[{"remove": {"index": name, "alias": self.alias}} for name in old]
            + [{"add": {"index": new, "alias": self.alias}}]
        )
        for name in old:
            self.client.indices.delete(index=name, ignore_unavailable=True)
        self._alias_ready = True
        return count

    def search(self, query: SearchQuery) -> SearchResults:
        parsed = parse(query.text)
        if parsed is not None and not parsed.searchable:
            # Nothing to ask the cluster: the page says why there are no results.
            return SearchResults(
                hits=[], total=0, facets={f: {} for f in FACETS}, query=query, unsearchable=True
            )
        search = build_search(query, parsed).using(self.client).index(self.alias)
        try:
            response = search.execute()
        except NotFoundError:  # nothing indexed yet
            return SearchResults(hits=[], total=0, facets={f: {} for f in FACETS}, query=query)
        return add_suggestion(self, results_from_response(query, response.to_dict()))

    def count(self, query: SearchQuery) -> int:
        parsed = parse(query.text)
        if parsed is not None and not parsed.searchable:
            return 0
        try:
            # The _count API: no hits, no aggregations, no highlighting to compute.
            response = self.client.count(
                index=self.alias, query=count_query(query, parsed).to_dict()
            )
        except NotFoundError:
            return 0
        return response["count"]

    def matching_ids(self, text: str, kind: str):
        parsed = parse(text)
        if parsed is not None and not parsed.searchable:
            return []
        search = Search().query(text_query(parsed)).filter("term", kind=kind).source(["object_id"])
        try:
            # A scroll, not one page: the caller filters a queryset with every match.
            hits = scan(self.client, index=self.alias, query=search.to_dict(), size=1000)
            return [hit["_source"]["object_id"] for hit in hits]
        except NotFoundError:
            return []

    def suggest(self, prefix: str, limit: int = 8, kinds=()) -> list[str]:
        prefix = prefix.strip()
        if not prefix:
            return []
        completion = {
            "field": "suggest",
            # Twice the limit: several documents may share a title (two "ウェブ制作").
            "size": limit * 2,
            # A field with contexts must be queried with some: all kinds unless told.
            "contexts": {"kind": list(kinds) or document_kinds()},
        }
        search = (
            Search(using=self.client, index=self.alias)
            .source(["title"])
            .extra(size=0)
            .suggest("titles", prefix, completion=completion)
        )
        try:
            response = search.execute().to_dict()
        except NotFoundError:
            return []
        titles = []
        for option in response["suggest"]["titles"][0]["options"]:
            title = option["_source"]["title"]
            if title not in titles:
                titles.append(title)
        return titles[:limit]
