"""Search results are kept until the index changes (search.results_cache): asking the
same thing again costs nothing, and a change is seen by the very next search."""

import pytest

from marketplace.services import tasks as task_services
from search.backends.base import SearchQuery
from tests.marketplace import factories as f

from .test_contract import _index, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(search_backend):
    return f.organization(name="かっぱ橋本通り商店会")


def test_the_same_search_again_reads_nothing_from_the_database(
    shop, search_backend, django_assert_num_queries
):
    _index(f.task(shop, title="メニューの翻訳"))
    first = search_backend.search(SearchQuery(text="翻訳", kinds=["task"]))
    with django_assert_num_queries(0):
        again = search_backend.search(SearchQuery(text="翻訳", kinds=["task"]))
    assert [h.title for h in again.hits] == [h.title for h in first.hits] == ["メニューの翻訳"]
    assert again.facets == first.facets


def test_a_new_document_is_found_by_the_next_search(shop, search_backend):
    _index(f.task(shop, title="メニューの翻訳"))
    assert titles(search_backend, "翻訳", kinds=["task"]) == ["メニューの翻訳"]
    _index(f.task(shop, title="案内板の翻訳"))
    assert sorted(titles(search_backend, "翻訳", kinds=["task"])) == [
        "メニューの翻訳",
        "案内板の翻訳",
    ]


def test_a_closed_task_leaves_the_results_at_once(
    shop, search_backend, django_capture_on_commit_callbacks
):
    task = f.task(shop, title="メニューの翻訳")
    _index(task)
    assert titles(search_backend, "翻訳", kinds=["task"]) == ["メニューの翻訳"]
    with django_capture_on_commit_callbacks(execute=True):
        task_services.close_task(shop.memberships.first().user, task)
    assert titles(search_backend, "翻訳", kinds=["task"]) == []


def test_nothing_stored_before_is_read_once_the_shared_cache_lost_the_generation(
    shop, search_backend
):
    """Without Redis the results live in each process's memory and the number that
    says which may be read in the shared cache, which can lose it (a restart, or its
    culling) while the results stay."""
    from django.core.cache import caches

    from search import results_cache

    task = f.task(shop, title="メニューの翻訳")
    _index(task)
    assert titles(search_backend, "翻訳", kinds=["task"]) == ["メニューの翻訳"]
    caches["default"].delete(results_cache.GENERATION_KEY)  # culled, or a restart
    search_backend.remove([f"task:{task.pk}"])
    # Whatever the index does next, counted from where the number starts again, no
    # search answers from the results of before (counting from 1 again reached them).
    for _change in range(6):
        assert titles(search_backend, "翻訳", kinds=["task"]) == []
        _index(shop)


def test_other_filters_are_other_results(shop, search_backend):
    _index(f.task(shop, title="メニューの翻訳"))
    assert titles(search_backend, "翻訳", kinds=["task"]) == ["メニューの翻訳"]
    assert titles(search_backend, "翻訳", kinds=["organization"]) == []


def _planner_setting():
    from django.db import connection

    if connection.vendor != "postgresql":
        return None  # SQLite has no planner settings to leave behind
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        return cursor.fetchone()[0]


def test_a_search_inside_a_transaction_leaves_the_planner_as_it_was(shop, search_backend):
    # PostgreSQL searches plan through the GIN index (search.backends.embedded); what
    # runs after them in the same transaction must not.
    from django.db import transaction

    _index(f.task(shop, title="メニューの翻訳"))
    with transaction.atomic():
        before = _planner_setting()
        assert titles(search_backend, "翻訳", kinds=["task"]) == ["メニューの翻訳"]
        assert _planner_setting() == before
