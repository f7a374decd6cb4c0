"""The permission matrix of prize money: every payout URL and service, for each kind of
person. A resident, a team member who is not the recipient and another ward's organizer
are told there is nothing there (404, never 403); anonymous people are sent to log in;
the contest's organizers work with their second factor only; the recipient sees their
own pages. The bank account a winner types shows in full only to them and to the
contest's organizers, masked in the organizers' list, and nowhere else.

Building a published contest takes seconds, so each test builds one scenario and walks
its whole table, collecting every difference into one readable failure."""

import pytest
from django.urls import reverse
from django.utils import timezone

from contests.models import Award, AwardShare, Payout
from contests.models import PayoutStatus as S
from contests.payouts import manual
from contests.payouts import services as payouts
from core.errors import NotFound
from tests.accounts.factories import UserFactory, with_second_factor

from . import factories as f
from . import payout_factories as pf
from .test_permissions import _client, _status

pytestmark = pytest.mark.django_db

# Those who are refused come first: their requests change nothing, whatever the order.
PEOPLE = [
    "anonymous",
    "resident",
    "member",
    "other_ward_organizer",
    "bare_organizer",
    "recipient",
    "organizer",
    "superuser",
]
UNAUTHORISED = ["anonymous", "resident", "member", "other_ward_organizer", "bare_organizer"]

NOBODY = {**dict.fromkeys(PEOPLE, 404), "anonymous": "login"}
SIGNED_IN = {**dict.fromkeys(PEOPLE, 200), "anonymous": "login"}


def organizers(code, superuser=None):
    """The contest's ward organizer (and a superuser) with a second factor get `code`;
    the same organizer without one is sent to set it up; everyone else finds nothing."""
    return {
        **NOBODY,
        "bare_organizer": "2fa",
        "organizer": code,
        "superuser": code if superuser is None else superuser,
    }


def recipient(code):
    return {**NOBODY, "recipient": code}


def member_only(code):
    return {**NOBODY, "member": code}


# The runner-up's account: different from the winner's, so that what the bank file and
# the runner-up's own pages show is never mistaken for the winner's details.
OTHER_BANK = {**pf.BANK, "account_number": "7777777", "holder": "ｽｽﾞｷ ﾊﾅｺ"}
NUMBER, HOLDER = "1234567", "ヤマダ タロウ"
MASKED = "＊＊＊＊567"


def _seen(response):
    """As test_permissions._status, and '2fa' for the second factor's enrolment guide."""
    guide = reverse("accounts:two_factor_required")
    if response.status_code == 302 and response["Location"].startswith(guide):
        return "2fa"
    return _status(response)


def _text(response) -> str:
    content = response.content
    charset = "shift_jis" if "shift_jis" in response.get("Content-Type", "") else "utf-8"
    return content.decode(charset, errors="replace")


@pytest.fixture
def world():
    organizer = f.organizer(f.KOTO)
    scenario = pf.published(organizer, members=1)
    contest = scenario["contest"]
    second = pf.second_organizer()

    # The runner-up receives the whole prize by bank transfer; it is approved (four eyes)
    # and exported in a bank file.
    runner_up = scenario["teams"][1].leader
    award2 = Award.objects.get(contest=contest, prize__sort_order=1)
    payout2 = Payout.objects.get(award=award2)
    if payout2.status == S.PENDING:
        payouts.receive_whole(runner_up, award2)
        payout2.refresh_from_db()
    payouts.choose_method(runner_up, payout2, "manual", True)
    payouts.save_bank_details(runner_up, payout2, dict(OTHER_BANK))
    payout2.refresh_from_db()
    payouts.prepare(organizer, payout2)
    payouts.approve(second, payout2)
    batch = manual.export_batch(organizer, contest, timezone.localdate())

    people = {
        "anonymous": None,
        "resident": f.entrant(display_name="区民"),
        "member": scenario["members"][0],
        "other_ward_organizer": f.organizer(f.TAITO, display_name="台東区 企画課"),
        "bare_organizer": f.organizer(f.KOTO, second_factor=False, display_name="江東区 2FAなし"),
        "recipient": scenario["leader"],
        "organizer": organizer,
        "superuser": with_second_factor(
            UserFactory(display_name="管理者", is_superuser=True, is_staff=True)
        ),
    }
    return {
        **scenario,
        "second": second,
        "runner_up": runner_up,
        "payout2": payout2,
        "batch": batch,
        "people": people,
    }


