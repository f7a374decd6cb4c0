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


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_kana_synonyms_and_a_typo_on_a_phone(page, live_server, django_capture_on_commit_callbacks):
    # Issue #21: what residents type, on a 360 px phone.
    with django_capture_on_commit_callbacks(execute=True):
        shop = f.organization(name="かっぱ橋本通り商店会")
        f.task(shop, title="メニューの翻訳", description="英語と中国語のメニューを作りたい。")
        f.task(shop, title="PowerPointで発表資料を作りたい", category=f.skill("it"))
        f.task(shop, title="夏祭りのチラシのデザイン", category=f.skill("design"))

    def search(query):
        page.goto(live_server.url + "/search/")
        field(page, "検索する言葉").fill(query)
        page.locator("main").get_by_role("button", name="検索").click()
        return page.locator("main")

    # a word typed in hiragana finds it written in kanji
    assert "メニューの翻訳" in search("ほんやく").locator(".result-list").inner_text()
    # another word for the same thing
    assert "PowerPointで発表資料を作りたい" in search("パワポ").locator(".result-list").inner_text()
    assert_accessible(page)

    # a typo: nothing found, and the corrected word one tap away
    main = search("デサイン")
    assert "見つかりませんでした" in main.inner_text()
    suggestion = main.locator(".search-suggestion")
    assert "もしかして" in suggestion.inner_text()
    link = suggestion.get_by_role("link", name="デザイン")
    box = link.bounding_box()
    assert box["height"] >= 24 and box["x"] + box["width"] <= 360
    assert_accessible(page)
    link.click()
    page.wait_for_url("**q=%E3%83%87%E3%82%B6%E3%82%A4%E3%83%B3**")
    assert "夏祭りのチラシのデザイン" in page.locator(".result-list").inner_text()

    # signs alone find nothing, and say so; the board's categories are offered instead
    main = search("*")
    assert "検索できる言葉がありません" in main.inner_text()
    main.locator(".search-categories").get_by_role("link", name="デザイン").click()
    assert "夏祭りのチラシのデザイン" in page.locator(".result-list").inner_text()
    assert_accessible(page)

    # the same in English
    page.goto(live_server.url + "/en/search/?q=デサイン")
    assert "Did you mean:" in page.locator(".search-suggestion").inner_text()
    assert page.js_errors == []
