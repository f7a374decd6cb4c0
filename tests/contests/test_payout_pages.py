"""Prize money through the pages, as the winners and the organizers meet them: the
leader's 「賞金」 page after the results, the state of each payment in the recipient's
words, the bank details form with its mistakes, the split, the organizers' pool, the
bank file and its downloads, the sponsors' page without Stripe, and the links that lead
there.

Japanese pages are checked by their structure (status codes, errors beside the fields,
what was typed kept) and the states by the model's own labels, so the Japanese wording
can change; English pages (/en/) by their words.
"""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from contests.models import AwardSplit, BankTransferBatch, PayoutStatus
from contests.payouts import manual, zengin
from contests.payouts import services as payouts

from . import factories as f
from . import payout_factories as pf

pytestmark = pytest.mark.django_db

S = PayoutStatus
NUMBER = pf.BANK["account_number"]  # 1234567
HOLDER = "ヤマダ タロウ"  # pf.BANK's half-width ﾔﾏﾀﾞ ﾀﾛｳ, as it is kept


@pytest.fixture(autouse=True)
def _no_stripe(settings):
    """Stripe is not configured unless a test says so: bank transfer is the only method
    and the sponsors' page takes no payments."""
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_API_BASE = ""


def url(name, *args, lang="ja"):
    """A page's address in `lang` (English ones live under /en/)."""
    with translation.override(lang):
        return reverse(f"contests:{name}", args=args)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def words(node) -> str:
    """The text of a node with its whitespace folded, as a reader sees it."""
    return " ".join(node.get_text(" ").split())


def label(status, lang="ja") -> str:
    with translation.override(lang):
        return str(S(status).label)


def badge(page, section: str) -> str:
    found = page.select_one(f'section[aria-labelledby="{section}"] .badge')
    assert found is not None, f"no status badge in #{section}"
    return words(found)


def links(page) -> set[str]:
    return {a["href"] for a in page.select("a[href]")}


def field_of(page, name: str):
    """The input of a form field and the .field block around it (its label and errors)."""
    element = page.select_one(f"#id_{name}")
    assert element is not None, f"no field {name}"
    return element, element.find_parent(class_="field")


# --- The winners' side ---------------------------------------------------------------------


def test_after_publishing_the_leader_sees_the_payment_and_the_decision_to_take():
    organizer = f.organizer()
    won = pf.published(organizer, members=1)
    leader, member = won["leader"], won["members"][0]
    award, payout = won["award"], won["payout"]
    assert payout.status == S.PENDING

    response = client_for(leader).get(url("my_prizes"))
    assert response.status_code == 200
    page = soup(response)
    deciding = page.select_one('section[aria-labelledby="deciding-title"]')
    assert deciding is not None
    assert url("award_recipients", award.pk) in links(deciding)
    assert "最優秀賞" in words(deciding) and "¥300,000" in words(deciding)
    listed = page.select_one('section[aria-labelledby="payouts-title"]')
    assert url("payout_detail", payout.pk) in links(listed)
    assert badge(page, "payouts-title") == label(S.PENDING)

    # The member has nothing to decide and no payment of their own yet.
    page = soup(client_for(member).get(url("my_prizes")))
    assert page.select_one('section[aria-labelledby="deciding-title"]') is None
    assert url("payout_detail", payout.pk) not in links(page)
    assert page.select_one('section[aria-labelledby="payouts-title"] .empty-state') is not None

    # In English.
    response = client_for(leader).get(url("my_prizes", lang="en"))
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "en"
    assert words(page.select_one("h1")) == "Your prizes"
    assert "Decide who receives the prize" in words(page)
    assert url("award_recipients", award.pk, lang="en") in links(page)
    assert badge(page, "payouts-title") == "Waiting for the team to decide who receives it"