def _walk(world, rows, failures):
    """Each row (name, method, url, data, expected) for every person in PEOPLE order."""
    for name, method, url, data, expected in rows:
        target = url(world)
        seen = {}
        for person in PEOPLE:
            client = _client(world["people"][person])
            if method == "get":
                response = client.get(target)
            else:
                response = client.post(target, data or {})
            seen[person] = _seen(response)
        if seen != expected:
            wrong = {
                p: f"{seen[p]!r} (expected {expected[p]!r})"
                for p in PEOPLE
                if seen[p] != expected[p]
            }
            failures.append(f"{method.upper()} {name} {target}: {wrong}")


def _url(name, *keys, extra=()):
    """reverse(contests:name) with the pks of world[key]... then the extra arguments."""
    return lambda w: reverse(f"contests:{name}", args=[*(w[k].pk for k in keys), *extra])


def _share_url(answer):
    return lambda w: reverse("contests:answer_share", args=[w["share"].pk, answer])


def test_who_may_open_and_use_each_prize_money_page(world):
    failures = []
    leader, member = world["leader"], world["members"][0]
    award, payout = world["award"], world["payout"]

    # While the leader's split waits for the member: who decides, who answers.
    split = payouts.propose_split(leader, award, {leader.pk: 50, member.pk: 50})
    world["share"] = AwardShare.objects.get(split=split, member=member)
    _walk(
        world,
        [
            ("who receives", "get", _url("award_recipients", "award"), None, recipient(200)),
            ("decline a share", "post", _share_url("decline"), None, member_only(302)),
        ],
        failures,
    )
    assert not AwardShare.objects.filter(pk=world["share"].pk).exists()
    split = payouts.propose_split(leader, award, {leader.pk: 50, member.pk: 50})
    world["share"] = AwardShare.objects.get(split=split, member=member)
    _walk(
        world,
        [("accept a share", "post", _share_url("accept"), None, member_only(302))],
        failures,
    )
    payout.refresh_from_db()
    assert payout.status == S.DETAILS_NEEDED, payout.status
    world["payout"] = pf.ready(payout)

    get_rows = [
        ("organizers' overview", "get", _url("payouts_admin", "contest"), None, organizers(200)),
        ("payout settings", "get", _url("payout_settings", "contest"), None, organizers(200)),
        ("reconciliation", "get", _url("reconcile", "contest"), None, organizers(200)),
        ("a payout, managed", "get", _url("payout_manage", "payout"), None, organizers(200)),
        (
            "the bank file",
            "get",
            _url("batch_download", "batch", extra=["zengin"]),
            None,
            organizers(200),
        ),
        (
            "the bank file as CSV",
            "get",
            _url("batch_download", "batch", extra=["csv"]),
            None,
            organizers(200),
        ),
        (
            "the bank file in no such format",
            "get",
            _url("batch_download", "batch", extra=["pdf"]),
            None,
            organizers(404),
        ),
        ("my prizes", "get", lambda w: reverse("contests:my_prizes"), None, SIGNED_IN),
        ("who receives", "get", _url("award_recipients", "award"), None, recipient(200)),
        ("a payout, received", "get", _url("payout_detail", "payout"), None, recipient(200)),
        # The runner-up's payout is not there for the winner either.
        ("another winner's payout", "get", _url("payout_detail", "payout2"), None, NOBODY),
        ("back from Stripe", "get", _url("stripe_return", "payout"), None, recipient(302)),
        ("Stripe link expired", "get", _url("stripe_refresh", "payout"), None, recipient(302)),
        ("sponsor", "get", _url("sponsor", "contest"), None, SIGNED_IN),
        ("back from Checkout", "get", _url("sponsor_return", "contest"), None, SIGNED_IN),
    ]
    _walk(world, get_rows, failures)

    today = timezone.localdate().isoformat()
    reason = {"reason": "テストの理由"}
    post_rows = [
        # The recipient's side first, while the payout is still theirs to change.
        (
            "choose a method",
            "post",
            _url("payout_method", "payout"),
            {"provider": "manual", "lives_in_japan": "1"},
            recipient(302),
        ),
        ("bank details", "post", _url("payout_bank", "payout"), dict(pf.BANK), recipient(302)),
        ("Stripe onboarding", "post", _url("stripe_onboarding", "payout"), None, recipient(302)),
        (
            "receive the whole prize",
            "post",
            _url("award_recipients", "award"),
            {"action": "whole"},
            recipient(302),
        ),
        (
            "answer an answered share",
            "post",
            _share_url("accept"),
            None,
            member_only(302),
        ),
        # The organizers' side.
        (
            "save payout settings",
            "post",
            _url("payout_settings", "contest"),
            dict(pf.SENDER),
            organizers(302),
        ),
        (
            "record the ward's funding",
            "post",
            _url("ward_funding", "contest"),
            {"amount": "1000", "note": "補正予算"},
            organizers(302),
        ),
        (
            "prepare",
            "post",
            _url("payout_action", "payout", extra=["prepare"]),
            None,
            organizers(302),
        ),
        (
            "approve",
            "post",
            _url("payout_action", "payout", extra=["approve"]),
            None,
            organizers(302),
        ),
        ("pay", "post", _url("payout_action", "payout", extra=["pay"]), None, organizers(302)),
        (
            "resend",
            "post",
            _url("payout_action", "payout", extra=["resend"]),
            None,
            organizers(302),
        ),
        (
            "no such action",
            "post",
            _url("payout_action", "payout", extra=["bogus"]),
            None,
            organizers(404),
        ),
        # The organizer exports the superuser's approval; nothing is left for the superuser.
        (
            "export a bank file",
            "post",
            _url("export_batch", "contest"),
            {"transfer_date": today},
            organizers(302, superuser=400),
        ),
        ("mark a file paid", "post", _url("batch_paid", "batch"), None, organizers(302)),
        (
            "returned by the bank",
            "post",
            _url("payout_action", "payout", extra=["returned"]),
            reason,
            organizers(302),
        ),
        (
            "cancel",
            "post",
            _url("payout_action", "payout", extra=["cancel"]),
            reason,
            organizers(302),
        ),
    ]
    _walk(world, post_rows, failures)
    assert not failures, "\n".join(failures)


