"""One contract for every search backend: what a person searching can count on."""

import pytest

from marketplace import services
from marketplace.models import WorkStyle
from search.backends.base import SearchQuery
from search.index import reindex_now
from tests.marketplace import factories as f

pytestmark = pytest.mark.django_db


def _index(*objects):
    from search.documents import key_for

    reindex_now([key_for(o) for o in objects])


def titles(backend, text="", **filters):
    return [hit.title for hit in backend.search(SearchQuery(text=text, **filters)).hits]


@pytest.fixture
def corpus(search_backend):
    taito = f.organization(name="かっぱ橋本通り商店会")
    koto = f.organization(name="砂町銀座商店街", ward_code="131083")
    tasks = [
        f.task(taito, title="SNSでの情報発信を手伝ってほしい"),
        f.task(
            taito,
            title="Webサイト制作をお願いしたい",
            category=f.skill("web"),
            description="古いホームページをスマホ対応にしたいです。",
        ),
        f.task(
            koto,
            title="会計ソフトの導入",
            category=f.skill("accounting"),
            work_style=WorkStyle.ONSITE,
            description="帳簿をクラウド会計に移したい。",
        ),
        f.task(
            koto,
            title="放置自転車対策のチラシ",
            category=f.skill("design"),
            description="Translate the flyer into English as well.",
        ),
    ]
    _index(taito, koto, *tasks)
    return {"backend": search_backend, "taito": taito, "koto": koto, "tasks": tasks}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SNS 発信", "SNSでの情報発信を手伝ってほしい"),
        ("会計", "会計ソフトの導入"),
        ("ｗｅｂ制作", "Webサイト制作をお願いしたい"),  # full width
        ("さいと", "Webサイト制作をお願いしたい"),  # hiragana for katakana
        ("ウェブ制作", "Webサイト制作をお願いしたい"),  # the dictionary's reading of Web
        ("対策", "放置自転車対策のチラシ"),
        ("translate", "放置自転車対策のチラシ"),  # English
        ("砂町", "会計ソフトの導入"),  # the organization's name
    ],
)
def test_queries_find_the_expected_task(corpus, query, expected):
    assert expected in titles(corpus["backend"], query, kinds=["task"])


def test_all_words_must_match(corpus):
    assert titles(corpus["backend"], "会計 発信", kinds=["task"]) == []


def test_filters_combine_with_the_query_and_facets_count(corpus):
    backend = corpus["backend"]
    koto = f.ward("131083").pk
    results = backend.search(SearchQuery(text="", kinds=["task"], ward=koto))
    assert {h.title for h in results.hits} == {"会計ソフトの導入", "放置自転車対策のチラシ"}
    # the ward facet still counts the other ward, so people can switch
    assert results.facets["ward"][koto] == 2
    assert results.facets["ward"][f.ward("131067").pk] == 2
    assert "会計ソフトの導入" not in titles(backend, "", kinds=["task"], remote=True)
    assert titles(backend, "", kinds=["task"], category=f.skill("web").pk) == [
        "Webサイト制作をお願いしたい"
    ]


def test_highlighting_marks_matched_words(corpus):
    hit = corpus["backend"].search(SearchQuery(text="さいと", kinds=["task"])).hits[0]
    assert "<mark>サイト</mark>" in hit.title_html


def test_sort_by_deadline_and_pagination(corpus):
    backend = corpus["backend"]
    first = backend.search(SearchQuery(kinds=["task"], sort="deadline", per_page=2, page=1))
    second = backend.search(SearchQuery(kinds=["task"], sort="deadline", per_page=2, page=2))
    assert first.total == 4 and len(first.hits) == 2 and len(second.hits) == 2
    deadlines = [h.deadline for h in first.hits + second.hits]
    assert deadlines == sorted(deadlines)


