"""The e-mail digest on a phone: a resident with SNS skills turns it on, receives a
digest listing a newly posted SNS task and follows its link to the task; logged out, she
stops the digest from the e-mail's unsubscribe link. axe checks each page."""

import re

import pytest
from django.core import mail

from notifications.models import DigestSettings, Frequency
from notifications.tasks import send_digests
from tests.marketplace import factories as f

from .conftest import assert_accessible, log_in, outside_the_browser_loop

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_digest_brings_her_to_a_new_sns_task_and_one_click_stops_it(
    page, second_page, live_server, settings
):
    settings.SITE_URL = live_server.url  # the links in the e-mail lead to this server
    url = live_server.url
    designer = f.resident(display_name="山田 彩", email="aya@example.jp")

    log_in(page, live_server, designer)
    page.goto(url + "/notifications/")
    assert page.get_by_text("お知らせはまだありません。").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="メールでのお知らせを受け取る").click()
    page.wait_for_url(re.compile(r".*/notifications/settings/$"))
    page.get_by_role("radio", name="毎日").check()
    topics = page.get_by_role("group", name="お知らせする内容")
    assert topics.get_by_role("checkbox", name="あなたのスキルに合う新着の募集").is_checked()
    assert_accessible(page)
    page.get_by_role("button", name="保存する").click()
    assert page.get_by_text("保存しました。新着があれば次回のお知らせでお届けします。").is_visible()

    def post_tasks_and_send_the_digests():
        # Services tell open sockets (async_to_sync): away from Playwright's event loop.
        org = f.organization()
        new = f.task(org, title="商店街のInstagram運用を手伝ってほしい")
        f.task(org, title="会計ソフトの導入", category=f.skill("accounting"), skills=["accounting"])
        mail.outbox.clear()
        send_digests("daily")
        return new

    task = outside_the_browser_loop(post_tasks_and_send_the_digests)

    [digest] = [m for m in mail.outbox if m.to == ["aya@example.jp"]]
    assert digest.subject.endswith("毎日のお知らせ: スキルボードの新着情報")
    assert "会計ソフトの導入" not in digest.body
    link = re.search(rf"{re.escape(url)}/tasks/{task.pk}/", digest.body).group(0)
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == task.title

    # Logged out (another browser), from the link every digest carries in its headers.
    unsubscribe = digest.extra_headers["List-Unsubscribe"].strip("<>")
    second_page.goto(unsubscribe)
    assert second_page.get_by_text("メールでのお知らせの配信をすべて停止しますか？").is_visible()
    assert_accessible(second_page)
    second_page.get_by_role("button", name="配信を停止する").click()
    assert second_page.get_by_role("heading", name="配信を停止しました").is_visible()
    assert second_page.get_by_role("link", name="ログインしてお知らせの設定を変更する").is_visible()
    assert_accessible(second_page)
    assert DigestSettings.objects.get(user=designer).frequency == Frequency.NEVER
