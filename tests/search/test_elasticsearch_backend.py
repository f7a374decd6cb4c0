"""The Elasticsearch backend without a cluster: settings, mapping and queries are pure
functions checked through their dicts, and the client is a mock."""

from datetime import date
from unittest import mock

import pytest

from search.backends import elasticsearch as es
from search.backends.base import FACETS, SearchQuery
from search.documents import Document


def _analyzer(settings: dict, name: str) -> dict:
    return settings["analysis"]["analyzer"][name]


def _body(query: SearchQuery, synonyms=None) -> dict:
    """The search body, parsed with the given synonyms (none): no database needed."""
    return es.build_search(query, es.parse(query.text, synonyms or {})).to_dict()


def _query(text: str, synonyms=None) -> dict:
    return es.text_query(es.parse(text, synonyms or {})).to_dict()


def _mapping_rules(settings: dict) -> dict:
    rules = settings["analysis"]["char_filter"]["kana_fold"]["mappings"]
    return dict(rule.split(" => ") for rule in rules)


# --- index_settings / index_mapping -------------------------------------------------


def test_settings_use_the_kuromoji_tokenizer_when_the_plugin_is_there():
    # given / when
    settings = es.index_settings(kuromoji=True)

    # then
    text = _analyzer(settings, "ja_text")
    assert text["tokenizer"] == "kuromoji_tokenizer"
    assert text["filter"] == [
        "kuromoji_baseform",
        "kuromoji_part_of_speech",
        "cjk_width",
        "lowercase",
    ]


def test_settings_fall_back_to_cjk_bigrams_without_kuromoji():
    # given / when
    settings = es.index_settings(kuromoji=False)

    # then
    text = _analyzer(settings, "ja_text")
    assert text["tokenizer"] == "standard"
    assert "cjk_bigram" in text["filter"]
    assert "kuromoji" not in repr(settings)


@pytest.mark.parametrize("kuromoji", [True, False])
def test_every_analyzer_folds_katakana_and_width(kuromoji):
    # given / when
    settings = es.index_settings(kuromoji=kuromoji)

    # then
    for analyzer in settings["analysis"]["analyzer"].values():
        assert analyzer["char_filter"] == ["kana_fold"]
        assert "cjk_width" in analyzer["filter"]
    bigram = _analyzer(settings, "ja_bigram")
    assert bigram["tokenizer"] == "standard"
    assert bigram["filter"] == ["cjk_width", "lowercase", "cjk_bigram"]


def test_kana_mapping_folds_katakana_to_hiragana():
    # given / when
    rules = _mapping_rules(es.index_settings(kuromoji=True))

    # then
    assert rules["ア"] == "あ"
    assert rules["ヶ"] == "ゖ"
    assert rules["ｻ"] == "さ"  # half-width
    assert rules["ｶﾞ"] == "が"  # half-width with its voiced mark
    assert len([k for k in rules if len(k) == 1 and "ァ" <= k <= "ヶ"]) == 86


def test_mapping_field_types():
    # given / when
    properties = es.index_mapping()["properties"]

    # then
    types = {name: field["type"] for name, field in properties.items()}
    assert types == {
        "kind": "keyword",
        "object_id": "long",
        "language": "keyword",
        "title": "text",
        "suggest": "completion",
        "body": "text",
        "extra": "text",
        "terms": "text",
        "readings": "text",
        "url": "keyword",
        "ward": "integer",
        "category": "integer",
        "skills": "integer",
        "remote": "boolean",
        "published_at": "date",
        "deadline": "date",
    }
    assert properties["url"]["index"] is False
    for name in ("title", "body", "extra"):
        assert properties[name]["analyzer"] == "ja_text"
        assert properties[name]["fields"]["bigram"]["analyzer"] == "ja_bigram"
        assert properties[name]["search_analyzer"] == "ja_text_search"


def test_mapping_has_a_whitespace_readings_field_kept_out_of_source():
    # given / when
    mapping = es.index_mapping()

    # then: Python computes the readings; the field only splits them and scores them
    assert mapping["properties"]["readings"] == {"type": "text", "analyzer": "whitespace"}
    assert "readings" in mapping["_source"]["excludes"]


