"""Issue #20, the prize money in a real browser, in Japanese, against the Stripe stand-in
(tests/stripe_standin.py, a real HTTP server with its hosted pages).

1. Stripe: the results are published; the winner, on a phone, says they receive the whole
   prize, chooses Stripe, onboards on the stand-in's page and comes back able to receive;
   one organizer prepares, a second approves, one presses 「支払う」; the winner reads
   「支払済み」.
2. Bank transfer: the winner types the account (a mistake first, then half-width
   katakana); the organizer who prepared it cannot approve it, a second one does; the
   first makes the 全銀 file, downloads it and marks it paid; the winner reads 「支払済み」.
3. A sponsor pays ¥50,000 into the pool by card on the stand-in's Checkout page; the
   organizers' prize payments page counts it.

The page texts are being translated while this is written: elements are found by form
actions, input names and ids, and states by the status labels as the code has them.

Unlike conftest's pages, these browsers enforce the site's Content-Security-Policy: the
forms that lead to Stripe's hosted pages answer with a redirect there, which the page's
form-action must allow (contests.views.payouts.allow_forms_to_stripe).
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError

from contests.models import (
    BankTransferBatch,
    Payout,
    PayoutStatus,
    SponsorPayment,
    SponsorPaymentStatus,
)
from tests.accounts.factories import PASSWORD, TOTP_SECRET
from tests.contests import factories as f
from tests.contests import payout_factories as pf
from tests.stripe_standin import stripe_standin  # noqa: F401  (the fixture)

from .conftest import AXE_JS, VIEWPORTS, _save_on_failure, assert_accessible, log_in
from .test_signup_and_mfa import current_totp

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOP_PRIZE = 300_000  # 最優秀賞 in payout_factories.published
WEBHOOK = "/payouts/stripe/webhook/"


def label(status) -> str:
    with translation.override("ja"):
        return str(status.label)


def _strict_page(browser, viewport):
    """A browser tab that enforces the site's Content-Security-Policy.

    conftest's pages bypass it (to inject axe-core); these do not, because the winner's
    and the sponsor's forms answer with a redirect to Stripe's hosted pages, and browsers
    check that redirect against the page's form-action. axe-core comes in as an init
    script instead, which the policy does not govern, so assert_accessible finds it."""
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport=VIEWPORTS[viewport]
    )
    context.set_default_timeout(10_000)
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def console(message):
        # The live server speaks WSGI only: the header's event socket cannot open there.
        if message.type == "error" and not message.text.startswith("WebSocket connection to"):
            errors.append(message.text)  # a policy violation is one of these too

    page.on("console", console)
    page.js_errors = errors
    return context, page


@pytest.fixture
def browsers(browser, request, live_server):
    """`browsers("phone")`, `browsers("desktop")`: each person their own browser."""
    opened = []

    def open_one(viewport="desktop"):
        context, page = _strict_page(browser, viewport)
        opened.append((context, page))
        return page

    yield open_one
    for n, (context, page) in enumerate(opened):
        _save_on_failure(request, page, f"-{n + 1}")
        context.close()


def staff_log_in(page, url, user, next_path):
    """The organizer signs in as staff do: password, then the code from their app."""
    page.goto(url + "/accounts/login/?next=" + next_path)
    login = page.locator("main form:has(input[name='password'])")
    login.locator("input[name='login']").fill(user.email)
    login.locator("input[name='password']").fill(PASSWORD)
    login.locator("button[type='submit']").first.click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/"))
    code = page.locator("main form:has(input[name='code'])")
    code.locator("input[name='code']").fill(current_totp(TOTP_SECRET))
    code.locator("button[type='submit']").first.click()
    page.wait_for_url(url + next_path)


def payout_state(page) -> str:
    """The state badge on a payout's page (the winner's or the organizers')."""
    return page.locator("section[aria-labelledby='state-title'] dd .badge").inner_text().strip()


def without_standin_favicon(page, standin):
    """The stand-in's pages have no icon (Stripe's do): the browser's request for one
    is answered here so that its 404 does not count as an error of the site."""
    page.route(standin.url + "/favicon.ico", lambda route: route.fulfill(status=204))


def press(page, form_selector):
    """Submit the form and wait for the answer to load. A submission the browser blocks
    (the page's form-action refusing a redirect to Stripe, say) fails with its console
    messages, which say why."""
    try:
        with page.expect_navigation():
            page.locator(form_selector).locator("button[type='submit']").click()
    except PlaywrightError as error:
        raise AssertionError(f"{form_selector} did not load: {error}\n{page.js_errors}") from None