SERVICE_CALLS = [
    ("bank details", lambda w, user: payouts.bank_details(user, w["payout"])),
    ("prepare", lambda w, user: payouts.prepare(user, w["payout"])),
    ("approve", lambda w, user: payouts.approve(user, w["payout2"])),
    ("cancel", lambda w, user: payouts.cancel(user, w["payout"], "理由")),
    (
        "export a bank file",
        lambda w, user: manual.export_batch(user, w["contest"], timezone.localdate()),
    ),
    ("the bank file", lambda w, user: manual.batch_file(user, w["batch"])),
    ("mark a file paid", lambda w, user: manual.mark_batch_paid(user, w["batch"])),
]


def _unauthorised_read_nothing(world, failures, when):
    """No page an unauthorised person can open shows the winner's account: not the
    contest's page, not their own list of prizes, not the payout's pages."""
    contest, payout, batch = world["contest"], world["payout"], world["batch"]
    pages = [
        contest.url,
        reverse("contests:contest_detail", args=[contest.pk]),
        reverse("contests:my_prizes"),
        reverse("contests:payouts_admin", args=[contest.pk]),
        reverse("contests:payout_manage", args=[payout.pk]),
        reverse("contests:payout_detail", args=[payout.pk]),
        reverse("contests:award_recipients", args=[world["award"].pk]),
        reverse("contests:batch_download", args=[batch.pk, "zengin"]),
        reverse("contests:batch_download", args=[batch.pk, "csv"]),
        reverse("contests:reconcile", args=[contest.pk]),
        reverse("contests:sponsor", args=[contest.pk]),
    ]
    readers = [(p, world["people"][p]) for p in UNAUTHORISED] + [("runner_up", world["runner_up"])]
    for person, user in readers:
        client = _client(user)
        for page in pages:
            text = _text(client.get(page, follow=True))
            for secret in (NUMBER, HOLDER, pf.BANK["holder"]):
                if secret in text:
                    failures.append(f"{when}: {person} reads {secret!r} on {page}")