@pytest.mark.parametrize("kuromoji", [True, False])
def test_search_analyzer_expands_synonyms_from_an_updateable_synonyms_set(kuromoji):
    # given / when
    settings = es.index_settings(kuromoji=kuromoji, synonyms_set="site-synonyms")

    # then
    assert settings["analysis"]["filter"]["ja_synonyms"] == {
        "type": "synonym_graph",
        "synonyms_set": "site-synonyms",
        "updateable": True,
        "lenient": True,
    }
    text = _analyzer(settings, "ja_text")
    search = _analyzer(settings, "ja_text_search")
    # an updateable filter is refused at index time: only the search twin has it
    assert "ja_synonyms" not in text["filter"]
    assert search["tokenizer"] == text["tokenizer"]
    assert [f for f in search["filter"] if f != "ja_synonyms"] == text["filter"]
    if not kuromoji:
        # before the stop words, which would leave holes in the parsed rules
        assert search["filter"][-2:] == ["ja_synonyms", "cjk_stop"]


def test_the_synonyms_set_is_named_after_the_index_prefix(settings):
    # given
    settings.SEARCH_INDEX_PREFIX = "ward"

    # when
    filters = es.index_settings(kuromoji=True)["analysis"]["filter"]

    # then
    assert filters["ja_synonyms"]["synonyms_set"] == "ward-synonyms"


def test_synonym_set_body_has_one_rule_per_group(db):
    # given
    from search.models import Synonym

    Synonym.objects.all().delete()  # the migrations' starter set
    Synonym.objects.create(terms="HP, ホームページ, Ｗｅｂサイト")
    Synonym.objects.create(terms="子育て、育児")
    Synonym.objects.create(terms="ひとりだけ")  # no other word: nothing to expand

    # when
    body = es.synonym_set_body()

    # then: normalised as the index is (width, case, katakana folded)
    assert body == {
        "synonyms_set": [
            {"id": "rule-1", "synonyms": "hp, ほーむぺーじ, webさいと"},
            {"id": "rule-2", "synonyms": "子育て, 育児"},
        ]
    }


def test_related_words_are_a_one_way_rule(db):
    from search.models import Synonym

    Synonym.objects.all().delete()
    Synonym.objects.create(terms="チラシ, ポスター", related="デザイン")
    Synonym.objects.create(terms="ひとりだけ", related="デザイン")

    (first, alone) = es.synonym_set_body()["synonyms_set"]

    # ちらし finds でざいん; でざいん does not find ちらし
    assert first["synonyms"] == "ちらし, ぽすたー => ちらし, ぽすたー, でざいん"
    assert alone["synonyms"] == "ひとりだけ => ひとりだけ, でざいん"


# --- build_search ---------------------------------------------------------------------


def test_text_query_needs_every_word():
    # given
    query = SearchQuery(text="会計 渋谷")

    # when
    body = _body(query)

    # then
    (matched,) = body["query"]["bool"]["must"]
    analysed, terms = matched["bool"]["should"]
    assert matched["bool"]["minimum_should_match"] == 1
    multi_match = analysed["multi_match"]
    assert multi_match["query"] == "会計 渋谷"
    assert multi_match["operator"] == "and"
    assert multi_match["fields"] == [
        "title^3",
        "title.bigram^2",
        "body",
        "body.bigram",
        "extra",
        "extra.bigram",
    ]
    # the embedded backend's matching, word by word: both words are required
    assert len(terms["bool"]["must"]) == 2


