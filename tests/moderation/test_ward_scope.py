"""Ward scope: a 台東区 moderator acts on 台東区's organizations, reports and reported
conversations only; a 世田谷区 moderator on 世田谷区's; an all-ward moderator on all.
Another ward's object answers 404, never 403, and never shows up in a list."""

from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Role
from core.errors import NotAllowed, NotFound
from marketplace import services as board
from marketplace.models import VerificationStatus
from messaging import services as messaging
from moderation import services as moderation
from moderation.models import ReportStatus
from tests.accounts.factories import UserFactory, with_second_factor
from tests.marketplace import factories as f
from tests.messaging.factories import application_thread

pytestmark = pytest.mark.django_db

TAITO, SETAGAYA = "131067", "131121"
MODERATORS = ["taito", "setagaya", "all_wards"]


def ward_moderator(ward_code=None):
    user = UserFactory(display_name=f"モデレーター {ward_code or '全区'}")
    ward = f.ward(ward_code) if ward_code else None
    account_services.grant_role(user, Role.MODERATOR, ward=ward)
    return with_second_factor(user)


@pytest.fixture
def world():
    """One of everything a moderator acts on, in 台東区 and in 世田谷区."""
    places = {}
    for name, code in (("taito", TAITO), ("setagaya", SETAGAYA)):
        pending = f.organization(
            verified=False, ward_code=code, name=f"{name} 商店会", corporate_number=""
        )
        org = f.organization(ward_code=code, name=f"{name} 振興組合")
        thread = application_thread(org=org)
        reporter = f.resident(display_name=f"{name} 通報者")
        task_report = moderation.report(
            reporter, thread.task, reason="spam", details=f"{name} 宣伝"
        )
        bad = messaging.send_message(thread.member, thread.conversation.pk, body=f"{name} 暴言")
        message_report = moderation.report(thread.resident, bad, reason="harassment")
        places[name] = SimpleNamespace(
            pending=pending,
            task_report=task_report,
            message_report=message_report,
            message=bad,
            conversation=thread.conversation,
        )
    moderators = {
        "taito": ward_moderator(TAITO),
        "setagaya": ward_moderator(SETAGAYA),
        "all_wards": ward_moderator(),
    }
    return SimpleNamespace(places=places, moderators=moderators)


def answers(world, method, url, data=None):
    """The status each moderator gets, each on a fresh copy of the world."""
    result = {}
    for who in MODERATORS:
        client = Client()
        client.force_login(world.moderators[who])
        with transaction.atomic():
            result[who] = getattr(client, method)(url, data or {}).status_code
            transaction.set_rollback(True)
    return result


def expected(place, allowed, denied):
    """`allowed` for the moderator of `place` and for the all-ward one, else `denied`."""
    return {who: allowed if who in (place, "all_wards") else denied for who in MODERATORS}


# (what, method, url from a place, data, status when allowed, status otherwise)
ROWS = [
    ("verify organization", "post", lambda p: reverse("moderation_organizations:decide", args=[p.pending.pk]), {"decision": "verify"}, 302, 404),
    ("refuse organization", "post", lambda p: reverse("moderation_organizations:decide", args=[p.pending.pk]), {"decision": "refuse", "reason": "所在地が不明"}, 302, 404),
    ("unverified organization page", "get", lambda p: reverse("marketplace:organization_detail", args=[p.pending.pk]), None, 200, 404),
    ("handle task report", "post", lambda p: reverse("moderation_reports:decide", args=[p.task_report.pk]), {"decision": "resolved", "resolution": "対応済み"}, 302, 404),
    ("handle message report", "post", lambda p: reverse("moderation_reports:decide", args=[p.message_report.pk]), {"decision": "dismissed", "resolution": ""}, 302, 404),
    ("read reported conversation", "get", lambda p: reverse("messaging:conversation", args=[p.conversation.pk]), None, 200, 404),
    ("remove reported message", "post", lambda p: reverse("messaging:remove", args=[p.message.pk]), None, 302, 404),
]  # fmt: skip


