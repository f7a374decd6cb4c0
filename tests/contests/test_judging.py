"""Judging as organizers and judges go through it: rounds, criteria fixed once scoring
opens, balanced assignment, conflicts of interest, score sheets, the ranking."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contests.models import Assignment, AssignmentStatus, Conflict, ConflictSource, RoundState
from contests.services import judging
from core.errors import Conflict as ConflictError
from core.errors import NotFound
from tests.accounts.factories import UserFactory

from .factories import (
    CRITERIA,
    close_round,
    judge,
    judging_contest,
    judging_round,
    open_round,
    organizer,
)

pytestmark = pytest.mark.django_db


def sheet_for(round_, *values):
    """Scores for the round's criteria in order: {criterion id: (value, comment)}."""
    return {c.pk: (v, "") for c, v in zip(round_.criteria.all(), values, strict=True)}


@pytest.fixture
def koto():
    return organizer()


@pytest.fixture
def scenario(koto):
    contest, teams = judging_contest(teams=6)
    return contest, teams


class TestRounds:
    def test_a_round_opens_after_the_deadline_and_closes_by_the_results(self, koto, scenario):
        contest, _teams = scenario
        now = timezone.now()
        with pytest.raises(ValidationError) as error:
            judging.create_round(
                koto,
                contest,
                kind="screening",
                opens_at=contest.submission_deadline - timedelta(hours=1),
                closes_at=now + timedelta(days=1),
            )
        assert "opens_at" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            judging.create_round(
                koto,
                contest,
                kind="screening",
                opens_at=now + timedelta(hours=1),
                closes_at=contest.results_at + timedelta(days=1),
            )
        assert "closes_at" in error.value.message_dict

    def test_one_round_of_each_kind(self, koto, scenario):
        contest, _ = scenario
        judging_round(contest, koto)
        with pytest.raises(ValidationError):
            judging_round(contest, koto)

    def test_criteria_and_ladder_are_fixed_once_scoring_opens(self, koto, scenario):
        contest, _ = scenario
        round_ = judging_round(contest, koto, ladder=["normalised", "votes"])
        assert [c.name for c in round_.criteria.all()] == [c["name"] for c in CRITERIA]
        open_round(round_)
        assert round_.state == RoundState.OPEN
        with pytest.raises(ConflictError):
            judging.set_criteria(koto, round_, [{"name": "別の基準", "weight": 1, "scale_max": 5}])
        with pytest.raises(ConflictError):
            judging.set_tie_break(koto, round_, ["raw"])
        assert round_.ladder_labels() == [
            "標準化スコアが高いほう",
            "オーディエンス投票の得票が多いほう",
        ]

    def test_the_ladder_names_the_round_s_own_criteria(self, koto, scenario):
        contest, _ = scenario
        round_ = judging_round(contest, koto)
        first = round_.criteria.first()
        judging.set_tie_break(koto, round_, [f"criterion:{first.pk}", "votes"])
        with pytest.raises(ValidationError):
            judging.set_tie_break(koto, round_, ["criterion:999999"])
        with pytest.raises(ValidationError):
            judging.set_tie_break(koto, round_, ["votes", "votes"])

    def test_another_ward_s_organizer_cannot_run_it(self, scenario):
        contest, _ = scenario
        taito = organizer("131067", display_name="台東区")
        with pytest.raises(NotFound):
            judging_round(contest, taito)


class TestAssignment:
    def test_every_entry_gets_k_judges_and_the_load_stays_even(self, koto, scenario):
        contest, _teams = scenario
        round_ = judging_round(contest, koto, k=2)
        judges = [judge() for _ in range(4)]
        for person in judges:
            judging.add_judge(koto, round_, person.email)
        summary = judging.assign(koto, round_)
        assert summary.created == 12  # 6 entries × 2
        assert summary.short == []
        loads = sorted(summary.loads.values())
        assert loads[-1] - loads[0] <= 1
        assert round_.entries.count() == 6

    def test_assigning_again_adds_only_what_is_missing(self, koto, scenario):
        contest, _ = scenario
        round_ = judging_round(contest, koto, k=2)
        for _ in range(3):
            judging.add_judge(koto, round_, judge().email)
        judging.assign(koto, round_)
        assert judging.assign(koto, round_).created == 0

    def test_a_judge_of_every_entry_and_a_group(self, koto, scenario):
        contest, _ = scenario
        round_ = judging_round(contest, koto, k=1)
        group = judging.create_group(koto, round_, "学生部門")
        chair, table = judge(), judge()
        judging.add_judge(koto, round_, chair.email, scope="all")
        judging.add_judge(koto, round_, table.email, scope="group", group=group)
        judging.assign(koto, round_)  # brings the entries in
        entry = round_.entries.first()
        judging.set_entry_group(koto, entry, group)
        judging.assign(koto, round_)
        assert Assignment.objects.filter(round=round_, judge=chair).count() == 6
        assert list(
            Assignment.objects.filter(round=round_, judge=table).values_list("entry", flat=True)
        ) == [entry.pk]

    def test_too_few_judges_is_said(self, koto, scenario):
        contest, _ = scenario
        round_ = judging_round(contest, koto, k=3)
        judging.add_judge(koto, round_, judge().email)
        summary = judging.assign(koto, round_)
        assert len(summary.short) == 6

    def test_only_people_with_an_account(self, koto, scenario):
        contest, _ = scenario
        round_ = judging_round(contest, koto)
        with pytest.raises(ValidationError) as error:
            judging.add_judge(koto, round_, "nobody@example.jp")
        assert "email" in error.value.message_dict


