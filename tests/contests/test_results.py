"""After the award: 実装支援 as a board task linked both ways; what judges and voters leave
behind when they close their account; organizer words shown safely on the sheet."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts import closing
from accounts.personal_data import SECTIONS
from contests.models import Assignment, AssignmentStatus, Award, Vote
from contests.services import judging, results
from core.errors import Conflict as ConflictError

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def koto():
    return f.organizer()


@pytest.fixture
def published(koto):
    contest, teams = f.judging_contest(teams=2)
    round_ = f.judging_round(contest, koto, k=1)
    person = f.judge(display_name="審査員 森")
    judging.add_judge(koto, round_, person.email, scope="all")
    judging.assign(koto, round_)
    f.open_round(round_)
    for value, assignment in zip(
        (5, 2), Assignment.objects.filter(round=round_).order_by("entry_id"), strict=True
    ):
        scores = {c.pk: (value, "") for c in round_.criteria.all()}
        judging.save_scores(person, assignment, scores, comment="講評です", submit=True)
    f.close_round(round_)
    top = contest.prizes.order_by("sort_order").first()
    results.choose_winners(koto, top, [teams[0].submission])
    results.publish_results(koto, contest)
    return {
        "contest": contest,
        "teams": teams,
        "round": round_,
        "judge": person,
        "award": Award.objects.get(prize=top),
    }


class TestImplementationSupport:
    def test_a_winner_becomes_a_draft_board_task_linked_both_ways(self, koto, published):
        from marketplace.models import Membership, Task, TaskStatus
        from tests.marketplace.factories import organization

        org = organization(
            owner=f.entrant(display_name="江東区 デジタル推進課"), name="江東区 デジタル推進課"
        )
        Membership.objects.create(organization=org, user=koto)
        award = published["award"]
        created = results.start_follow_up(koto, award)
        task = Task.objects.get(pk=int(created.reference.split(":")[1]))
        assert task.status == TaskStatus.DRAFT
        assert task.organization == org
        assert task.title.startswith("実装支援")
        assert award.submission.title in task.description
        assert task.origin_url == reverse("contests:submission_detail", args=[award.submission.pk])
        award.refresh_from_db()
        assert award.follow_up_url == reverse("marketplace:task_detail", args=[task.pk])
        # The task names the entry it carries on; the contest page links the task.
        client = Client()
        client.force_login(koto)
        assert award.submission.title in client.get(award.follow_up_url).content.decode()
        assert award.follow_up_url in Client().get(published["contest"].url).content.decode()
        with pytest.raises(ConflictError):
            results.start_follow_up(koto, award)

    def test_an_organizer_without_an_organization_is_told_what_to_do(self, koto, published):
        with pytest.raises(ConflictError) as error:
            results.start_follow_up(koto, published["award"])
        assert "団体" in error.value.message
        assert not Award.objects.exclude(follow_up="").exists()

    def test_only_after_publication(self, koto):
        contest, teams = f.judging_contest(teams=1)
        prize = contest.prizes.first()
        results.choose_winners(koto, prize, [teams[0].submission])
        with pytest.raises(ConflictError):
            results.start_follow_up(koto, Award.objects.get(prize=prize))


class TestClosingAnAccount:
    def test_scores_and_votes_stay_counted(self, published):
        person = published["judge"]
        section = SECTIONS.get("contest_judging")
        exported = section.export(person)
        assert len(exported["score_sheets"]) == 2
        assert exported["score_sheets"][0]["comment"] == "講評です"
        before = [s.entry for s in judging.round_ranking(published["round"]).scored]
        closing.close_account(person, answers={})
        after = [s.entry for s in judging.round_ranking(published["round"]).scored]
        assert after == before
        assert (
            Assignment.objects.filter(judge=person, status=AssignmentStatus.SUBMITTED).count() == 2
        )

    def test_a_voter_s_vote_stays_with_the_count(self, koto):
        from datetime import timedelta

        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from contests.models import AudienceVoting

        contest, teams = f.judging_contest(teams=1)
        now = timezone.now()
        results.set_voting(koto, contest, now + timedelta(hours=1), now + timedelta(days=1))
        AudienceVoting.objects.filter(contest=contest).update(opens_at=now - timedelta(minutes=1))
        voter = f.entrant()
        get_user_model().objects.filter(pk=voter.pk).update(date_joined=now - timedelta(days=9))
        voter.refresh_from_db()
        results.cast_vote(voter, teams[0].submission)
        assert (
            SECTIONS.get("contest_judging").export(voter)["audience_votes"][0]["submission"]
            == "アプリ1"
        )
        closing.close_account(voter, answers={})
        assert Vote.objects.filter(contest=contest).count() == 1


def test_the_organizer_s_description_of_a_criterion_is_shown_as_text(koto):
    contest, _teams = f.judging_contest(teams=1)
    round_ = f.judging_round(
        contest,
        koto,
        k=1,
        criteria=[
            {
                "name": "安全性",
                "description": "<script>alert(1)</script>",
                "weight": 1,
                "scale_max": 5,
            }
        ],
    )
    person = f.judge()
    judging.add_judge(koto, round_, person.email, scope="all")
    judging.assign(koto, round_)
    f.open_round(round_)
    client = Client()
    client.force_login(person)
    page = client.get(
        reverse("contests:score", args=[Assignment.objects.get(judge=person).pk])
    ).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_final_takes_the_entries_advanced_from_the_screening(koto):
    contest, teams = f.judging_contest(teams=3)
    screening = f.judging_round(contest, koto, k=1)
    final = f.judging_round(contest, koto, kind="final", k=1)
    judging.add_judge(koto, screening, f.judge().email, scope="all")
    judging.assign(koto, screening)
    chosen = [teams[0].submission, teams[2].submission]
    assert judging.advance(koto, final, chosen) == 2
    assert judging.advance(koto, final, chosen) == 0  # already there
    assert set(final.entries.values_list("submission_id", flat=True)) == {s.pk for s in chosen}
    other, _ = f.judging_contest(teams=1, title="別のコンテスト", slug="other")
    with pytest.raises(ValidationError):
        judging.advance(koto, final, [other.submissions.first()])
    with pytest.raises(ConflictError):
        judging.advance(koto, screening, chosen)


def test_an_audience_prize_is_suggested_by_the_votes_and_a_tie_decision_is_published(koto):
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from contests.models import AudienceVoting, Prize

    contest, teams = f.judging_contest(teams=2)
    audience = Prize.objects.create(
        contest=contest, name="オーディエンス賞", amount=30_000, audience=True, sort_order=9
    )
    round_ = f.judging_round(contest, koto, k=1)
    person = f.judge()
    judging.add_judge(koto, round_, person.email, scope="all")
    judging.assign(koto, round_)
    f.open_round(round_)
    for assignment in Assignment.objects.filter(round=round_):
        judging.save_scores(
            person, assignment, {c.pk: (3, "") for c in round_.criteria.all()}, submit=True
        )
    now = timezone.now()
    results.set_voting(koto, contest, now + timedelta(hours=1), now + timedelta(days=1))
    AudienceVoting.objects.filter(contest=contest).update(opens_at=now - timedelta(minutes=1))
    for _ in range(2):
        voter = f.entrant()
        get_user_model().objects.filter(pk=voter.pk).update(date_joined=now - timedelta(days=9))
        voter.refresh_from_db()
        results.cast_vote(voter, teams[1].submission)
    AudienceVoting.objects.filter(contest=contest).update(closes_at=now)
    assert results.suggested_winners(contest)[audience.pk] == [teams[1].submission.pk]

    f.close_round(round_)
    level = judging.round_ranking(round_).unresolved[0]
    # Level on every step: publishing waits for the organizer's decision.
    results.choose_winners(
        koto, contest.prizes.order_by("sort_order").first(), [teams[0].submission]
    )
    assert any("同点" in str(b) for b in results.publish_blockers(contest))
    judging.decide_tie(koto, round_, list(level), "最終発表会での質疑を踏まえ審査員の合議で決定")
    results.publish_results(koto, contest)
    page = Client().get(contest.url).content.decode()
    assert "最終発表会での質疑を踏まえ審査員の合議で決定" in page


def test_an_account_without_a_confirmed_address_cannot_vote(koto):
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from contests.models import AudienceVoting

    contest, teams = f.judging_contest(teams=1)
    now = timezone.now()
    results.set_voting(koto, contest, now + timedelta(hours=1), now + timedelta(days=1))
    AudienceVoting.objects.filter(contest=contest).update(opens_at=now - timedelta(minutes=1))
    voter = f.entrant()
    get_user_model().objects.filter(pk=voter.pk).update(date_joined=now - timedelta(days=9))
    voter.refresh_from_db()
    EmailAddress.objects.filter(user=voter).update(verified=False)
    with pytest.raises(ConflictError) as error:
        results.cast_vote(voter, teams[0].submission)
    assert "メールアドレス" in error.value.message
    assert not Vote.objects.exists()