def test_the_badge_says_where_the_payment_stands_at_each_step():
    organizer = f.organizer()
    won = pf.published(organizer)  # teams of one: straight to the details
    leader, payout = won["leader"], won["payout"]
    winner = client_for(leader)
    expected_en = {
        S.DETAILS_NEEDED: "Waiting for the recipient's details",
        S.READY: "Waiting for approval",
        S.PAID: "Paid",
    }

    def check(status):
        payout.refresh_from_db()
        assert payout.status == status
        for lang, wanted in (("ja", label(status)), ("en", expected_en[status])):
            mine = soup(winner.get(url("my_prizes", lang=lang)))
            assert badge(mine, "payouts-title") == wanted, (lang, status)
            detail = soup(winner.get(url("payout_detail", payout.pk, lang=lang)))
            assert badge(detail, "state-title") == wanted, (lang, status)

    check(S.DETAILS_NEEDED)
    pf.ready(payout)
    check(S.READY)
    pf.approved(payout, organizer, pf.second_organizer())
    batch = manual.export_batch(organizer, won["contest"], timezone.localdate())
    manual.mark_batch_paid(organizer, batch)
    check(S.PAID)
    # The three labels are three different words.
    assert len({label(S.DETAILS_NEEDED), label(S.READY), label(S.PAID)}) == 3


BAD_BANK = {**pf.BANK, "account_number": "12a4567", "holder": "山田太郎"}


def test_bad_bank_details_answer_400_beside_the_fields_and_keep_what_was_typed():
    organizer = f.organizer()
    won = pf.published(organizer)
    leader, payout = won["leader"], won["payout"]
    winner = client_for(leader)
    detail = url("payout_detail", payout.pk)

    # First the method: bank transfer, living in Japan.
    response = winner.post(
        url("payout_method", payout.pk), {"provider": "manual", "lives_in_japan": "1"}
    )
    assert response.status_code == 302 and response["Location"].startswith(detail)
    page = soup(winner.get(detail))
    assert page.select_one(f'form[action="{url("payout_bank", payout.pk)}"]') is not None

    # Letters in the number, kanji in the name: both refused at once, each by its field.
    response = winner.post(url("payout_bank", payout.pk), BAD_BANK)
    assert response.status_code == 400
    page = soup(response)
    for name, typed in (("account_number", "12a4567"), ("holder", "山田太郎")):
        element, block = field_of(page, name)
        assert element["value"] == typed, name
        assert block.select_one(f"#id_{name}_error li") is not None, name
    for name in ("bank_code", "branch_code"):
        element, block = field_of(page, name)
        assert element["value"] == pf.BANK[name]
        assert block.select_one(".field__errors") is None, name

    # Six digits.
    response = winner.post(url("payout_bank", payout.pk), {**pf.BANK, "account_number": "123456"})
    assert response.status_code == 400
    element, block = field_of(soup(response), "account_number")
    assert element["value"] == "123456"
    assert block.select_one(".field__errors li") is not None
    payout.refresh_from_db()
    assert (payout.status, payout.bank_details) == (S.DETAILS_NEEDED, "")

    # The same mistakes in English say what to type.
    response = winner.post(url("payout_bank", payout.pk, lang="en"), BAD_BANK)
    assert response.status_code == 400
    page = soup(response)
    assert words(page.select_one("#id_account_number_error")) == (
        "The account number is digits only."
    )
    assert "in katakana" in words(page.select_one("#id_holder_error"))
    assert "not in kanji" in words(page.select_one("#id_holder_error"))
    response = winner.post(
        url("payout_bank", payout.pk, lang="en"), {**pf.BANK, "account_number": "123456"}
    )
    assert words(soup(response).select_one("#id_account_number_error")) == (
        "The account number has 7 digits."
    )

    # Full-width digits and half-width kana are what people type: accepted.
    response = winner.post(
        url("payout_bank", payout.pk), {**pf.BANK, "account_number": "１２３４５６７"}
    )
    assert response.status_code == 302
    payout.refresh_from_db()
    assert payout.status == S.READY
    assert payout.bank_masked.endswith("＊＊＊＊567")
    # The winner's own form is filled in with what they gave, in full.
    page = soup(winner.get(detail))
    assert field_of(page, "account_number")[0]["value"] == NUMBER
    assert field_of(page, "holder")[0]["value"] == HOLDER
    assert badge(page, "state-title") == label(S.READY)