class TestConflicts:
    def test_a_team_member_is_never_assigned_their_own_team(self, koto, scenario):
        contest, teams = scenario
        round_ = judging_round(contest, koto, k=1)
        insider = teams[0].leader
        judging.add_judge(koto, round_, insider.email, scope="all")
        judging.assign(koto, round_)
        own = round_.entries.get(submission__team=teams[0])
        assert (
            not Assignment.objects.filter(round=round_, judge=insider, entry=own)
            .exclude(status=AssignmentStatus.RECUSED)
            .exists()
        )
        conflict = Conflict.objects.get(judge=insider, submission=own.submission)
        assert conflict.source == ConflictSource.DETECTED

    def test_a_former_member_is_detected(self, koto):
        from contests import services

        from .factories import contest as make_contest
        from .factories import entrant, join, pass_deadline, submit, team

        page = make_contest(state="entry_open")
        first = team(page, entrant(display_name="リーダー"))
        leaver = join(first)
        submit(first)
        services.leave_team(leaver, first)
        pass_deadline(page)
        round_ = judging_round(page, koto, k=1)
        judging.add_judge(koto, round_, leaver.email)
        judging.assign(koto, round_)
        assert Conflict.objects.filter(judge=leaver, submission__team=first).exists()

    def test_a_colleague_of_a_team_member_is_detected(self, koto, scenario):
        from marketplace.models import Membership
        from tests.marketplace.factories import organization

        contest, teams = scenario
        colleague = judge()
        org = organization(owner=colleague, name="NPO法人こうとうデジタル")
        Membership.objects.create(organization=org, user=teams[1].leader)
        round_ = judging_round(contest, koto, k=1)
        judging.add_judge(koto, round_, colleague.email, scope="all")
        judging.assign(koto, round_)
        conflict = Conflict.objects.get(judge=colleague, submission__team=teams[1])
        assert "NPO法人こうとうデジタル" in conflict.reason

    def test_a_declared_conflict_recuses_and_hides_the_sheet(self, koto, scenario):
        contest, _ = scenario
        round_ = judging_round(contest, koto, k=2)
        one, other, spare = judge(), judge(), judge()
        for person in (one, other):
            judging.add_judge(koto, round_, person.email)
        judging.assign(koto, round_)
        open_round(round_)
        assignment = Assignment.objects.filter(round=round_, judge=one).first()
        with pytest.raises(ValidationError):
            judging.declare_conflict(one, assignment, "  ")
        judging.declare_conflict(one, assignment, "チームの一人が同僚です")
        assignment.refresh_from_db()
        assert assignment.status == AssignmentStatus.RECUSED
        with pytest.raises(NotFound):
            judging.save_scores(one, assignment, sheet_for(round_, 5, 5, 10), submit=True)
        # The organizer gives the entry to another judge; never back to the recused one.
        judging.add_judge(koto, round_, spare.email)
        judging.reassign(koto, assignment.entry, spare)
        with pytest.raises(ValidationError):
            judging.reassign(koto, assignment.entry, one)