def test_documents_with_every_word_in_the_title_rank_first():
    # given / when
    body = _body(SearchQuery(text="会計 渋谷"))

    # then: a constant score above any BM25 one, for the title fields with every word
    (tier,) = body["query"]["bool"]["should"]
    assert tier["constant_score"]["boost"] == es.TITLE_TIER_BOOST
    in_title = tier["constant_score"]["filter"]["multi_match"]
    assert in_title["query"] == "会計 渋谷"
    assert in_title["fields"] == ["title", "title.bigram"]
    assert in_title["operator"] == "and"
    # the tier only orders: what matches is the must clause's alone
    assert "minimum_should_match" not in body["query"]["bool"]
    # sorted otherwise, or no words: no tier
    assert _body(SearchQuery(text="会計", sort="newest"))["query"] == _query("会計")
    assert _body(SearchQuery(text=""))["query"] == {"match_all": {}}


def test_a_word_also_matches_through_its_dictionary_form():
    # given: SudachiPy reads ウェブ as the Web a document may spell in Latin letters
    query = SearchQuery(text="ウェブ制作")

    # when
    terms = _body(query)["query"]["bool"]["must"][0]["bool"]["should"][1]

    # then
    (word,) = terms["bool"]["must"]
    alternatives = [
        [term["term"]["terms"] for term in option["bool"]["filter"]]
        for option in word["bool"]["should"]
    ]
    assert alternatives == [["うぇ", "ぇぶ", "ぶ制", "制作"], ["うぇ", "ぇぶ", "制作"]]


def test_documents_carry_the_embedded_terms():
    # given
    document = Document(kind="task", object_id=1, title="Webサイト制作", body="", url="/t/1/")

    # when
    source = es.document_source(document)

    # then
    assert {"web", "さい", "制作", "うぇ", "ぇぶ"} <= set(source["terms"].split())
    assert source["suggest"] == {"input": ["Webサイト制作"]}


def test_documents_carry_the_readings_of_their_kanji_words():
    # given
    document = Document(kind="task", object_id=1, title="翻訳ボランティア", body="", url="/t/1/")

    # when
    source = es.document_source(document)

    # then
    assert "ほんやく" in source["readings"].split()
    assert "ほんやく" in source["terms"].split()  # the embedded backend's terms have it too


def test_a_kana_word_matches_kanji_words_by_their_reading():
    # given / when
    terms = _query("ほんやく")["bool"]["should"][1]

    # then: the reading is scored on its own field, next to the bigram alternative, as the
    # start of a reading (ほんやく also finds 翻訳者, read ほんやくしゃ)
    (word,) = terms["bool"]["must"]
    assert {"prefix": {"readings": "ほんやく"}} in word["bool"]["should"]
    assert word["bool"]["minimum_should_match"] == 1


def test_a_two_kana_word_is_no_prefix():
    # かい* would match half the readings there are.
    assert "prefix" not in str(_query("かい"))


def test_documents_carry_the_readings_of_compounds_the_dictionary_cuts():
    document = Document(kind="dataset", object_id=1, title="避難所の一覧", body="", url="/d/1/")
    readings = es.document_source(document)["readings"].split()
    # 避難|所 read whole, and voiced after its first part as people say it
    assert {"ひなんしょ", "ひなんじょ"} <= set(readings)


def test_a_word_matches_through_its_synonyms():
    # given
    synonyms = {"hp": ["ホームページ"]}

    # when
    terms = _query("HP", synonyms)["bool"]["should"][1]

    # then
    (word,) = terms["bool"]["must"]
    alternatives = [
        [term for clause in option["bool"]["filter"] for term in clause.values()]
        for option in word["bool"]["should"]
    ]
    assert [{"terms": "hp"}] in alternatives
    assert [{"terms": t} for t in ("ほー", "ーむ", "むぺ", "ぺー", "ーじ")] in alternatives


def test_an_excluded_word_goes_to_must_not_and_not_to_the_analysers():
    # given / when
    query = _query("子育て -イベント")["bool"]

    # then
    (matched,) = query["must"]
    analysed, _terms = matched["bool"]["should"]
    assert analysed["multi_match"]["query"] == "子育て"
    (excluded,) = query["must_not"]
    options = excluded["bool"]["should"]
    assert {
        "bool": {"filter": [{"term": {"terms": t}} for t in ("いべ", "べん", "んと")]}
    } in options


