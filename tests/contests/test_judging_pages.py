"""Judging and results through the pages, as the organizer, two judges, the teams and
the audience use them (the browser test walks the same way in Chromium)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contests.models import (
    Assignment,
    AssignmentStatus,
    AudienceVoting,
    Award,
    Conflict,
    JudgingRound,
    ResultsPublication,
    Vote,
)
from contests.services import judging, results

from . import factories as f

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def moment_fields(prefix, moment):
    from core.japan_time import in_tokyo

    local = in_tokyo(moment)
    return {f"{prefix}_date": local.strftime("%Y-%m-%d"), f"{prefix}_time": local.strftime("%H:%M")}


@pytest.fixture
def koto():
    return f.organizer()


def test_the_organizer_sets_a_round_up_through_the_pages(koto):
    contest, _teams = f.judging_contest(teams=3)
    organizer = client_for(koto)
    overview = reverse("contests:judging", args=[contest.pk])
    assert "審査ラウンドはまだ" in text(organizer.get(overview))
    now = timezone.now()
    # A round that closes after the results is refused with the reason by the box.
    bad = organizer.post(
        overview,
        {
            "form": "round",
            "kind": "screening",
            **moment_fields("opens", now + timedelta(hours=2)),
            **moment_fields("closes", contest.results_at + timedelta(days=2)),
            "judges_per_entry": 2,
        },
    )
    assert bad.status_code == 400
    assert "結果発表" in text(bad)
    response = organizer.post(
        overview,
        {
            "form": "round",
            "kind": "screening",
            **moment_fields("opens", now + timedelta(hours=2)),
            **moment_fields("closes", now + timedelta(days=4)),
            "judges_per_entry": 2,
        },
    )
    round_ = JudgingRound.objects.get(contest=contest)
    assert response["Location"] == reverse("contests:round_detail", args=[round_.pk])
    page_url = response["Location"]

    criteria = {
        "form": "criteria",
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "10",
        "criteria-0-name": "課題の捉え方",
        "criteria-0-description": "地域の課題を正しく捉えているか",
        "criteria-0-weight": "3",
        "criteria-0-scale_max": "5",
        "criteria-1-name": "データの活用",
        "criteria-1-weight": "2",
        "criteria-1-scale_max": "5",
        "criteria-2-name": "",
        "criteria-2-weight": "1",
        "criteria-2-scale_max": "5",
    }
    assert organizer.post(page_url, criteria).status_code == 302
    assert [c.name for c in round_.criteria.all()] == ["課題の捉え方", "データの活用"]
    first = round_.criteria.first()
    assert (
        organizer.post(
            page_url, {"form": "ladder", "step_1": f"criterion:{first.pk}", "step_2": "votes"}
        ).status_code
        == 302
    )

    one, two = f.judge(), f.judge()
    for person in (one, two):
        assert (
            organizer.post(
                page_url, {"form": "judge", "email": person.email, "scope": "pool"}
            ).status_code
            == 302
        )
    unknown = organizer.post(
        page_url, {"form": "judge", "email": "nobody@example.jp", "scope": "pool"}
    )
    assert unknown.status_code == 400
    assert "nobody@example.jp" in text(unknown)
    organizer.post(page_url, {"form": "assign"})
    assert Assignment.objects.filter(round=round_).count() == 6

    page = text(organizer.get(page_url))
    assert "課題の捉え方" in page and one.display_name in page

    # The criteria and the ladder are on the contest page for the teams to read.
    contest_page = text(Client().get(contest.url))
    assert "課題の捉え方" in contest_page
    assert "「課題の捉え方」" in contest_page  # the ladder's first step names it


@pytest.fixture
def scored(koto, django_capture_on_commit_callbacks):
    """Two judges over three entries; one declares a conflict with the first."""
    contest, teams = f.judging_contest(teams=3)
    round_ = f.judging_round(contest, koto, k=2, ladder=["votes"])
    harsh, kind = f.judge(display_name="辛口 審査員"), f.judge(display_name="甘口 審査員")
    judging.add_judge(koto, round_, harsh.email, scope="all")
    judging.add_judge(koto, round_, kind.email, scope="all")
    judging.assign(koto, round_)
    f.open_round(round_)
    return {"contest": contest, "teams": teams, "round": round_, "harsh": harsh, "kind": kind}


def _score(client, assignment, values, action="submit", comment=""):
    data = {"action": action, "comment": comment}
    for criterion, value in zip(assignment.round.criteria.all(), values, strict=True):
        data[f"criterion_{criterion.pk}"] = str(value)
        data[f"comment_{criterion.pk}"] = f"{criterion.name}について"
    return client.post(reverse("contests:score", args=[assignment.pk]), data)


def test_judges_score_one_declares_a_conflict_and_never_sees_that_sheet(scored):
    round_, harsh, kind = scored["round"], scored["harsh"], scored["kind"]
    judge = client_for(harsh)
    home = text(judge.get(reverse("contests:judge_home")))
    assert "アプリ1" in home and "アプリ3" in home
    mine = list(Assignment.objects.filter(round=round_, judge=harsh).order_by("entry_id"))

    sheet = judge.get(reverse("contests:score", args=[mine[0].pk]))
    assert sheet.status_code == 200
    assert "課題の捉え方" in text(sheet) and "駅前の駐輪場の空き" in text(sheet)  # the entry itself

    draft = _score(judge, mine[0], [4, 3, 5], action="draft")
    assert draft.status_code == 302
    mine[0].refresh_from_db()
    assert mine[0].status == AssignmentStatus.DRAFT
    missing = judge.post(reverse("contests:score", args=[mine[1].pk]), {"action": "submit"})
    assert missing.status_code == 400
    assert "1から5" in text(missing)

    # The other judge steps aside from the first entry.
    other = client_for(kind)
    theirs = Assignment.objects.get(round=round_, judge=kind, entry=mine[0].entry)
    refused = other.post(reverse("contests:declare_conflict", args=[theirs.pk]), {"reason": ""})
    assert refused.status_code == 400
    declared = other.post(
        reverse("contests:declare_conflict", args=[theirs.pk]),
        {"reason": "チームの一人が元同僚です"},
    )
    assert declared.status_code == 302
    assert other.get(reverse("contests:score", args=[theirs.pk])).status_code == 404
    assert _score(other, theirs, [5, 5, 10]).status_code == 404
    listing = text(other.get(reverse("contests:judge_home")))
    assert reverse("contests:score", args=[theirs.pk]) not in listing

    # The organizer sees the recusal with its reason.
    organizer = client_for(f.organizer(display_name="江東区 別担当"))
    round_page = text(organizer.get(reverse("contests:round_detail", args=[round_.pk])))
    assert "チームの一人が元同僚です" in round_page
    assert Conflict.objects.filter(judge=kind).count() == 1


def test_the_ranking_page_shows_the_sensitivity_panel(scored, koto):
    round_, harsh, kind = scored["round"], scored["harsh"], scored["kind"]
    for judge, values in (
        (harsh, [[2, 2, 2], [3, 3, 3], [1, 1, 1]]),
        (kind, [[5, 5, 10], [4, 4, 8], [5, 4, 9]]),
    ):
        client = client_for(judge)
        for assignment, scores in zip(
            Assignment.objects.filter(round=round_, judge=judge).order_by("entry_id"),
            values,
            strict=True,
        ):
            assert _score(client, assignment, scores).status_code == 302
    page = text(client_for(koto).get(reverse("contests:round_ranking", args=[round_.pk])))
    assert "アプリ1" in page
    assert "生の平均" in page
    csv = client_for(koto).get(reverse("contests:scores_export", args=[round_.pk, "csv"]))
    body = csv.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert body.count("\r\n") == 1 + 6  # header, two judges × three entries


def test_publishing_results_tells_every_entrant_and_shows_the_winners(
    scored, koto, mailoutbox, django_capture_on_commit_callbacks
):
    contest, round_, harsh, kind = (
        scored["contest"],
        scored["round"],
        scored["harsh"],
        scored["kind"],
    )
    teams = scored["teams"]
    english = teams[1].leader
    english.language = "en"
    english.save(update_fields=["language"])
    values = {teams[0].pk: [5, 5, 10], teams[1].pk: [4, 4, 8], teams[2].pk: [2, 2, 2]}
    for judge in (harsh, kind):
        client = client_for(judge)
        for assignment in Assignment.objects.filter(round=round_, judge=judge).select_related(
            "entry__submission"
        ):
            _score(
                client,
                assignment,
                values[assignment.entry.submission.team_id],
                comment="よくできています",
            )
    f.close_round(round_)
    organizer = client_for(koto)
    results_url = reverse("contests:results_admin", args=[contest.pk])
    page = text(organizer.get(results_url))
    assert "最優秀賞" in page
    top, second = contest.prizes.order_by("sort_order")
    winners = [teams[0].submission.pk]
    organizer.post(results_url, {"prize": top.pk, "submission": winners})
    organizer.post(results_url, {"prize": second.pk, "submission": [teams[1].submission.pk]})
    assert Award.objects.filter(contest=contest).count() == 2
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = organizer.post(reverse("contests:publish_results", args=[contest.pk]))
    assert published.status_code == 302
    assert ResultsPublication.objects.filter(contest=contest).exists()

    entrants = {m.user.email for t in teams for m in t.memberships.select_related("user")}
    assert {message.to[0] for message in mailoutbox} == entrants
    by_address = {message.to[0]: message for message in mailoutbox}
    assert "受賞" in by_address[teams[0].leader.email].subject
    assert "won" in by_address[english.email].subject  # in their language
    assert "結果" in by_address[teams[2].leader.email].subject

    contest_page = text(Client().get(contest.url))
    assert "アプリ1" in contest_page and "最優秀賞" in contest_page

    feedback = text(
        client_for(teams[2].leader).get(reverse("contests:feedback", args=[teams[2].pk]))
    )
    assert "よくできています" in feedback
    assert "審査員 A" in feedback
    assert harsh.display_name not in feedback

    # Once: a second publication is refused.
    again = organizer.post(reverse("contests:publish_results", args=[contest.pk]))
    assert again.status_code == 302
    assert ResultsPublication.objects.filter(contest=contest).count() == 1


def test_publishing_waits_for_the_round_to_close(scored, koto):
    contest = scored["contest"]
    blockers = results.publish_blockers(contest)
    assert any("採点" in str(b) for b in blockers)


class TestAudienceVote:
    @pytest.fixture
    def vote_world(self, koto):
        contest, teams = f.judging_contest(teams=2)
        voter = f.entrant(display_name="区民")
        get_user_model().objects.filter(pk=voter.pk).update(
            date_joined=timezone.now() - timedelta(days=30)
        )
        voter.refresh_from_db()
        now = timezone.now()
        results.set_voting(koto, contest, now + timedelta(hours=1), now + timedelta(days=2))
        AudienceVoting.objects.filter(contest=contest).update(opens_at=now - timedelta(minutes=5))
        return contest, teams, voter

    def test_one_vote_counted_once_and_shown_after_closing(self, vote_world):
        contest, teams, voter = vote_world
        client = client_for(voter)
        page = text(client.get(contest.url))
        assert "投票する" in page
        target = teams[0].submission
        client.post(reverse("contests:vote", args=[contest.pk]), {"submission": target.pk})
        client.post(reverse("contests:vote", args=[contest.pk]), {"submission": target.pk})
        client.post(
            reverse("contests:vote", args=[contest.pk]), {"submission": teams[1].submission.pk}
        )
        assert Vote.objects.filter(contest=contest).count() == 1
        assert results.vote_counts(contest) is None  # hidden while open
        AudienceVoting.objects.filter(contest=contest).update(
            closes_at=timezone.now() - timedelta(minutes=1)
        )
        assert results.vote_counts(contest) == {target.pk: 1}
        page = text(Client().get(contest.url))
        assert "1 票" in page

    def test_a_team_member_cannot_vote_for_their_own_team(self, vote_world):
        contest, teams, _voter = vote_world
        member = teams[0].leader
        get_user_model().objects.filter(pk=member.pk).update(
            date_joined=timezone.now() - timedelta(days=30)
        )
        member.refresh_from_db()
        client_for(member).post(
            reverse("contests:vote", args=[contest.pk]), {"submission": teams[0].submission.pk}
        )
        assert not Vote.objects.filter(user=member).exists()

    def test_an_account_created_after_voting_opened_cannot_vote(self, vote_world):
        contest, teams, _voter = vote_world
        newcomer = f.entrant(display_name="新規")
        response = client_for(newcomer).post(
            reverse("contests:vote", args=[contest.pk]), {"submission": teams[0].submission.pk}
        )
        assert response.status_code == 302
        assert not Vote.objects.filter(user=newcomer).exists()
        assert "投票開始後" in text(client_for(newcomer).get(contest.url))


def test_the_contest_page_leads_its_organizer_to_the_dashboard_and_judging(koto):
    contest, teams = f.judging_contest(teams=1)
    judging_url = reverse("contests:judging", args=[contest.pk])
    assert judging_url in text(client_for(koto).get(contest.url))
    assert judging_url not in text(client_for(teams[0].leader).get(contest.url))
    other = f.organizer(f.TAITO, display_name="台東区 企画課")
    assert judging_url not in text(client_for(other).get(contest.url))
