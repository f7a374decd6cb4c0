"""DOMAIN.md flow 3 in two browsers: the organization and the designer chat in real time.

The site runs in a daphne process (HTTP and WebSocket) on the test database, as in
production; the organization uses a desktop browser, the designer a phone.
"""

import re

import pytest
from playwright.sync_api import expect

from marketplace import services as board
from messaging import services as messaging
from messaging.models import Message
from tests.accounts.factories import UserFactory
from tests.marketplace import factories as f
from tests.servers import daphne

from .conftest import assert_accessible, field, log_in, outside_the_browser_loop

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

APPLICATION_TEXT = "SNS運用を5年担当しています。週3時間、在宅でお手伝いできます。"


@pytest.fixture
def site(transactional_db):
    with daphne("tests.e2e.asgi:application") as url:
        yield url


def sign_in(page, url, user):
    page.sockets_expected = True
    log_in(page, url, user)


def connected(page):
    expect(page.locator("#chat-status")).to_have_text(re.compile("接続しました"))


def bubbles(page, text):
    return page.locator(".chat-message:not(.chat-message--pending)", has_text=text)


@pytest.fixture
def application():
    owner = UserFactory(display_name="かっぱ橋本通り商店会 事務局")
    organization = f.organization(owner, name="かっぱ橋本通り商店会")
    task = f.task(organization, title="SNSでの情報発信を手伝ってほしい")
    designer = f.resident(ward_code="131121", display_name="山田 彩")
    return outside_the_browser_loop(board.apply_to_task, designer, task, APPLICATION_TEXT)


def test_organization_and_designer_chat_live_and_a_reload_misses_nothing(
    page, second_page, site, application
):
    owner = application.task.organization.memberships.get().user
    designer = application.resident
    org, resident = page, second_page
    sign_in(org, site, owner)
    sign_in(resident, site, designer)

    # The organization opens the applicant's messages from its applications page.
    org.goto(f"{site}/tasks/{application.task_id}/applications/")
    org.get_by_role("link", name="この人とのメッセージ").click()
    expect(org.get_by_role("heading", level=1)).to_have_text("SNSでの情報発信を手伝ってほしい")
    expect(bubbles(org, APPLICATION_TEXT)).to_have_count(1)
    connected(org)
    assert_accessible(org)

    # The designer finds the conversation from the header on her phone.
    resident.goto(f"{site}/dashboard/")
    resident.get_by_role("link", name=re.compile("^メッセージ")).first.click()
    resident.get_by_role("link", name=re.compile("SNSでの情報発信を手伝ってほしい")).click()
    connected(resident)
    assert_accessible(resident)

    # Real time, both ways, and the sender sees when it has been read.
    field(org, "メッセージ").fill("はじめまして。来週、オンラインで30分ほどお話しできますか？")
    org.get_by_role("button", name="送信").click()
    expect(bubbles(resident, "来週、オンラインで30分ほど")).to_have_count(1)
    expect(
        bubbles(org, "来週、オンラインで30分ほど").locator(".chat-message__read")
    ).to_be_visible()
    field(resident, "メッセージ").fill("はい、火曜の20時以降なら大丈夫です。")
    resident.get_by_role("button", name="送信").click()
    expect(bubbles(org, "火曜の20時以降")).to_have_count(1)

    # She reloads while the organization keeps writing: nothing is missed or doubled.
    resident.reload(wait_until="commit")
    for text in ("資料を先にお送りします。", "当日はZoomのリンクをここに貼ります。"):
        field(org, "メッセージ").fill(text)
        org.get_by_role("button", name="送信").click()
        expect(bubbles(org, text)).to_have_count(1)
    connected(resident)
    for text in ("資料を先にお送りします。", "当日はZoomのリンクをここに貼ります。"):
        expect(bubbles(resident, text)).to_have_count(1)
    field(org, "メッセージ").fill("よろしくお願いします！")
    org.get_by_role("button", name="送信").click()
    expect(bubbles(resident, "よろしくお願いします！")).to_have_count(1)

    # She sends and reloads at once: the outbox resends with the same id, stored once.
    field(resident, "メッセージ").fill("楽しみにしています。")
    resident.get_by_role("button", name="送信").click()
    resident.reload()
    connected(resident)
    expect(bubbles(resident, "楽しみにしています。")).to_have_count(1)
    expect(bubbles(org, "楽しみにしています。")).to_have_count(1)
    assert Message.objects.filter(body="楽しみにしています。").count() == 1

    # Seq order on both pages is the order in the database.
    conversation = messaging.conversation_for(application)
    stored = list(conversation.messages.order_by("seq").values_list("seq", flat=True))
    for browser_page in (org, resident):
        shown = [
            int(s)
            for s in browser_page.locator(".chat-message[data-seq]").evaluate_all(
                "els => els.map(e => e.dataset.seq)"
            )
        ]
        assert shown == stored

    # Before a match, contact details go out only if she says so.
    field(resident, "メッセージ").fill("連絡は aya.yamada@example.jp までどうぞ。")
    resident.get_by_role("button", name="送信").click()
    expect(resident.get_by_role("alert")).to_contain_text("連絡先")
    expect(bubbles(org, "aya.yamada@example.jp")).to_have_count(0)
    resident.get_by_label("連絡先を伝える").check()
    resident.get_by_role("button", name="送信").click()
    expect(bubbles(org, "aya.yamada@example.jp")).to_have_count(1)

    # Elsewhere on the site, the header counts her new message live.
    org.goto(f"{site}/dashboard/")
    field(resident, "メッセージ").fill("追伸：過去の制作例をお見せできます。")
    resident.get_by_role("button", name="送信").click()
    expect(org.locator("[data-unread-total]")).to_have_text("1")

    # The organization accepts her; the conversation says so at once.
    org.goto(f"{site}/tasks/{application.task_id}/applications/")
    org.get_by_role("button", name="承認する").click()
    expect(bubbles(resident, "マッチング成立")).to_have_count(1)

    assert org.js_errors == [] and resident.js_errors == []


def test_without_javascript_the_form_still_sends(browser, site, application):
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, site, application.resident)
    page.goto(f"{site}/messages/")
    page.get_by_role("link", name=re.compile("SNSでの情報発信を手伝ってほしい")).click()

    field(page, "メッセージ").fill("JavaScriptなしでも送れますか？")
    page.get_by_role("button", name="送信").click()

    expect(bubbles(page, "JavaScriptなしでも送れますか？")).to_have_count(1)
    # Reloading the result page does not send it again.
    page.reload()
    assert Message.objects.filter(body="JavaScriptなしでも送れますか？").count() == 1
    context.close()