def test_stripe_onboarding_to_paid(browsers, live_server, stripe_standin, settings):  # noqa: F811
    url = live_server.url
    settings.SITE_URL = url
    stripe_standin.webhook_url = url + WEBHOOK
    stripe_standin.add_balance(1_000_000)  # the platform's balance the transfer leaves from
    organizer = f.organizer(display_name="江東区 政策経営部")
    made = pf.published(organizer, members=1)  # a team of two: the leader decides
    contest, payout, winner = made["contest"], made["payout"], made["leader"]
    pf.ward_account(organizer, contest, providers=("manual", "stripe"))
    approver = pf.second_organizer()
    assert payout.status == PayoutStatus.PENDING

    # --- the winner, on a phone: who receives it, how, and Stripe's onboarding ----------
    page = browsers("phone")
    without_standin_favicon(page, stripe_standin)
    log_in(page, url, winner)
    page.goto(url + "/contests/prizes/")
    assert_accessible(page)
    page.locator(f"a[href$='/contests/awards/{made['award'].pk}/recipients/']").click()
    page.wait_for_url(re.compile(rf".*/contests/awards/{made['award'].pk}/recipients/$"))
    assert_accessible(page)
    press(page, "form:has(input[name='action'][value='whole'])")
    detail = url + f"/contests/payouts/{payout.pk}/"
    assert page.url == detail
    assert payout_state(page) == label(PayoutStatus.DETAILS_NEEDED)

    method = page.locator(f"form[action$='/contests/payouts/{payout.pk}/method/']")
    method.locator("input[name='lives_in_japan'][value='1']").check()
    method.locator("input[name='provider'][value='stripe']").check()
    press(page, f"form[action$='/contests/payouts/{payout.pk}/method/']")
    assert page.url == detail + "#details"
    register = f"form[action$='/contests/payouts/{payout.pk}/stripe/']"
    assert page.locator(register).is_visible()
    assert_accessible(page)

    press(page, register)
    assert page.url.startswith(stripe_standin.url + "/connect/onboarding/acct_")
    press(page, "form[action^='/connect/onboarding/']")
    # back through the return address, which reads the account from Stripe
    assert page.url == detail
    assert page.locator("#details .notice--success").is_visible()
    assert page.locator(register).count() == 0
    assert payout_state(page) == label(PayoutStatus.READY)
    assert_accessible(page)
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.READY
    assert winner.stripe_account.can_receive

    # --- the organizers, on desktops, each with their second factor ---------------------
    manage = f"/contests/payouts/{payout.pk}/manage/"
    first = browsers("desktop")
    staff_log_in(first, url, organizer, f"/contests/{contest.pk}/payouts/")
    assert_accessible(first)
    first.locator(f"a[href$='{manage}']").click()
    first.wait_for_url(url + manage)
    press(first, "form[action$='/prepare/']")
    assert first.locator("form[action$='/approve/']").count() == 0

    second = browsers("desktop")
    staff_log_in(second, url, approver, manage)
    press(second, "form[action$='/approve/']")
    assert payout_state(second) == label(PayoutStatus.APPROVED)

    first.reload()
    press(first, "form[action$='/pay/']")
    assert first.url == url + manage
    assert payout_state(first) == label(PayoutStatus.PAID)
    assert first.locator("form[action$='/pay/']").count() == 0
    assert_accessible(first)

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID and payout.transfer_id
    # every event Stripe sent on the way was taken (account.updated, transfer.created)
    assert {d["type"] for d in stripe_standin.deliveries} >= {"account.updated"}
    assert {d["status"] for d in stripe_standin.deliveries} == {200}
    transfers = list(stripe_standin.transfers.values())
    assert [(t["amount"], t["destination"]) for t in transfers] == [
        (TOP_PRIZE, winner.stripe_account.account_id)
    ]

    # --- the winner reloads their page ---------------------------------------------------
    page.reload()
    assert payout_state(page) == label(PayoutStatus.PAID) == "支払済み"
    assert page.locator(".notice--success").first.is_visible()
    assert_accessible(page)
    assert not page.js_errors and not first.js_errors and not second.js_errors