def test_a_quoted_phrase_must_appear_as_written_on_the_bigram_fields():
    # given / when
    query = _query('"子育て 支援"')["bool"]

    # then: both words required, and the phrase (written without the space, as Japanese
    # is) on every bigram sub-field
    matched, phrase = query["must"]
    assert matched["bool"]["should"][0]["multi_match"]["query"] == "子育て 支援"
    assert phrase == {
        "bool": {
            "should": [
                {"match_phrase": {"title.bigram": "子育て支援"}},
                {"match_phrase": {"body.bigram": "子育て支援"}},
                {"match_phrase": {"extra.bigram": "子育て支援"}},
            ],
            "minimum_should_match": 1,
        }
    }
    assert "must_not" not in query


def test_a_quoted_phrase_keeps_the_space_between_latin_words():
    # given / when
    _matched, phrase = _query('"Web Design" 制作')["bool"]["must"]

    # then: "webdesign" would be one token, found nowhere
    assert phrase["bool"]["should"][0] == {"match_phrase": {"title.bigram": "web design"}}


def test_a_minus_quoted_phrase_is_excluded():
    # given / when
    query = _query('会計 -"子育て 支援"')["bool"]

    # then
    assert len(query["must"]) == 1
    assert len(query["must_not"]) == 1


@pytest.mark.parametrize("text", ["*", '"', "-会計", "「」"])
def test_an_unsearchable_query_matches_nothing(text):
    # given / when
    query = _query(text)

    # then: never everything
    assert query == {"match_none": {}}


def test_no_text_matches_everything():
    # given / when
    body = _body(SearchQuery())

    # then
    assert body["query"] == {"match_all": {}}
    assert "post_filter" not in body


def test_filters_go_in_post_filter():
    # given
    query = SearchQuery(ward=3, category=5, remote=True)

    # when
    body = _body(query)

    # then
    assert body["post_filter"] == {
        "bool": {
            "filter": [
                {"term": {"ward": 3}},
                {"term": {"category": 5}},
                {"term": {"remote": True}},
            ]
        }
    }


def test_a_facet_counts_with_the_other_filters_but_not_its_own():
    # given
    query = SearchQuery(kinds=["task"], ward=3, category=5, remote=True)

    # when
    aggs = _body(query)["aggs"]

    # then
    assert set(aggs) == set(FACETS)
    ward = aggs["ward"]
    assert ward["filter"]["bool"]["filter"] == [
        {"terms": {"kind": ["task"]}},
        {"term": {"category": 5}},
        {"term": {"remote": True}},
    ]
    assert ward["aggs"]["values"]["terms"]["field"] == "ward"
    assert aggs["skill"]["aggs"]["values"]["terms"]["field"] == "skills"
    assert {"term": {"ward": 3}} in aggs["remote"]["filter"]["bool"]["filter"]


def test_highlight_marks_and_escapes():
    # given / when
    highlight = _body(SearchQuery(text="会計"))["highlight"]

    # then
    assert highlight["pre_tags"] == ["<mark>"]
    assert highlight["post_tags"] == ["</mark>"]
    assert highlight["encoder"] == "html"
    assert highlight["fragment_size"] == 120
    assert highlight["number_of_fragments"] == 1
    assert {"title", "body"} <= set(highlight["fields"])


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "relevance",
            [
                "_score",
                {"published_at": {"order": "desc"}},
                {"object_id": {"order": "desc"}},
            ],
        ),
        ("newest", [{"published_at": {"order": "desc"}}, {"object_id": {"order": "desc"}}]),
        ("deadline", [{"deadline": {"order": "asc"}}, {"object_id": {"order": "desc"}}]),
    ],
)
def test_sort_orders(sort, expected):
    # given / when
    body = _body(SearchQuery(text="会計", sort=sort))

    # then
    assert body["sort"] == expected


def test_deadline_sort_keeps_only_documents_with_a_deadline():
    # given / when
    query = _body(SearchQuery(sort="deadline"))["query"]

    # then
    assert query == {
        "bool": {"must": [{"match_all": {}}], "filter": [{"exists": {"field": "deadline"}}]}
    }


