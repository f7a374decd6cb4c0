"""Failed log-ins slow an attacker down without locking the owner out: a per-account
back-off that spares the owner's known browsers and mails an unlock link, and a
per-address limit on the real client address."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import login_throttle

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
IP_LIMITED = "ログイン失敗が連続しています"  # allauth's per-address message


def log_in(client, email, password, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def attack(email, times=5, ip="203.0.113.66"):
    attacker = Client(REMOTE_ADDR=ip)
    for _attempt in range(times):
        response = log_in(attacker, email, "wrong-password")
        assert response.status_code == 200
    return attacker


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(login_throttle, "_now", lambda: now[0])
    return now


def test_the_owners_own_browser_still_logs_in_while_an_attacker_is_locked_out(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    owner = Client(REMOTE_ADDR="198.51.100.10")
    assert log_in(owner, user.email, PASSWORD).status_code == 302
    owner.post(reverse("account_logout"))

    with django_capture_on_commit_callbacks(execute=True):
        attacker = attack(user.email)

    # the attacker is refused even with the right password ...
    response = log_in(attacker, user.email, PASSWORD)
    assert "ログインの失敗が続いた" in response.content.decode()
    assert not logged_in(attacker)
    # ... and the owner, on the browser they used before, is not
    assert log_in(owner, user.email, PASSWORD).status_code == 302
    assert logged_in(owner)


def test_on_a_new_browser_the_owner_unlocks_with_the_emailed_link(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        attack(user.email)
    new_browser = Client(REMOTE_ADDR="198.51.100.20")
    assert (
        not logged_in(new_browser) and log_in(new_browser, user.email, PASSWORD).status_code == 200
    )

    # the e-mail says what happened and how to get in
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "ログイン" in message.subject
    link = re.search(r"http://[^\s]+/accounts/unlock/[^\s]+/", message.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    # opening the link alone (a mail scanner) unlocks nothing
    assert new_browser.get(path).status_code == 200
    assert log_in(new_browser, user.email, PASSWORD).status_code == 200

    # confirming does
    assert new_browser.post(path).status_code == 302
    assert log_in(new_browser, user.email, PASSWORD).status_code == 302
    assert logged_in(new_browser)


def test_an_unknown_address_is_answered_the_same_and_nobody_is_mailed(
    django_capture_on_commit_callbacks,
):
    known = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        attack(known.email)
        attack("nobody@example.jp")

    def answer(email):
        body = log_in(Client(REMOTE_ADDR="198.51.100.30"), email, "guess").content.decode()
        return re.sub(r"<input[^>]*>", "", body).replace(email, "EMAIL")

    assert answer(known.email) == answer("nobody@example.jp")
    assert [m.to for m in mail.outbox] == [[known.email]]


def test_the_lock_is_short_at_first_and_grows_with_each_further_failure(clock):
    user = UserFactory()
    attack(user.email)
    browser = Client(REMOTE_ADDR="198.51.100.40")
    assert log_in(browser, user.email, PASSWORD).status_code == 200

    clock[0] += 61  # the first lock is a minute
    log_in(Client(REMOTE_ADDR="203.0.113.66"), user.email, "wrong-again")
    clock[0] += 61
    assert log_in(browser, user.email, PASSWORD).status_code == 200  # now two minutes

    clock[0] += 60
    assert log_in(browser, user.email, PASSWORD).status_code == 302


def test_the_lock_never_exceeds_an_hour():
    assert login_throttle.lock_seconds(4) == 0
    assert login_throttle.lock_seconds(5) == 60
    assert login_throttle.lock_seconds(6) == 120
    assert login_throttle.lock_seconds(50) == 60 * 60


def test_a_password_reset_clears_the_lock(django_capture_on_commit_callbacks):
    user = UserFactory()
    attack(user.email)
    browser = Client(REMOTE_ADDR="198.51.100.50")
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"http://[^\s]+/accounts/password/reset/key/[^\s]+/", mail.outbox[-1].body)
    path = "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]
    form = browser.get(path, follow=True)
    browser.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "new-sumida-2026", "password2": "new-sumida-2026"},
    )

    assert log_in(browser, user.email, "new-sumida-2026").status_code == 302


# --- The client's address ---------------------------------------------------------------


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # ten different accounts so only the per-address limit is in play
    via_proxy = {"REMOTE_ADDR": "10.1.2.3"}

    for i in range(10):
        log_in(Client(**via_proxy, HTTP_X_FORWARDED_FOR="192.0.2.1"), f"a{i}@example.jp", "x")
    limited = log_in(Client(**via_proxy, HTTP_X_FORWARDED_FOR="192.0.2.1"), "b@example.jp", "x")
    other = log_in(Client(**via_proxy, HTTP_X_FORWARDED_FOR="192.0.2.2"), "c@example.jp", "x")

    assert IP_LIMITED in limited.content.decode()
    # the balancer's address is not what is counted
    assert IP_LIMITED not in other.content.decode()


def test_a_forwarded_header_from_anyone_else_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for i in range(10):
        spoofed = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        log_in(spoofed, f"d{i}@example.jp", "x")

    again = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert IP_LIMITED in log_in(again, "e@example.jp", "x").content.decode()


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("203.0.113.9", "192.0.2.1", "203.0.113.9"),
        ("10.0.0.5", "192.0.2.1", "192.0.2.1"),
        ("10.0.0.5", "192.0.2.1, 10.0.0.7", "192.0.2.1"),
        ("10.0.0.5", "198.51.100.1, 192.0.2.1", "192.0.2.1"),  # left-most can be forged
        ("10.0.0.5", "not-an-ip", "10.0.0.5"),
        ("10.0.0.5", "", "10.0.0.5"),
    ],
)
def test_client_ip(settings, rf, remote, forwarded, client):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert login_throttle.client_ip(request) == client