def test_bank_transfer_four_eyes_and_zengin_file(browsers, live_server, settings):
    url = live_server.url
    settings.SITE_URL = url
    organizer = f.organizer(display_name="江東区 政策経営部")
    made = pf.published(organizer)  # a team of one: straight to the details
    contest, payout, winner = made["contest"], made["payout"], made["leader"]
    approver = pf.second_organizer()
    assert payout.status == PayoutStatus.DETAILS_NEEDED
    detail = url + f"/contests/payouts/{payout.pk}/"

    # --- the winner types the bank account, on a phone -----------------------------------
    page = browsers("phone")
    log_in(page, url, winner)
    page.goto(url + "/contests/prizes/")
    page.locator(f"a[href$='/contests/payouts/{payout.pk}/']").click()
    page.wait_for_url(detail)
    # The contest pays by bank transfer only: no method to choose, the account form at once.
    assert page.locator(f"form[action$='/contests/payouts/{payout.pk}/method/']").count() == 0
    assert "日本国内の銀行口座への振込" in page.locator("#details").inner_text()

    bank = page.locator(f"form[action$='/contests/payouts/{payout.pk}/bank/']")
    for name in ("bank_name", "bank_code", "branch_name", "branch_code", "holder"):
        bank.locator(f"input[name='{name}']").fill(pf.BANK[name])
    bank.locator("input[name='account_type'][value='1']").check()
    bank.locator("input[name='account_number']").fill("12a4567")  # a letter in it
    press(page, f"form[action$='/contests/payouts/{payout.pk}/bank/']")

    # the error stands beside the field, and what was typed is still there
    field = page.locator(".field:has(#id_account_number)")
    error = field.locator("#id_account_number_error")
    assert error.is_visible() and error.inner_text().strip()
    assert page.locator(".field__errors").count() == 1
    assert page.locator("#id_holder").input_value() == pf.BANK["holder"]
    number_input = page.locator("#id_account_number")
    assert number_input.get_attribute("aria-invalid") == "true"
    assert "id_account_number_error" in number_input.get_attribute("aria-describedby")
    box, number = error.bounding_box(), page.locator("#id_account_number").bounding_box()
    assert abs(box["y"] - number["y"]) < 120  # right by the field, not at the top
    assert_accessible(page)
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.DETAILS_NEEDED and not payout.bank_details

    page.locator("#id_account_number").fill("1234567")
    press(page, f"form[action$='/contests/payouts/{payout.pk}/bank/']")
    assert page.url == detail
    assert payout_state(page) == label(PayoutStatus.READY)
    assert "567" in page.locator("section[aria-labelledby='state-title']").inner_text()
    assert "1234567" not in page.locator("main").inner_text()  # masked on the page
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.READY

    # --- organizer A prepares and cannot approve; organizer B approves -------------------
    manage = f"/contests/payouts/{payout.pk}/manage/"
    first = browsers("desktop")
    staff_log_in(first, url, organizer, manage)
    facts = first.locator("section[aria-labelledby='bank-title']").inner_text()
    assert "1234567" in facts and "ヤマダ タロウ" in facts  # half width, stored full width
    press(first, "form[action$='/prepare/']")
    assert first.locator("form[action$='/approve/']").count() == 0
    assert first.locator("section[aria-labelledby='actions-title'] .notice").is_visible()
    # pressing it anyway (a crafted request) is refused: back to the page, nothing approved
    refused = first.request.post(
        url + manage + "approve/",
        form={"csrfmiddlewaretoken": _csrf(first)},
        headers={"Referer": url + manage},
        max_redirects=0,
    )
    assert refused.status == 302 and refused.headers["location"].endswith(manage)
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.READY and payout.approved_by_id is None
    assert_accessible(first)

    second = browsers("desktop")
    staff_log_in(second, url, approver, manage)
    press(second, "form[action$='/approve/']")
    assert payout_state(second) == label(PayoutStatus.APPROVED)
    payout.refresh_from_db()
    assert payout.approved_by_id == approver.pk and payout.prepared_by_id == organizer.pk

    # --- A makes the bank file, downloads it and marks it paid ---------------------------
    first.goto(url + f"/contests/{contest.pk}/payouts/")
    press(first, f"form[action$='/contests/{contest.pk}/payouts/export/']")
    batch = BankTransferBatch.objects.get(contest=contest)
    assert (batch.count, batch.total) == (1, TOP_PRIZE)
    assert_accessible(first)
    with first.expect_download() as download:
        first.locator(f"a[href$='/contests/batches/{batch.pk}/zengin/']").click()
    data = open(download.value.path(), "rb").read()
    assert download.value.suggested_filename.endswith(".txt")
    records = data.split(b"\r\n")
    assert records[-1] == b""  # CRLF after the end record too
    records = records[:-1]
    assert [len(record) for record in records] == [120] * 4
    assert [record[:1] for record in records] == [b"1", b"2", b"8", b"9"]
    data.decode("cp932")  # Shift_JIS as the banks read it
    transfer = records[1]
    assert transfer[1:5] == b"0001" and transfer[43:50] == b"1234567"
    assert transfer[50:80].decode("cp932").rstrip() == "ﾔﾏﾀﾞ ﾀﾛｳ"
    assert int(transfer[80:90]) == TOP_PRIZE
    assert int(records[2][1:7]) == 1 and int(records[2][7:19]) == TOP_PRIZE

    paid_form = first.locator(f"form[action$='/contests/batches/{batch.pk}/paid/']")
    paid_form.get_by_label("振込が済んだことを銀行の明細で確認しました").check()
    press(first, f"form[action$='/contests/batches/{batch.pk}/paid/']")
    assert first.locator(f"form[action$='/contests/batches/{batch.pk}/paid/']").count() == 0
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID and payout.paid_by_id == organizer.pk

    # --- the winner sees it paid ---------------------------------------------------------
    page.reload()
    assert payout_state(page) == label(PayoutStatus.PAID) == "支払済み"
    assert_accessible(page)
    page.goto(url + "/contests/prizes/")
    assert label(PayoutStatus.PAID) in page.locator("main").inner_text()
    # The one answer with an error status is the form with the mistake (400, by design).
    assert page.js_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    assert not first.js_errors and not second.js_errors