def test_pagination():
    # given / when
    body = _body(SearchQuery(page=3, per_page=10))

    # then
    assert (body["from"], body["size"]) == (20, 10)


def test_pagination_stays_inside_the_result_window():
    # given / when
    body = _body(SearchQuery(page=10_000, per_page=20))

    # then
    assert body["from"] + body["size"] <= 10_000


# --- The backend, with a mocked client ----------------------------------------------


@pytest.fixture
def es_client():
    client = mock.MagicMock()
    client.nodes.info.return_value = {
        "nodes": {"node-1": {"plugins": [{"name": "analysis-kuromoji"}]}}
    }
    return client


@pytest.fixture
def backend(es_client, settings, db):
    # db: parsing a query reads the synonyms, creating an index pushes them
    settings.SEARCH_INDEX_PREFIX = "test"
    with mock.patch.object(es.connections, "create_connection", return_value=es_client):
        return es.ElasticsearchBackend()


def _document(object_id, **kwargs):
    url = f"/tasks/{object_id}/"
    return Document("task", object_id, f"タスク{object_id}", "本文", url, **kwargs)


def test_rebuild_fills_a_new_index_and_swaps_the_alias(backend, es_client):
    # given
    es_client.indices.get_alias.return_value = {"test-documents-20240101000000000000": {}}
    sent = []

    def fake_bulk(client, actions, **kwargs):
        sent.extend(actions)
        return len(sent), []

    # when
    with mock.patch.object(es, "bulk", side_effect=fake_bulk):
        count = backend.rebuild(_document(n, ward_id=3) for n in (1, 2))

    # then
    assert count == 2
    # the synonyms set first: an index naming a missing set is left unusable
    names = [name for name, _args, _kwargs in es_client.mock_calls]
    assert names.index("synonyms.put_synonym") < names.index("indices.create")
    es_client.synonyms.put_synonym.assert_called_once_with(
        id="test-synonyms", **es.synonym_set_body()
    )
    create = es_client.indices.create.call_args.kwargs
    new = create["index"]
    assert new.startswith("test-documents-") and new != "test-documents-20240101000000000000"
    assert create["mappings"] == es.index_mapping()
    assert create["settings"] == es.index_settings(kuromoji=True)
    assert [(a["_index"], a["_id"]) for a in sent] == [(new, "task:1"), (new, "task:2")]
    assert sent[0]["_source"]["ward"] == 3
    es_client.indices.refresh.assert_called_once_with(index=new)
    es_client.indices.update_aliases.assert_called_once_with(
        actions=[
            {"remove": {"index": "test-documents-20240101000000000000", "alias": "test-documents"}},
            {"add": {"index": new, "alias": "test-documents"}},
        ]
    )
    es_client.indices.delete.assert_called_once_with(
        index="test-documents-20240101000000000000", ignore_unavailable=True
    )


def test_rebuild_without_kuromoji_uses_the_cjk_settings(backend, es_client):
    # given
    es_client.nodes.info.return_value = {"nodes": {"node-1": {"plugins": []}}}

    # when
    with mock.patch.object(es, "bulk", return_value=(0, [])):
        backend.rebuild([])

    # then
    create = es_client.indices.create.call_args.kwargs
    assert create["settings"] == es.index_settings(kuromoji=False)


def test_a_failed_rebuild_leaves_the_alias_alone(backend, es_client):
    # given / when
    with mock.patch.object(es, "bulk", side_effect=RuntimeError("bulk failed")):
        with pytest.raises(RuntimeError):
            backend.rebuild([_document(1)])

    # then
    new = es_client.indices.create.call_args.kwargs["index"]
    es_client.indices.update_aliases.assert_not_called()
    es_client.indices.delete.assert_called_once_with(index=new, ignore_unavailable=True)


