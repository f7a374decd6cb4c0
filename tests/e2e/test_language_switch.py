"""The 「English」/「日本語」 switch keeps the same page both ways, on each public page type;
an English-language account logs in from a Japanese page and sees English."""

import re

import pytest

from cms import demo as cms_demo
from tests.accounts.factories import PASSWORD, UserFactory
from tests.marketplace import factories as f

from .conftest import assert_accessible, field

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site_pages():
    cms_demo.seed(None)  # home, board, guide, terms and privacy in both languages
    organization = f.organization()
    task = f.task(organization)
    return {
        "home": "/",
        "board": "/board/",
        "text page": "/terms/",
        "task": f"/tasks/{task.pk}/",
        "organization": f"/organizations/{organization.pk}/",
        "search": "/search/?q=SNS",
        "log-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
    }


def switch_to(page, language_name):
    page.locator(".lang-switcher").get_by_role("button", name=language_name).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_the_switch_keeps_each_kind_of_page_both_ways(page, live_server, site_pages):
    for kind, path in site_pages.items():
        # given the Japanese page
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "ja", kind
        japanese_heading = page.get_by_role("heading", level=1).first.inner_text()

        # when English is chosen, the same page opens in English
        switch_to(page, "English")
        assert page.url == live_server.url + "/en" + path, kind
        assert page.locator("html").get_attribute("lang") == "en", kind
        assert page.get_by_role("heading", level=1).first.is_visible(), kind
        assert page.locator(".lang-switcher").get_by_role("button", name="日本語").is_visible()
        if kind not in ("task", "organization"):  # their titles are the content's own
            english_heading = page.get_by_role("heading", level=1).first.inner_text()
            assert english_heading != japanese_heading, kind

        # and back: 日本語 returns to the very same Japanese page
        switch_to(page, "日本語")
        assert page.url == live_server.url + path, kind
        assert page.locator("html").get_attribute("lang") == "ja", kind
        assert page.get_by_role("heading", level=1).first.inner_text() == japanese_heading
    assert_accessible(page)
    assert page.js_errors == []


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_an_english_account_logs_in_from_a_japanese_page_and_sees_english(page, live_server):
    cms_demo.seed(None)
    user = UserFactory(email="tom@example.jp", display_name="Tom", language="en")

    page.goto(live_server.url + "/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "ja"
    field(page, "Eメール").fill(user.email)
    field(page, "パスワード").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="ログイン").click()

    page.wait_for_url(re.compile(r".*/en/dashboard/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "My page"
    # and the Japanese pages stay Japanese when asked for
    page.goto(live_server.url + "/board/")
    assert page.locator("html").get_attribute("lang") == "ja"