def test_a_sponsor_funds_the_pool_by_card(browsers, live_server, stripe_standin, settings):  # noqa: F811
    url = live_server.url
    settings.SITE_URL = url  # Checkout's success and cancel addresses
    stripe_standin.webhook_url = url + WEBHOOK
    organizer = f.organizer(display_name="江東区 政策経営部")
    contest = f.contest()
    sponsor = f.entrant(display_name="協賛 花子")

    page = browsers("phone")  # the sponsor's
    without_standin_favicon(page, stripe_standin)
    log_in(page, url, sponsor)
    page.goto(url + contest.url)
    page.locator(f"a[href$='/contests/{contest.pk}/sponsor/']").click()
    page.wait_for_url(url + f"/contests/{contest.pk}/sponsor/")
    assert_accessible(page)
    form = "main form:has(input[name='amount'])"
    page.locator(form).locator("input[name='sponsor_name']").fill("株式会社 江東テック")
    page.locator(form).locator("input[name='amount']").fill("50000")
    press(page, form)

    # Stripe's (the stand-in's) hosted Checkout page
    assert page.url.startswith(stripe_standin.url + "/checkout/pay/cs_")
    assert "¥50,000" in page.locator("main").inner_text()
    page.locator("input[name='card']").fill("4242 4242 4242 4242")
    press(page, "form:has(input[name='card'])")

    # back on the site's thank-you page
    assert page.url.startswith(url + f"/contests/{contest.pk}/sponsor/return/?session_id=cs_")
    assert page.locator("main .notice--success").is_visible()
    assert "¥50,000" in page.locator("main").inner_text()
    assert_accessible(page)
    payment = SponsorPayment.objects.get(contest=contest)
    assert (payment.status, payment.amount, payment.payment_method) == (
        SponsorPaymentStatus.PAID,
        50_000,
        "card",
    )
    assert [d["status"] for d in stripe_standin.deliveries] == [200]

    # the organizers' page counts it in the pool
    first = browsers("desktop")
    staff_log_in(first, url, organizer, f"/contests/{contest.pk}/payouts/")
    pool = first.locator("section[aria-labelledby='pool-title'] .stats li")
    assert pool.first.locator(".money").inner_text() == "¥50,000"
    sponsors = first.locator("section[aria-labelledby='sponsors-title']").inner_text()
    assert "株式会社 江東テック" in sponsors and "¥50,000" in sponsors
    assert_accessible(first)
    assert not page.js_errors and not first.js_errors
    assert Payout.objects.count() == 0


def _csrf(page) -> str:
    for cookie in page.context.cookies():
        if cookie["name"] == "csrftoken":
            return cookie["value"]
    return ""
