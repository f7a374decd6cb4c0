"""A resident downloads her data and closes her account on a phone; the organization she
worked with still sees the match, under 「退会したユーザー」. axe checks every new page.

Labels match the Japanese text or its English msgid, so the test reads the same before
and after the catalogue is updated.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import User
from marketplace import services as board
from marketplace.models import Match
from tests.accounts.factories import PASSWORD
from tests.marketplace import factories as f

from .conftest import assert_accessible, field, log_in, outside_the_browser_loop

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def either(japanese: str, english: str) -> re.Pattern:
    return re.compile(f"{re.escape(japanese)}|{re.escape(english)}")


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_resident_downloads_her_data_then_deletes_her_account(
    page, second_page, live_server, tmp_path
):
    url = live_server.url
    # given a 世田谷区 designer matched with a 台東区 商店街
    org = f.organization()
    member = org.memberships.get().user
    task = f.task(org)
    designer = f.resident(display_name="山田 彩")
    application = outside_the_browser_loop(
        board.apply_to_task, designer, task, "はじめまして。SNS運用を5年やっています。"
    )
    match = outside_the_browser_loop(board.accept_application, member, application)
    email = designer.email
    matches_in_ward = Match.objects.filter(task_ward=task.ward).count()

    # when she asks for her data on her account page
    log_in(page, live_server, designer)
    page.goto(url + "/accounts/profile/")
    data = page.locator("#your-data")
    assert_accessible(page)
    mail.outbox.clear()
    data.get_by_role(
        "button", name=either("データのダウンロードを準備する", "Prepare my data for download")
    ).click()

    # then it is prepared (no broker here: at once), e-mailed, and linked on the page
    page.wait_for_url("**/accounts/profile/#your-data")
    assert_accessible(page)
    [message] = [m for m in mail.outbox if m.to == [email]]
    link = re.search(r"http://\S+/accounts/data/\S+/", message.body).group(0)
    download_link = page.locator("#your-data").get_by_role(
        "link", name=either("データをダウンロード", "Download your data")
    )
    assert download_link.get_attribute("href") == link.removeprefix(settings.SITE_URL)

    # when she downloads it
    with page.expect_download() as info:
        download_link.click()
    saved = tmp_path / "data.json"
    info.value.save_as(saved)

    # then it is her data, as JSON
    assert info.value.suggested_filename.endswith(".json")
    content = json.loads(Path(saved).read_text(encoding="utf-8"))
    assert content["account"]["email"] == email
    assert content["board"]["matches"][0]["organization"] == org.name
    assert content["messages"]["sent"][0]["text"].startswith("はじめまして")

    # when she goes on to delete her account, she is asked for her password first
    page.goto(url + "/accounts/profile/")
    page.get_by_role("link", name=either("退会の手続きへ進む", "Go to account deletion")).click()
    page.wait_for_url(re.compile(r".*/accounts/reauthenticate/"))
    assert_accessible(page)
    field(page, "パスワード").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="確認").click()

    # then the page says what goes and what stays
    page.wait_for_url("**/accounts/close/")
    assert_accessible(page)
    main = page.locator("main").inner_text()
    assert re.search("退会したユーザー|Deleted user", main)
    delete = page.get_by_role(
        "button",
        name=either("退会する（アカウントを完全に削除する）", "Delete my account permanently"),
    )
    # sending without the confirmation keeps everything
    delete.click()
    assert page.locator(".field__errors").first.is_visible()
    assert_accessible(page)
    assert User.objects.get(pk=designer.pk).deleted_at is None

    # when she confirms
    page.get_by_role("checkbox").check()
    page.get_by_role(
        "button",
        name=either("退会する（アカウントを完全に削除する）", "Delete my account permanently"),
    ).click()

    # then she is logged out and told
    page.wait_for_url("**/accounts/closed/")
    assert_accessible(page)
    assert re.search(
        "退会の手続きが完了しました|Your account has been deleted",
        page.get_by_role("heading", level=1).inner_text(),
    )
    assert page.get_by_role("link", name="ログイン").is_visible()

    # and her old e-mail and password no longer log in
    page.get_by_role("link", name="ログイン").click()
    field(page, "Eメール").fill(email)
    field(page, "パスワード").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="ログイン").click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    assert page.locator(".form-errors, .field__errors").first.is_visible()

    # while the organization still has the match, under the deleted name
    assert Match.objects.filter(task_ward=task.ward).count() == matches_in_ward
    log_in(second_page, live_server, member)
    second_page.goto(url + f"/tasks/{task.pk}/applications/")
    matches = second_page.locator("section", has=second_page.locator("#matches-title"))
    row = matches.get_by_role("row").nth(1)
    assert re.search("退会したユーザー|Deleted user", row.inner_text())
    assert "山田 彩" not in second_page.locator("main").inner_text()
    second_page.goto(url + f"/matches/{match.pk}/")
    assert re.search("退会したユーザー|Deleted user", second_page.locator("main").inner_text())
    assert page.js_errors == [] and second_page.js_errors == []