@pytest.mark.parametrize("place", ["taito", "setagaya"])
@pytest.mark.parametrize(
    ("what", "method", "url", "data", "allowed", "denied"), ROWS, ids=[row[0] for row in ROWS]
)
def test_ward_scoped_matrix(world, place, what, method, url, data, allowed, denied):
    assert answers(world, method, url(world.places[place]), data) == expected(
        place, allowed, denied
    )


@pytest.mark.parametrize("place", ["taito", "setagaya"])
def test_decisions_take_effect_only_within_the_ward(world, place):
    other = "setagaya" if place == "taito" else "taito"
    target = world.places[place]
    for who, takes_effect in ((other, False), (place, True)):
        client = Client()
        client.force_login(world.moderators[who])
        client.post(
            reverse("moderation_organizations:decide", args=[target.pending.pk]),
            {"decision": "verify"},
        )
        client.post(
            reverse("moderation_reports:decide", args=[target.task_report.pk]),
            {"decision": "resolved", "resolution": "対応済み"},
        )
        target.pending.refresh_from_db()
        target.task_report.refresh_from_db()
        assert (target.pending.status == VerificationStatus.VERIFIED) is takes_effect
        assert (target.task_report.status == ReportStatus.RESOLVED) is takes_effect


@pytest.mark.parametrize(
    ("queue", "shown"),
    [
        ("moderation_organizations:index", lambda p: p.pending.name),
        ("moderation_reports:index", lambda p: p.task_report.details),
    ],
)
def test_queues_list_only_the_moderators_wards(world, queue, shown):
    # Members' e-mail addresses are in the organization queue: another ward must not see them.
    for who in MODERATORS:
        client = Client()
        client.force_login(world.moderators[who])
        page = client.get(reverse(queue))
        assert page.status_code == 200
        html = page.content.decode()
        for place in ("taito", "setagaya"):
            visible = who in (place, "all_wards")
            assert (shown(world.places[place]) in html) is visible, (who, place)


def test_reports_carry_the_ward_of_what_they_are_about(world):
    taito = world.places["taito"]
    assert taito.task_report.ward.code == TAITO
    assert taito.message_report.ward.code == TAITO  # the task the conversation is about


def test_services_refuse_another_wards_object(world):
    setagaya = world.places["setagaya"]
    taito_moderator = world.moderators["taito"]
    with pytest.raises(NotFound):
        board.verify_organization(taito_moderator, setagaya.pending)
    with pytest.raises(NotFound):
        moderation.handle_report(
            taito_moderator, setagaya.task_report, status="resolved", resolution=""
        )
    with pytest.raises(NotFound):
        messaging.remove_message(taito_moderator, setagaya.message)
    with pytest.raises(NotFound):
        messaging.access_conversation(taito_moderator, setagaya.conversation.pk)


def test_a_ward_moderator_grants_roles_for_their_ward_only(world):
    taito_moderator = world.moderators["taito"]
    helper = UserFactory()
    account_services.grant_role(helper, Role.EDITOR, ward=f.ward(TAITO), granted_by=taito_moderator)
    assert helper.has_role(Role.EDITOR, ward=f.ward(TAITO))
    with pytest.raises(NotAllowed):
        account_services.grant_role(
            helper, Role.EDITOR, ward=f.ward(SETAGAYA), granted_by=taito_moderator
        )
    with pytest.raises(NotAllowed):  # an all-ward role is beyond a ward moderator
        account_services.grant_role(helper, Role.MODERATOR, granted_by=taito_moderator)


def test_every_moderator_sees_the_moderation_menu_and_nobody_else(world, client):
    for who in MODERATORS:
        client.force_login(world.moderators[who])
        assert client.get(reverse("moderation_reports:index")).status_code == 200
    editor = UserFactory()
    account_services.grant_role(editor, Role.EDITOR)
    client.force_login(editor)
    assert client.get(reverse("moderation_reports:index")).status_code in (302, 403)
