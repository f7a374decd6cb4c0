"""A new user signs up in Japanese, verifies the e-mail, turns on TOTP, logs out, and logs
in again with password and TOTP code, on a phone and on a desktop; axe checks every page."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

from accounts.models import User

from .conftest import assert_accessible, field

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "asakusa-lantern-2026"


def current_totp(secret: str) -> str:
    """The code an authenticator app shows now; never one about to expire in transit."""
    remaining = 30 - time.time() % 30
    if remaining < 3:
        time.sleep(remaining + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize("page", ["phone", "desktop"], indirect=True)
def test_signup_verify_totp_logout_login_with_totp(page, live_server):
    email = "aya.designer@example.jp"

    # given a visitor on the Japanese home page
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert_accessible(page)

    # when she signs up
    page.get_by_role("link", name="新規登録").click()
    assert page.get_by_role("heading", level=1).inner_text() == "ユーザー登録"
    assert_accessible(page)
    page.get_by_role("button", name="ユーザー登録").click()  # empty form first
    assert page.locator(".field__errors").first.is_visible()
    assert_accessible(page)
    field(page, "Eメール").fill(email)
    field(page, "表示名").fill("山田 彩")
    field(page, "パスワード").fill(PASSWORD)
    field(page, "パスワード (再入力)").fill(PASSWORD)
    field(page, "利用規約とプライバシーポリシーに同意します").check()
    page.get_by_role("button", name="ユーザー登録").click()

    # then she is asked to verify her address, and the e-mail says how
    page.wait_for_url("**/accounts/confirm-email/")
    assert "確認" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", message.body).group(0)

    # when she follows the link and confirms
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="確認").click()

    # then she is logged in on her page
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "マイページ"
    assert_accessible(page)

    # when she turns on the authenticator app in her account settings
    page.get_by_role("link", name="アカウント設定").click()
    assert "山田 彩" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="2段階認証の設定").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("有効")).first.click()
    # Logged in by the e-mail link, not a password: allauth asks for it before a
    # security change.
    assert page.get_by_role("heading", level=1).inner_text() == "アクセス確認"
    assert_accessible(page)
    field(page, "パスワード").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="確認").click()
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    field(page, "認証アプリコード").fill("000000")  # a wrong code first
    page.get_by_role("button", name=re.compile("有効")).click()
    assert page.locator(".field__errors").first.is_visible()
    field(page, "認証アプリコード").fill(current_totp(secret))
    page.get_by_role("button", name=re.compile("有効")).click()

    # then recovery codes are shown and TOTP is on
    page.wait_for_url(re.compile(r".*/accounts/2fa/(recovery-codes/)?$"))
    assert_accessible(page)
    user = User.objects.get(email=email)
    assert user.authenticator_set.filter(type="totp").exists()

    # when she logs out
    page.goto(live_server.url + "/accounts/logout/")
    assert_accessible(page)
    page.locator("main").get_by_role("button", name="ログアウト").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="ログイン").is_visible()

    # and logs in again with the password ...
    page.get_by_role("link", name="ログイン").click()
    field(page, "Eメール").fill(email)
    field(page, "パスワード").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="ログイン").click()

    # ... and is asked for the code from her app
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    field(page, "コード").fill(current_totp(secret))
    page.locator("main").get_by_role("button").first.click()

    # then she is in
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "マイページ"
    assert page.js_errors == []
