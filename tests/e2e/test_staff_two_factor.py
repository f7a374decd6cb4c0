"""A moderator who has only a password is sent to enrol a second factor before any
moderation queue opens, is walked through it, and then arrives where they were going."""

import re

import pytest

from accounts import services
from accounts.models import Role
from tests.accounts.factories import PASSWORD, UserFactory

from .conftest import assert_accessible, field
from .test_signup_and_mfa import current_totp

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_moderator_without_mfa_enrols_before_the_queue_opens(page, live_server):
    moderator = UserFactory(email="mod.taito@example.jp", display_name="台東区 モデレーター")
    services.grant_role(moderator, Role.MODERATOR)

    # given the moderator logs in with the password alone
    page.goto(live_server.url + "/accounts/login/?next=/admin/moderation/reports/")
    field(page, "Eメール").fill(moderator.email)
    field(page, "パスワード").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="ログイン").click()

    # then the queue does not open: the guide does, and says why
    page.wait_for_url(re.compile(r".*/accounts/two-factor/required/\?next=.*"))
    assert page.get_by_role("heading", level=1).inner_text() == "2段階認証を設定する"
    assert "管理画面" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(live_server.url + "/admin/moderation/organizations/")
    assert "/accounts/two-factor/required/" in page.url

    # when they connect an authenticator app
    page.get_by_role("link", name="認証アプリを設定する").click()
    # allauth asks for the password again before any security change
    assert page.get_by_role("heading", level=1).inner_text() == "アクセス確認"
    field(page, "パスワード").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="確認").click()
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value().strip()
    field(page, "認証アプリコード").fill(current_totp(secret))
    page.get_by_role("button", name=re.compile("有効")).click()

    # then the recovery codes are offered, with the way on
    page.wait_for_url(re.compile(r".*/accounts/2fa/recovery-codes/$"))
    assert page.locator("#recovery_codes, .recovery-codes").first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="続ける").click()

    # and the queue they asked for opens
    page.wait_for_url(re.compile(r".*/admin/moderation/organizations/$"))
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert moderator.authenticator_set.filter(type="totp").exists()
    assert moderator.authenticator_set.filter(type="recovery_codes").exists()