def test_index_creates_the_alias_on_first_use_and_writes_through_it(backend, es_client):
    # given
    es_client.indices.exists_alias.return_value = False

    # when
    with mock.patch.object(es, "bulk") as bulk:
        backend.index([_document(7)])

    # then
    create = es_client.indices.create.call_args.kwargs
    assert create["aliases"] == {"test-documents": {}}
    (actions,) = bulk.call_args.args[1:]
    assert [(a["_index"], a["_id"]) for a in actions] == [("test-documents", "task:7")]
    # searchable when index() returns, like the embedded backend
    assert bulk.call_args.kwargs == {"refresh": "wait_for"}


def test_highlight_prefers_the_field_that_marks_the_whole_word():
    # given: kuromoji marked part of サイト, the bigrams all of it (in two pieces)
    highlight = {
        "title": ["Web<mark>サイ</mark>ト制作"],
        "title.bigram": ["Web<mark>サイ</mark><mark>ト</mark>制作"],
    }

    # when
    html = es._highlighted(highlight, "title")

    # then
    assert html == "Web<mark>サイト</mark>制作"


def test_remove_ignores_unknown_keys(backend, es_client):
    # given
    es_client.indices.exists_alias.return_value = True

    # when
    with mock.patch.object(es, "bulk") as bulk:
        backend.remove(["task:1"])

    # then
    es_client.indices.create.assert_not_called()
    assert bulk.call_args.args[1] == [
        {"_op_type": "delete", "_index": "test-documents", "_id": "task:1"}
    ]
    assert bulk.call_args.kwargs == {"ignore_status": (404,), "refresh": "wait_for"}


def test_search_maps_hits_and_facets(backend, es_client):
    # given
    es_client.search.return_value.body = {
        "hits": {
            "total": {"value": 41},
            "hits": [
                {
                    "_score": 2.5,
                    "_source": {
                        "kind": "task",
                        "object_id": 1,
                        "title": "会計 <補助>",
                        "body": "帳簿" * 100,
                        "url": "/tasks/1/",
                        "ward": 3,
                        "deadline": "2030-01-31",
                    },
                    "highlight": {"title.bigram": ["<mark>会</mark><mark>計</mark> &lt;補助&gt;"]},
                }
            ],
        },
        "aggregations": {
            "ward": {"values": {"buckets": [{"key": 3, "doc_count": 41}]}},
            "remote": {"values": {"buckets": [{"key": 1, "doc_count": 7}]}},
        },
    }

    # when
    results = backend.search(SearchQuery(text="会計"))

    # then
    assert results.total == 41
    (hit,) = results.hits
    assert hit.title_html == "<mark>会計</mark> &lt;補助&gt;"
    assert hit.snippet == "帳簿" * 60 + "…"
    assert (hit.ward_id, hit.deadline, hit.score) == (3, date(2030, 1, 31), 2.5)
    assert results.facets["ward"] == {3: 41}
    assert results.facets["remote"] == {True: 7}
    assert results.facets["kind"] == {}
    assert es_client.search.call_args.kwargs["index"] == ["test-documents"]


def test_suggest_returns_distinct_titles(backend, es_client):
    # given
    es_client.search.return_value.body = {
        "hits": {"total": {"value": 0}, "hits": []},
        "suggest": {
            "titles": [
                {
                    "options": [
                        {"_source": {"title": "ウェブ制作"}},
                        {"_source": {"title": "ウェブ制作"}},
                        {"_source": {"title": "ウェブ解析"}},
                    ]
                }
            ]
        },
    }

    # when
    titles = backend.suggest("うぇぶ", limit=2, kinds=["task"])

    # then
    assert titles == ["ウェブ制作", "ウェブ解析"]
    body = es_client.search.call_args.kwargs["body"]
    assert body["suggest"]["titles"]["prefix"] == "うぇぶ"
    completion = body["suggest"]["titles"]["completion"]
    assert completion["field"] == "suggest"
    assert completion["contexts"] == {"kind": ["task"]}