def test_services_refuse_and_bank_details_stay_private(world):
    failures = []
    leader = world["leader"]
    payouts.receive_whole(leader, world["award"])
    payout = world["payout"] = pf.ready(Payout.objects.get(pk=world["payout"].pk))
    assert payout.status == S.READY and MASKED in payout.bank_masked

    # The services refuse as the pages do: nothing there (NotFound), nothing changed.
    for person in ("resident", "member", "other_ward_organizer"):
        for name, call in SERVICE_CALLS:
            try:
                call(world, world["people"][person])
            except NotFound:
                continue
            except Exception as error:  # reported with the others
                failures.append(f"{name} by {person}: {type(error).__name__} {error}")
            else:
                failures.append(f"{name} by {person}: allowed")
    payout.refresh_from_db()
    world["payout2"].refresh_from_db()
    if (payout.status, payout.prepared_by_id) != (S.READY, None):
        failures.append(f"the winner's payout changed: {payout.status}, {payout.prepared_by_id}")
    if world["payout2"].status != S.PAYING:
        failures.append(f"the runner-up's payout changed: {world['payout2'].status}")

    # While the winner can still change them, their own page shows the details in full,
    # as does the organizers' page of the payout.
    contest = world["contest"]
    own = _text(_client(leader).get(reverse("contests:payout_detail", args=[payout.pk])))
    for secret in (NUMBER, HOLDER):
        if secret not in own:
            failures.append(f"the winner's own page does not show them {secret!r}")
    for who in ("organizer", "superuser"):
        managed = _text(
            _client(world["people"][who]).get(reverse("contests:payout_manage", args=[payout.pk]))
        )
        for secret in (NUMBER, HOLDER):
            if secret not in managed:
                failures.append(f"the payout page does not show {who} {secret!r}")
    _unauthorised_read_nothing(world, failures, "ready")

    # Approved, it waits in the organizers' list for a bank file: masked there.
    payouts.prepare(world["people"]["organizer"], payout)
    payouts.approve(world["second"], payout)
    organizer = _client(world["people"]["organizer"])
    overview = _text(organizer.get(reverse("contests:payouts_admin", args=[contest.pk])))
    if MASKED not in overview:
        failures.append("the organizers' overview does not show the masked account")
    for secret in (NUMBER, HOLDER, pf.BANK["holder"]):
        if secret in overview:
            failures.append(f"the organizers' overview shows {secret!r} unmasked")
    _unauthorised_read_nothing(world, failures, "approved")

    for fmt in ("zengin", "csv"):
        response = organizer.get(reverse("contests:batch_download", args=[world["batch"].pk, fmt]))
        if response.status_code != 200 or "no-store" not in response.get("Cache-Control", ""):
            failures.append(
                f"the {fmt} bank file: {response.status_code}, "
                f"Cache-Control {response.get('Cache-Control')!r}"
            )
    assert not failures, "\n".join(failures)