def test_published_task_enters_and_closed_task_leaves_the_index(
    corpus, django_capture_on_commit_callbacks
):
    backend = corpus["backend"]
    # given a task published through the service: searchable once committed
    with django_capture_on_commit_callbacks(execute=True):
        task = f.task(corpus["taito"], title="夏祭りの企画")
    assert titles(backend, "夏祭り") == ["夏祭りの企画"]

    # when it stops taking applications, it leaves the results
    with django_capture_on_commit_callbacks(execute=True):
        services.close_task(task.organization.memberships.get().user, task)
    assert titles(backend, "夏祭り") == []


def test_suggestions_complete_titles(corpus):
    assert "会計ソフトの導入" in corpus["backend"].suggest("会計")


def test_private_profile_never_appears_and_withdrawal_removes_at_once(
    search_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        public = f.resident(display_name="公開 花子", discoverable=True)
        private = f.resident(display_name="非公開 太郎", discoverable=False)
    results = titles(search_backend, "", kinds=["profile"])
    assert any("公開 花子" in t for t in results)
    assert not any("非公開 太郎" in t for t in results)
    assert private.email not in str(search_backend.search(SearchQuery(text="example")).hits)

    from accounts.models import ConsentPurpose
    from accounts.services import withdraw_consent

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(public, ConsentPurpose.PROFILE_DISCOVERABLE)
    assert titles(search_backend, "", kinds=["profile"]) == []


def test_a_deactivated_account_leaves_search_at_once_and_returns_when_reactivated(
    search_backend, django_capture_on_commit_callbacks
):
    from accounts.services import set_active
    from tests.accounts.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        person = f.resident(display_name="退会 予定", discoverable=True)
    assert any("退会 予定" in t for t in titles(search_backend, "", kinds=["profile"]))

    with django_capture_on_commit_callbacks(execute=True):
        set_active(admin_user, person, False)
    assert titles(search_backend, "", kinds=["profile"]) == []

    with django_capture_on_commit_callbacks(execute=True):
        set_active(admin_user, person, True)
    assert any("退会 予定" in t for t in titles(search_backend, "", kinds=["profile"]))


def test_title_matches_come_first_and_the_pages_hold_every_match_once(search_backend):
    org = f.organization(name="谷中銀座商店街")
    # Long texts with the word once, in a long title; short ones that say it again
    # and again in the body: by bm25 alone (length normalised) the short ones come first.
    long_text = "商店街の夏祭りで、出店の案内と地図を作ります。当日の運営も相談したいです。" * 8
    long_title = "商店街の夏祭りの準備、会場の設営と出店の案内と当日の運営と片付け、そして提灯飾り"
    in_title = [
        f.task(org, title=f"{long_title} {n}", category=f.skill("design"), description=long_text)
        for n in range(3)
    ]
    in_body = [
        f.task(
            org,
            title=f"店頭の手伝い {n}",
            category=f.skill("web"),
            description="提灯、提灯、提灯を並べます。" * (n + 1),
        )
        for n in range(4)
    ]
    # Other tasks, so that the word is not in nearly every document (its weight ~0).
    others = [f.task(org, title=f"会計の相談 {n}", description="帳簿の付け方") for n in range(12)]
    _index(org, *in_title, *in_body, *others)

    pages = [
        search_backend.search(SearchQuery(text="提灯", kinds=["task"], per_page=2, page=page))
        for page in (1, 2, 3, 4)
    ]
    seen = [hit.title for results in pages for hit in results.hits]
    assert set(seen[:3]) == {task.title for task in in_title}
    assert sorted(seen) == sorted(task.title for task in in_title + in_body)
    assert {results.total for results in pages} == {7}

    # A category chosen: the count is that category's, its facet still counts the other.
    design = search_backend.search(
        SearchQuery(text="提灯", kinds=["task"], category=f.skill("design").pk)
    )
    assert design.total == 3
    assert design.facets["category"] == {f.skill("design").pk: 3, f.skill("web").pk: 4}
    assert design.facets["kind"] == {"task": 3}
