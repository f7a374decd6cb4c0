"""The Elasticsearch backend: the same interface as the embedded one, for larger sites.

`{SEARCH_INDEX_PREFIX}-documents` is an alias, never a real index: a rebuild fills a new
timestamped index while searches keep using the old one, then swaps the alias in one
atomic step. The analysis settings, the mapping and the query are pure functions so the
tests can check them without a cluster.
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
from ..text import HIRAGANA, KATAKANA, document_terms, query_groups
from .base import FACETS, Hit, SearchBackend, SearchQuery, SearchResults

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


def index_settings(kuromoji: bool) -> dict:
    """Index settings: the Japanese analysers, with kuromoji when the cluster has it."""
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
    return {
        "analysis": {
            "char_filter": {"kana_fold": {"type": "mapping", "mappings": kana_mappings()}},
            "filter": {"cjk_stop": {"type": "stop", "stopwords": "_cjk_"}},
            "analyzer": {
                "ja_text": text,
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


def _text_field() -> dict:
    return {
        "type": "text",
        "analyzer": "ja_text",
        "fields": {"bigram": {"type": "text", "analyzer": "ja_bigram"}},
    }


def index_mapping() -> dict:
    return {
        # A typo in a field name should fail loudly rather than create a new field.
        "dynamic": "strict",
        # terms is only searched, never shown: keep it out of every response.
        "_source": {"excludes": ["terms"]},
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


def document_source(document) -> dict:
    source = {
        "kind": document.kind,
        "object_id": document.object_id,
        "language": document.language,
        "title": document.title,
        "body": document.body,
        "extra": document.extra,
        "terms": document_terms(document.title, document.body, document.extra),
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


def _term(term: str) -> Query:
    # search.text marks English words that also match as a prefix (photo → photography).
    if term.endswith("*"):
        return Q("prefix", terms=term.rstrip("*"))
    return Q("term", terms=term)


def _terms_query(text: str) -> Query | None:
    """The embedded backend's matching on the `terms` field: every word, through its own
    bigrams or its dictionary forms. None when the text has no searchable word."""
    words = [
        Q(
            "bool",
            should=[Q("bool", filter=[_term(t) for t in terms]) for terms in options],
            minimum_should_match=1,
        )
        for options in query_groups(text)
    ]
    return Q("bool", filter=words) if words else None


def text_query(text: str) -> Query:
    text = (text or "").strip()
    if not text:
        return Q("match_all")
    # cross_fields with "and": every word must occur, but title, body and extra count
    # together (like the embedded index's one term list). Fields are grouped by analyser,
    # so a document matches through the kuromoji or the bigram fields.
    analysed = Q("multi_match", query=text, fields=TEXT_FIELDS, type="cross_fields", operator="and")
    terms = _terms_query(text)
    if terms is None:
        return analysed
    # Either way matches; the terms clause is all filters, so it adds nothing to the score
    # and the analysed fields alone rank (and highlight) the results.
    return Q("bool", should=[analysed, terms], minimum_should_match=1)


def build_search(query: SearchQuery) -> Search:
    matched = text_query(query.text)
    if query.sort == "deadline":
        matched = Q("bool", must=[matched], filter=[Q("exists", field="deadline")])
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

    def _create_index(self, *, aliased: bool) -> str:
        name = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        self.client.indices.create(
            index=name,
            settings=index_settings(self.has_kuromoji()),
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
        search = build_search(query).using(self.client).index(self.alias)
        try:
            response = search.execute()
        except NotFoundError:  # nothing indexed yet
            return SearchResults(hits=[], total=0, facets={f: {} for f in FACETS}, query=query)
        return results_from_response(query, response.to_dict())

    def matching_ids(self, text: str, kind: str):
        search = Search().query(text_query(text)).filter("term", kind=kind).source(["object_id"])
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