def test_the_split_form_refuses_shares_that_do_not_add_up_and_states_the_remainder_rule():
    organizer = f.organizer()
    won = pf.published(organizer, members=2)
    leader, first, second = won["leader"], *won["members"]
    award = won["award"]
    team_lead = client_for(leader)
    page_url = url("award_recipients", award.pk)

    response = team_lead.get(url("award_recipients", award.pk, lang="en"))
    assert response.status_code == 200
    page = soup(response)
    assert words(page.select_one("h1")) == "Who receives 「最優秀賞」"
    assert "Yen left over from rounding go to the leader." in words(page)

    typed = {"action": "split", f"member_{leader.pk}": "50", f"member_{first.pk}": "30"}
    response = team_lead.post(page_url, typed)
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(".form-errors li") is not None
    assert field_of(page, f"member_{leader.pk}")[0]["value"] == "50"
    assert field_of(page, f"member_{first.pk}")[0]["value"] == "30"
    assert not AwardSplit.objects.filter(award=award).exists()

    response = team_lead.post(url("award_recipients", award.pk, lang="en"), typed)
    assert response.status_code == 400
    assert "The shares add up to 80%; they must add up to 100%." in words(
        soup(response).select_one(".form-errors")
    )

    # Shares that add up are proposed; the members are asked.
    response = team_lead.post(
        page_url,
        {
            "action": "split",
            f"member_{leader.pk}": "34",
            f"member_{first.pk}": "33",
            f"member_{second.pk}": "33",
        },
    )
    assert response.status_code == 302
    split = AwardSplit.objects.get(award=award)
    assert {s.member_id: s.amount for s in split.shares.all()} == {
        leader.pk: 102_000,
        first.pk: 99_000,
        second.pk: 99_000,
    }
    page = soup(client_for(first).get(url("my_prizes")))
    shares = page.select_one('section[aria-labelledby="shares-title"]')
    assert shares is not None and "¥99,000" in words(shares)
    share = split.shares.get(member=first)
    assert page.select_one(f'form[action="{url("answer_share", share.pk, "accept")}"]')
    assert page.select_one(f'form[action="{url("answer_share", share.pk, "decline")}"]')


# --- The organizers' side -------------------------------------------------------------------


def test_the_overview_shows_the_pool_and_warns_when_the_awards_exceed_it():
    organizer = f.organizer()
    won = pf.published(organizer, fund=None)  # awards ¥300,000 + ¥100,000, nothing funded
    contest = won["contest"]
    staff = client_for(organizer)

    def pool_section(lang="ja"):
        response = staff.get(url("payouts_admin", contest.pk, lang=lang))
        assert response.status_code == 200
        return soup(response).select_one('section[aria-labelledby="pool-title"]')

    pool = pool_section()
    assert "¥0" in words(pool.select_one(".stats"))
    warning = pool.select_one(".notice--warning")
    assert warning is not None and "¥400,000" in words(warning)
    warning = pool_section("en").select_one(".notice--warning")
    assert "The awards exceed the pool by ¥400,000." in words(warning)

    # The ward records its own funding for part of it, then the rest.
    response = staff.post(
        url("ward_funding", contest.pk), {"amount": "250000", "note": "令和9年度 予算"}
    )
    assert response.status_code == 302
    pool = pool_section()
    assert "¥250,000" in words(pool.select_one(".stats"))
    assert "¥150,000" in words(pool.select_one(".notice--warning"))
    # A funding without a reason is refused beside the field, the amount kept.
    response = staff.post(url("ward_funding", contest.pk), {"amount": "150000", "note": ""})
    assert response.status_code == 400
    _element, block = field_of(soup(response), "note")
    assert block.select_one(".field__errors li") is not None
    assert field_of(soup(response), "amount")[0]["value"] == "150000"
    staff.post(url("ward_funding", contest.pk), {"amount": "150000", "note": "補正予算"})
    pool = pool_section()
    assert pool.select_one(".notice--warning") is None
    assert payouts.pool(contest).shortfall == 0


