"""Issue #4 in a browser: Japanese searches find the expected tasks, facets narrow the
results, and a private profile never appears."""

import pytest

from tests.marketplace import factories as f

from .conftest import assert_accessible, field, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("page", ["phone", "desktop"], indirect=True)
def test_japanese_search_with_facets_and_privacy(
    page, live_server, django_capture_on_commit_callbacks
):
    # given tasks, a public and a private profile, indexed as the services do it
    with django_capture_on_commit_callbacks(execute=True):
        taito = f.organization(name="かっぱ橋本通り商店会")
        koto = f.organization(name="砂町銀座商店街", ward_code="131083")
        f.task(taito, title="SNSでの情報発信を手伝ってほしい")
        f.task(taito, title="Webサイト制作をお願いしたい", category=f.skill("web"))
        f.task(koto, title="会計ソフトの導入", category=f.skill("accounting"))
        f.task(taito, title="会計の相談に乗ってほしい", category=f.skill("accounting"))
        f.resident(display_name="公開 花子", discoverable=True)
        f.resident(display_name="非公開 太郎", discoverable=False)

    # when she searches, then she finds what she meant
    expectations = {
        "SNS 発信": "SNSでの情報発信を手伝ってほしい",
        "会計": "会計ソフトの導入",
        "ｗｅｂ制作": "Webサイト制作をお願いしたい",
        "さいと": "Webサイト制作をお願いしたい",
    }
    for query, expected in expectations.items():
        page.goto(live_server.url + "/search/")
        field(page, "検索する言葉").fill(query)
        page.locator("main").get_by_role("button", name="検索").click()
        results = page.locator(".result-list").inner_text()
        assert expected in results, (query, results)
        assert "非公開 太郎" not in page.content()
    assert_accessible(page)

    # facets narrow the results: 会計 in 江東区 only
    page.goto(live_server.url + "/search/?q=会計")
    assert "会計の相談に乗ってほしい" in page.locator(".result-list").inner_text()
    page.locator(".facets").get_by_role("link", name="江東区").click()
    results = page.locator(".result-list").inner_text()
    assert "会計ソフトの導入" in results and "会計の相談に乗ってほしい" not in results
    assert_accessible(page)

    # profiles are for verified organizations: the public one is found, the private never
    page.goto(live_server.url + "/search/?q=デザイナー")
    assert "公開 花子" not in page.locator("main").inner_text()  # not for the public
    log_in(page, live_server, taito.memberships.get().user)
    page.goto(live_server.url + "/search/?kind=profile")
    text = page.locator("main").inner_text()
    assert "公開 花子" in text and "非公開 太郎" not in text
    assert page.js_errors == []
