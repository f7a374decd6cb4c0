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


# --- build_search ---------------------------------------------------------------------


def test_text_query_needs_every_word():
    # given
    query = SearchQuery(text="会計 渋谷")

    # when
    body = es.build_search(query).to_dict()

    # then
    analysed, terms = body["query"]["bool"]["should"]
    assert body["query"]["bool"]["minimum_should_match"] == 1
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
    assert len(terms["bool"]["filter"]) == 2


def test_a_word_also_matches_through_its_dictionary_form():
    # given: SudachiPy reads ウェブ as the Web a document may spell in Latin letters
    query = SearchQuery(text="ウェブ制作")

    # when
    terms = es.build_search(query).to_dict()["query"]["bool"]["should"][1]

    # then
    (word,) = terms["bool"]["filter"]
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


def test_no_text_matches_everything():
    # given / when
    body = es.build_search(SearchQuery()).to_dict()

    # then
    assert body["query"] == {"match_all": {}}
    assert "post_filter" not in body


def test_filters_go_in_post_filter():
    # given
    query = SearchQuery(ward=3, category=5, remote=True)

    # when
    body = es.build_search(query).to_dict()

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
    aggs = es.build_search(query).to_dict()["aggs"]

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
    highlight = es.build_search(SearchQuery(text="会計")).to_dict()["highlight"]

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
    body = es.build_search(SearchQuery(text="会計", sort=sort)).to_dict()

    # then
    assert body["sort"] == expected


def test_deadline_sort_keeps_only_documents_with_a_deadline():
    # given / when
    query = es.build_search(SearchQuery(sort="deadline")).to_dict()["query"]

    # then
    assert query == {
        "bool": {"must": [{"match_all": {}}], "filter": [{"exists": {"field": "deadline"}}]}
    }


def test_pagination():
    # given / when
    body = es.build_search(SearchQuery(page=3, per_page=10)).to_dict()

    # then
    assert (body["from"], body["size"]) == (20, 10)


def test_pagination_stays_inside_the_result_window():
    # given / when
    body = es.build_search(SearchQuery(page=10_000, per_page=20)).to_dict()

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
def backend(es_client, settings):
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