def test_matching_ids_scrolls_through_every_match_of_the_kind(backend):
    # given
    hits = [{"_source": {"object_id": n}} for n in (4, 9)]

    # when
    with mock.patch.object(es, "scan", return_value=iter(hits)) as scan:
        ids = backend.matching_ids("会計", "task")

    # then
    assert ids == [4, 9]
    query = scan.call_args.kwargs["query"]["query"]["bool"]
    assert query["filter"] == [{"term": {"kind": "task"}}]
    assert scan.call_args.kwargs["index"] == "test-documents"


def test_push_synonyms_replaces_the_synonyms_set(backend, es_client):
    # given
    from search.models import Synonym

    Synonym.objects.all().delete()  # the migrations' starter set
    Synonym.objects.create(terms="HP, ホームページ")

    # when
    backend.push_synonyms()

    # then
    es_client.synonyms.put_synonym.assert_called_once_with(
        id="test-synonyms", synonyms_set=[{"id": "rule-1", "synonyms": "hp, ほーむぺーじ"}]
    )


def test_the_search_body_reaches_the_cluster_with_its_phrase_and_exclusion(backend, es_client):
    # given
    es_client.search.return_value.body = {"hits": {"total": {"value": 5}, "hits": []}}

    # when
    backend.search(SearchQuery(text='"子育て 支援" -イベント'))

    # then
    (query,) = es_client.search.call_args.kwargs["body"]["query"]["bool"]["must"]
    query = query["bool"]
    assert {"match_phrase": {"body.bigram": "子育て支援"}} in query["must"][1]["bool"]["should"]
    assert len(query["must_not"]) == 1


@pytest.mark.parametrize("text", ["*", '"', "-イベント"])
def test_an_unsearchable_query_finds_nothing_without_asking_the_cluster(backend, es_client, text):
    # given / when
    results = backend.search(SearchQuery(text=text))

    # then
    assert results.unsearchable is True
    assert (results.total, results.hits) == (0, [])
    assert set(results.facets) == set(FACETS)
    assert backend.count(SearchQuery(text=text)) == 0
    assert backend.matching_ids(text, "task") == []
    es_client.search.assert_not_called()
    es_client.count.assert_not_called()


def test_count_sends_the_query_with_its_filters_to_the_count_api(backend, es_client):
    # given
    es_client.count.return_value = {"count": 12}

    # when
    found = backend.count(SearchQuery(text="会計", ward=3, remote=True, page=4))

    # then
    assert found == 12
    kwargs = es_client.count.call_args.kwargs
    assert kwargs["index"] == "test-documents"
    query = kwargs["query"]["bool"]
    assert query["filter"] == [{"term": {"ward": 3}}, {"term": {"remote": True}}]
    (matched,) = query["must"]
    assert matched["bool"]["should"][0]["multi_match"]["query"] == "会計"
    es_client.search.assert_not_called()  # no hits, facets or highlights computed


def test_count_is_zero_before_anything_is_indexed(backend, es_client):
    # given
    es_client.count.side_effect = es.NotFoundError("index_not_found", mock.Mock(), {})

    # when / then
    assert backend.count(SearchQuery(text="会計")) == 0


def test_search_suggests_a_corrected_query_that_finds_more(backend, es_client):
    # given: one hit for the typo, twelve for the corrected spelling
    es_client.search.return_value.body = {"hits": {"total": {"value": 1}, "hits": []}}
    es_client.count.return_value = {"count": 12}

    # when
    with mock.patch("search.vocabulary.corrected", return_value="翻訳") as corrected:
        results = backend.search(SearchQuery(text="翻約", ward=3))

    # then
    corrected.assert_called_once_with("翻約", 1)  # the query and what it found
    assert results.suggestion == "翻訳"
    query = es_client.count.call_args.kwargs["query"]["bool"]
    assert query["filter"] == [{"term": {"ward": 3}}]  # counted with the same filters


def test_matching_ids_excludes_like_search(backend):
    # given / when
    with mock.patch.object(es, "scan", return_value=iter([])) as scan:
        backend.matching_ids("会計 -渋谷", "task")

    # then
    query = scan.call_args.kwargs["query"]["query"]["bool"]
    assert query["filter"] == [{"term": {"kind": "task"}}]
    assert len(query["must_not"]) == 1
