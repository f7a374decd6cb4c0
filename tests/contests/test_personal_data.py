"""The contests' part of the data download and of closing an account (退会): teams,
entries with every version, invitations. Closing takes the person out of their teams
(the lead passes on, an emptied team is withdrawn); the entries stay with the team."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts import closing, data_export
from contests import services
from contests.models import (
    InvitationStatus,
    Submission,
    SubmissionVersion,
    Team,
    TeamInvitation,
    TeamMembership,
)
from core.models import ActivityLog
from messaging import services as messaging
from messaging.models import Message
from search.index import reindex_now
from search.models import SearchDocument

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered():
    """A leader and a member in チーム駐輪ナビ, whose entry each saved once."""
    leader = f.entrant(display_name="山田 リーダー")
    team = f.team(f.contest(), leader, name="チーム駐輪ナビ")
    member = f.join(team, f.entrant(display_name="佐藤 メンバー"))
    f.submit(team, leader, title="駐輪ナビ 初版")
    f.submit(team, member, title="駐輪ナビ 第2版")
    return team, leader, member


def test_export_holds_the_membership_with_its_answers_and_every_version(entered):
    team, leader, _member = entered

    data = data_export.build(leader)["contests"]

    [membership] = data["teams"]
    assert membership["team"] == "チーム駐輪ナビ"
    assert membership["contest"] == team.contest.title
    assert membership["you_lead_it"] is True
    assert membership["eligibility_answers"] == {"connection": "lives", "ward": f.KOTO}
    assert membership["joined_at"].endswith("+09:00")  # Japan time
    [entry] = data["submissions"]
    assert entry["title"] == "駐輪ナビ 第2版"
    versions = entry["versions"]
    assert [v["number"] for v in versions] == [1, 2]
    assert [v["content"]["title"] for v in versions] == ["駐輪ナビ 初版", "駐輪ナビ 第2版"]
    assert [v["saved_by_you"] for v in versions] == [True, False]
    assert versions[1]["saved_by"] == "佐藤 メンバー"
    assert "@" not in str(data)  # nobody's e-mail address


def test_export_lists_invitations_received(entered):
    team, leader, _member = entered
    invitee = f.entrant(display_name="招待された人")
    services.invite_user(leader, team, invitee)

    data = data_export.build(invitee)["contests"]

    assert data["teams"] == []
    [invitation] = data["invitations_received"]
    assert invitation["team"] == "チーム駐輪ナビ"
    assert invitation["invited_by"] == "山田 リーダー"
    assert invitation["status"] == InvitationStatus.PENDING
    assert data_export.build(leader)["contests"]["invitations_sent"][0]["invited"] == "招待された人"


def test_closing_leaves_the_team_and_hands_the_lead_to_the_next_member(
    entered, django_capture_on_commit_callbacks
):
    # given the team's conversation, so the team hears of it
    team, leader, member = entered
    conversation = messaging.conversation_for(team)

    # when the leader closes their account
    with django_capture_on_commit_callbacks(execute=True):
        counts = closing.close_account(leader, {})

    # then they are out of the team, the member leads it and the entry stays with it
    team.refresh_from_db()
    assert not TeamMembership.objects.filter(user=leader).exists()
    assert team.leader == member
    assert team.withdrawn_at is None
    submission = Submission.objects.get(team=team)
    assert submission.version_count == 2
    first = SubmissionVersion.objects.get(submission=submission, number=1)
    assert first.saved_by_id == leader.pk
    with translation.override("en"):
        assert first.saved_by.display_name == "Deleted user"
    assert counts["contests"]["teams_left"] == 1
    assert counts["contests"]["leads_handed_over"] == 1
    assert ActivityLog.objects.filter(action="contests.team_left", actor=leader).exists()
    assert Message.objects.filter(conversation=conversation, event="member_left").exists()
    assert {p.user_id for p in conversation.participants.all()} == {member.pk}


def test_closing_as_the_only_member_withdraws_the_team(
    entered, settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_BACKEND = "search.backends.embedded.EmbeddedBackend"
    team, leader, member = entered
    services.leave_team(member, team)
    submission = Submission.objects.get(team=team)
    reindex_now([("submission", submission.pk)])
    assert SearchDocument.objects.filter(key=f"submission:{submission.pk}").exists()

    with django_capture_on_commit_callbacks(execute=True):
        counts = closing.close_account(leader, {})

    team.refresh_from_db()
    assert team.withdrawn_at is not None
    assert not team.memberships.exists()
    assert Submission.objects.filter(team=team).exists()
    assert counts["contests"]["teams_withdrawn"] == 1
    # and its entry, no longer listed, is no longer found either
    assert not SearchDocument.objects.filter(key=f"submission:{submission.pk}").exists()


def test_closing_declines_the_invitations_waiting_for_the_person(entered):
    team, leader, _member = entered
    invitee = f.entrant()
    invitation = services.invite_user(leader, team, invitee)

    counts = closing.close_account(invitee, {})

    assert TeamInvitation.objects.get(pk=invitation.pk).status == InvitationStatus.DECLINED
    assert counts["contests"]["invitations_declined"] == 1


def test_the_plan_says_which_teams_are_left_and_that_the_entries_stay(entered):
    _team, leader, _member = entered
    f.team(f.contest(title="台東区 バリアフリーマップ", ward_code=f.TAITO), leader, name="ひとり班")

    with translation.override("en"):
        current = closing.plan(leader)
        erased, kept = " ".join(current.erased), " ".join(current.kept)

    assert "You leave your teams (2)" in erased
    assert "チーム駐輪ナビ" in erased and "ひとり班" in erased
    assert "the lead passes to the member who joined first" in erased
    assert "You are the only member of ひとり班" in erased
    assert "Their entries stay with the team" in kept and "Deleted user" in kept
    assert current.blockers == []
    assert current.questions == []


def test_someone_in_no_team_is_told_nothing_about_contests():
    person = f.entrant()
    with translation.override("en"):
        current = closing.plan(person)
    section = next(items for s, items in current.parts if s.key == "contests")
    assert section == []
    assert data_export.build(person)["contests"]["teams"] == []


def test_a_team_left_by_closing_is_not_in_the_persons_contests_any_more(entered):
    _team, leader, _member = entered
    closing.close_account(leader, {})
    assert not Team.objects.filter(memberships__user=leader).exists()


class TestPrizeMoney:
    """The winner's prize money in the download and on closing."""

    @pytest.fixture
    def won(self):
        from . import payout_factories as pf

        koto = f.organizer()
        scenario = pf.published(koto, teams=2)
        scenario["organizer"] = koto
        scenario["second"] = pf.second_organizer()
        return scenario

    def test_the_download_holds_the_payout_with_the_persons_own_account(self, won):
        from . import payout_factories as pf

        payout = pf.ready(won["payout"])
        data = data_export.build(won["leader"])["contest_prizes"]
        assert data["payouts"][0]["amount_yen"] == 300_000
        assert data["payouts"][0]["status"] == "ready"
        assert data["payouts"][0]["bank_account"]["account_number"] == "1234567"
        assert data["payouts"][0]["bank_account"]["holder"] == "ヤマダ タロウ"
        assert any(entry["what"] for entry in data["payouts"][0]["history"])
        assert payout.pk

    def test_closing_cancels_unpaid_prize_money_and_deletes_the_account_details(self, won):
        from contests.models import Payout, PayoutStatus

        from . import payout_factories as pf

        payout = pf.ready(won["payout"])
        with translation.override("en"):
            plan = closing.plan(won["leader"])
            assert not plan.blockers
            assert any("not yet paid to you is cancelled (1)" in t for t in plan.erased)
            assert any("bank account details are deleted" in t for t in plan.erased)

        counts = closing.close_account(won["leader"], {})

        payout = Payout.objects.get(pk=payout.pk)
        assert payout.status == PayoutStatus.CANCELLED
        assert payout.bank_details == "" and payout.bank_masked == ""
        assert counts["contest_prizes"]["payouts_cancelled"] == 1

    def test_a_payment_under_way_blocks_closing_and_a_paid_one_stays(self, won):
        from django.utils import timezone

        from contests.models import Payout, PayoutStatus
        from contests.payouts import manual

        from . import payout_factories as pf

        payout = pf.approved(won["payout"], won["organizer"], won["second"])
        assert closing.plan(won["leader"]).blockers
        with pytest.raises(ValidationError):
            closing.close_account(won["leader"], {})
        assert Payout.objects.get(pk=payout.pk).status == PayoutStatus.APPROVED

        batch = manual.export_batch(won["organizer"], won["contest"], timezone.localdate())
        manual.mark_batch_paid(won["organizer"], batch)
        assert not closing.plan(won["leader"]).blockers
        assert closing.plan(won["leader"]).kept
        closing.close_account(won["leader"], {})
        payout = Payout.objects.get(pk=payout.pk)
        assert payout.status == PayoutStatus.PAID and payout.amount == 300_000
        assert payout.bank_details == ""