class TestScoring:
    @pytest.fixture
    def sheet(self, koto, scenario):
        contest, _ = scenario
        round_ = judging_round(contest, koto, k=1)
        person = judge()
        judging.add_judge(koto, round_, person.email, scope="all")
        judging.assign(koto, round_)
        open_round(round_)
        return round_, person, Assignment.objects.filter(round=round_, judge=person).first()

    def test_a_draft_may_be_partial_a_submission_may_not(self, sheet):
        round_, person, assignment = sheet
        partial = sheet_for(round_, 4, None, None)
        judging.save_scores(person, assignment, partial)
        assignment.refresh_from_db()
        assert assignment.status == AssignmentStatus.DRAFT
        with pytest.raises(ValidationError) as error:
            judging.save_scores(person, assignment, partial, submit=True)
        assert len(error.value.message_dict) == 2
        judging.save_scores(
            person, assignment, sheet_for(round_, 4, 3, 8), comment="良い", submit=True
        )
        assignment.refresh_from_db()
        assert assignment.status == AssignmentStatus.SUBMITTED
        assert sorted(assignment.scores.values_list("value", flat=True)) == [3, 4, 8]

    def test_a_score_outside_the_scale_is_refused(self, sheet):
        round_, person, assignment = sheet
        with pytest.raises(ValidationError):
            judging.save_scores(person, assignment, sheet_for(round_, 6, 3, 8), submit=True)
        with pytest.raises(ValidationError):
            judging.save_scores(person, assignment, sheet_for(round_, 0, 3, 8), submit=True)

    def test_changes_until_the_round_closes(self, sheet):
        round_, person, assignment = sheet
        judging.save_scores(person, assignment, sheet_for(round_, 4, 3, 8), submit=True)
        judging.save_scores(person, assignment, sheet_for(round_, 5, 3, 8), submit=True)
        assert assignment.scores.get(criterion=round_.criteria.first()).value == 5
        close_round(round_)
        with pytest.raises(ConflictError):
            judging.save_scores(person, assignment, sheet_for(round_, 1, 1, 1), submit=True)
        assert assignment.scores.get(criterion=round_.criteria.first()).value == 5

    def test_only_the_assigned_judge(self, sheet):
        round_, _person, assignment = sheet
        with pytest.raises(NotFound):
            judging.save_scores(judge(), assignment, sheet_for(round_, 4, 3, 8), submit=True)

    def test_progress_counts_what_is_missing(self, sheet):
        round_, person, assignment = sheet
        judging.save_scores(person, assignment, sheet_for(round_, 4, 3, 8), submit=True)
        progress = judging.progress(round_)
        assert progress["judges"][person.pk] == {"submitted": 1, "assigned": 5}


class TestRankingFromTheDatabase:
    def test_drafts_and_recused_sheets_do_not_count(self, koto, scenario):
        contest, _teams = scenario
        round_ = judging_round(contest, koto, k=2)
        a, b = judge(), judge()
        judging.add_judge(koto, round_, a.email, scope="all")
        judging.add_judge(koto, round_, b.email, scope="all")
        judging.assign(koto, round_)
        open_round(round_)
        entries = list(round_.entries.order_by("id"))
        for n, entry in enumerate(entries):
            for person in (a, b):
                assignment = Assignment.objects.get(round=round_, judge=person, entry=entry)
                value = 1 + n % 5
                judging.save_scores(
                    person, assignment, sheet_for(round_, value, value, value), submit=True
                )
        # b steps aside from the first entry after scoring it: only a's sheet counts.
        first = Assignment.objects.get(round=round_, judge=b, entry=entries[0])
        judging.declare_conflict(b, first, "親族がチームにいる")
        # a's sheet on the last entry goes back to draft: it no longer counts.
        last = Assignment.objects.get(round=round_, judge=a, entry=entries[-1])
        judging.save_scores(a, last, sheet_for(round_, 5, None, None))
        ranked = judging.round_ranking(round_)
        judges_of = {s.entry: s.judges for s in ranked.standings}
        assert judges_of[entries[0].submission_id] == 1
        assert judges_of[entries[-1].submission_id] == 1
        assert judges_of[entries[1].submission_id] == 2
        assert ranked.method == "normalised"  # a and b no longer saw the same entries

    def test_a_tie_decision_is_recorded_and_applied(self, koto, scenario):
        contest, _ = scenario
        round_ = judging_round(contest, koto, k=1)
        person = judge()
        judging.add_judge(koto, round_, person.email, scope="all")
        judging.assign(koto, round_)
        open_round(round_)
        for assignment in Assignment.objects.filter(round=round_):
            judging.save_scores(person, assignment, sheet_for(round_, 3, 3, 5), submit=True)
        ranked = judging.round_ranking(round_)
        assert len(ranked.unresolved) == 1 and len(ranked.unresolved[0]) == 6
        order = list(reversed(ranked.unresolved[0]))
        with pytest.raises(ValidationError):
            judging.decide_tie(koto, round_, order, "")
        with pytest.raises(ValidationError):
            judging.decide_tie(koto, round_, order[:2], "抽選")
        judging.decide_tie(koto, round_, order, "最終審査会で審査員の合議により決定")
        decided = judging.round_ranking(round_)
        assert decided.unresolved == []
        assert [s.entry for s in decided.standings] == order


def test_a_stranger_sees_nothing_through_the_services(scenario, koto):
    contest, _ = scenario
    round_ = judging_round(contest, koto)
    stranger = UserFactory()
    with pytest.raises(NotFound):
        judging.assign(stranger, round_)
    with pytest.raises(NotFound):
        judging.add_judge(stranger, round_, stranger.email)