def test_the_export_form_and_the_bank_files():
    organizer, second = f.organizer(), pf.second_organizer()
    won = pf.published(organizer)
    contest, payout = won["contest"], won["payout"]
    pf.approved(payout, organizer, second)
    staff = client_for(organizer)
    overview = url("payouts_admin", contest.pk)

    page = soup(staff.get(overview))
    export = page.select_one('section[aria-labelledby="export-title"]')
    form = export.select_one(f'form[action="{url("export_batch", contest.pk)}"]')
    assert form is not None and form.select_one('input[name="transfer_date"]') is not None
    # The list of what leaves shows the account masked only.
    assert "＊＊＊＊567" in words(export)
    assert NUMBER not in str(page) and HOLDER not in str(page)

    # A day in the past is refused by its field.
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = staff.post(url("export_batch", contest.pk), {"transfer_date": yesterday})
    assert response.status_code == 400
    _element, block = field_of(soup(response), "transfer_date")
    assert block.select_one(".field__errors li") is not None
    assert not BankTransferBatch.objects.exists()

    today = timezone.localdate()
    response = staff.post(url("export_batch", contest.pk), {"transfer_date": today.isoformat()})
    assert response.status_code == 302
    batch = BankTransferBatch.objects.get(contest=contest)
    payout.refresh_from_db()
    assert (payout.status, payout.batch_id) == (S.PAYING, batch.pk)
    page = soup(staff.get(overview))
    files = links(page)
    zengin_url, csv_url = (url("batch_download", batch.pk, fmt) for fmt in ("zengin", "csv"))
    assert {zengin_url, csv_url} <= files
    assert page.select_one(f'form[action="{url("batch_paid", batch.pk)}"]') is not None

    # The 全銀 file: Shift_JIS, fixed-length records of 120 bytes, CRLF after each.
    response = staff.get(zengin_url)
    assert response.status_code == 200
    assert "shift_jis" in response["Content-Type"].lower()
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = response.content
    assert data.endswith(b"\r\n")
    records = data.split(b"\r\n")[:-1]
    assert [len(r) for r in records] == [zengin.RECORD] * 4
    assert [r[:1] for r in records] == [b"1", b"2", b"8", b"9"]
    data.decode("cp932")  # decodable as a whole
    detail = records[1]
    assert NUMBER.encode() in detail
    assert "ﾔﾏﾀﾞ ﾀﾛｳ".encode("cp932") in detail
    assert b"0000300000" in detail  # ¥300,000 in its 10 digits
    assert records[2][1:19] == b"000001" + b"000000300000"

    # The CSV for the ward's accounting: UTF-8 with a BOM (for Excel).
    response = staff.get(csv_url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0] == f"P{payout.pk}" and NUMBER in rows[1] and HOLDER in rows[1]
    assert rows[1][-2] == "300000"

    # Not without the tick that the bank's statement shows the transfers left.
    response = staff.post(url("batch_paid", batch.pk), follow=True)
    assert "銀行の明細で振込が済んだことを確認したら" in words(soup(response))
    payout.refresh_from_db()
    assert payout.status == S.PAYING

    # The bank carried the file out: paid, and the winner reads it.
    assert staff.post(url("batch_paid", batch.pk), {"statement_checked": "1"}).status_code == 302
    payout.refresh_from_db()
    assert payout.status == S.PAID
    mine = soup(client_for(won["leader"]).get(url("my_prizes")))
    assert badge(mine, "payouts-title") == label(S.PAID)

    # In English.
    page = soup(staff.get(url("payouts_admin", contest.pk, lang="en")))
    export = page.select_one('section[aria-labelledby="export-title"]')
    assert words(export.select_one("h2")) == "Bank transfer file (全銀協 総合振込)"
    assert "Files made" in words(export)
    assert "全銀 file (Shift_JIS)" in words(export) and "CSV for accounting" in words(export)
    assert url("batch_download", batch.pk, "zengin", lang="en") in links(export)


def test_every_payout_page_in_english():
    organizer, second = f.organizer(), pf.second_organizer()
    won = pf.published(organizer, members=1)
    contest, award, payout, leader = won["contest"], won["award"], won["payout"], won["leader"]
    winner, staff = client_for(leader), client_for(organizer)

    def english(client, name, *args):
        response = client.get(url(name, *args, lang="en"))
        assert response.status_code == 200, name
        page = soup(response)
        assert page.html["lang"] == "en", name
        assert response.wsgi_request.path.startswith("/en/"), name
        return page

    page = english(winner, "award_recipients", award.pk)
    assert "The leader receives it all" in words(page)
    assert "Split it among the members" in words(page)
    payouts.receive_whole(leader, award)

    page = english(winner, "payout_detail", payout.pk)
    assert words(page.select_one("h1")) == "Payment of 「最優秀賞」"
    # Bank transfer is this contest's only way: no method to choose, the account at once.
    assert "How to pay you" not in words(page)
    assert "This contest pays its prizes by bank transfer to an account in Japan." in words(page)
    assert page.select_one(f'form[action="{url("payout_bank", payout.pk, lang="en")}"]')
    pf.ready(payout)
    page = english(winner, "payout_detail", payout.pk)
    assert "Your bank account in Japan" in words(page)
    assert "Your details are complete." in words(page)

    page = english(staff, "payouts_admin", contest.pk)
    assert words(page.select_one("h1")) == "Prize payments"
    assert "The prize pool" in words(page) and "Payments to the winners" in words(page)
    assert "Check the details and prepare it for approval." in words(page)
    page = english(staff, "payout_settings", contest.pk)
    assert words(page.select_one("h1")) == "Payout settings"
    assert "Stripe is not set up on this site" in words(page)
    page = english(staff, "payout_manage", payout.pk)
    assert "The recipient's bank account" in words(page)
    assert "Prepare for approval" in words(page)
    payouts.prepare(organizer, payout)
    page = english(client_for(second), "payout_manage", payout.pk)
    assert "Approve" in {words(b) for b in page.select("button")}
    page = english(staff, "reconcile", contest.pk)
    assert words(page.select_one("h1")) == "Reconciliation"
    assert "No differences" in words(page)

    page = english(winner, "sponsor", contest.pk)
    assert words(page.select_one("h1")) == "Sponsor the prizes"
    page = english(winner, "sponsor_return", contest.pk)
    assert words(page.select_one("h1")) == "Payment not found"


def test_the_sponsors_page_takes_no_payments_without_stripe(settings):
    assert settings.STRIPE_SECRET_KEY == ""
    contest = f.contest()
    resident = client_for(f.entrant(display_name="協賛したい区民"))

    response = resident.get(url("sponsor", contest.pk))
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one('input[name="amount"]') is None
    assert page.select_one(".empty-state") is not None
    response = resident.get(url("sponsor", contest.pk, lang="en"))
    assert "This contest does not take sponsors' payments online." in words(soup(response))
    # Posting anyway is refused, and no payment is recorded.
    response = resident.post(
        url("sponsor", contest.pk, lang="en"), {"sponsor_name": "駐輪ナビ商店", "amount": "50000"}
    )
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one('input[name="amount"]') is None
    assert "This contest does not take sponsors' payments online." in words(page)
    assert not contest.sponsor_payments.exists()
    # The contest page does not offer it either.
    page = soup(resident.get(contest.url))
    assert url("sponsor", contest.pk) not in links(page)
    assert page.select_one('[aria-labelledby="sponsor-title"]') is None


def test_the_contest_page_leads_only_its_organizers_to_the_payouts():
    organizer = f.organizer()
    won = pf.published(organizer)
    contest = won["contest"]
    target = url("payouts_admin", contest.pk)

    assert target in links(soup(client_for(organizer).get(contest.url)))
    for person in (
        None,
        f.entrant(display_name="区民"),
        won["leader"],
        f.organizer(f.TAITO, display_name="台東区 企画課"),
    ):
        page = soup(client_for(person).get(contest.url))
        assert target not in links(page), person
    # And the organizers' results page, too.
    results = soup(client_for(organizer).get(url("results_admin", contest.pk)))
    assert target in links(results)


def test_my_entries_leads_to_the_prizes():
    organizer = f.organizer()
    won = pf.published(organizer)
    leader = client_for(won["leader"])

    page = soup(leader.get(url("my_entries")))
    assert url("my_prizes") in links(page)
    page = soup(leader.get(url("my_entries", lang="en")))
    link = page.find("a", href=url("my_prizes", lang="en"))
    assert link is not None and words(link) == "Your prizes and their payments"
