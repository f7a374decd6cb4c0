"""The submission deadline, to the second in Asia/Tokyo, and the extensions an organizer
grants after it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from contests import services
from contests.models import ContestPage, Submission, SubmissionVersion
from core.errors import Conflict

from . import factories as f

pytestmark = pytest.mark.django_db

DEADLINE = f.tokyo(2027, 3, 1, 23, 59)


def url(name, *args):
    with translation.override("en"):
        return reverse(f"contests:{name}", args=args)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def team():
    return f.team(f.contest(deadline=DEADLINE))


def _deadline_has_passed(contest: ContestPage) -> None:
    """The clock moves on: the contest's entry and deadline are now in the past (the team
    was formed while entry was open)."""
    now = timezone.now()
    ContestPage.objects.filter(pk=contest.pk).update(
        announced_at=now - timedelta(days=40),
        entry_opens_at=now - timedelta(days=30),
        entry_closes_at=now - timedelta(days=20),
        submission_deadline=now - timedelta(days=1),
    )


# --- To the second ----------------------------------------------------------------------


def test_a_save_at_235959_on_deadline_day_is_accepted(team):
    submission = f.submit(team, now=f.tokyo(2027, 3, 1, 23, 59, 59))
    assert submission.version_count == 1
    assert submission.versions.get().late is False


def test_a_save_at_midnight_is_refused_with_the_closed_message(team):
    # given
    f.submit(team, now=f.tokyo(2027, 3, 1, 22, 0), title="締切前の版")
    # when
    with pytest.raises(Conflict) as refused:
        f.submit(team, now=f.tokyo(2027, 3, 2, 0, 0, 0), title="締切後の版")
    # then
    assert refused.value.message == services.closed_message(team)
    assert "23:59" in refused.value.message and "UTC+09:00" in refused.value.message
    submission = Submission.objects.get(team=team)
    assert submission.title == "締切前の版"
    assert submission.versions.count() == 1


def test_the_version_standing_at_the_deadline_is_the_one_judged(team):
    f.submit(team, now=f.tokyo(2027, 3, 1, 20, 0), title="一つ目")
    f.submit(team, now=f.tokyo(2027, 3, 1, 23, 59, 59), title="二つ目")
    with pytest.raises(Conflict):
        f.submit(team, now=f.tokyo(2027, 3, 2, 0, 0, 1), title="三つ目")
    submission = Submission.objects.get(team=team)
    standing = services.version_at_deadline(submission)
    assert standing.number == 2
    assert standing.data["title"] == "二つ目"
    # and the first is as it was
    assert submission.versions.get(number=1).data["title"] == "一つ目"


def test_an_extension_lets_the_team_save_late_and_keeps_the_right_version(team):
    # given
    f.submit(team, now=f.tokyo(2027, 3, 1, 23, 0), title="締切前の版")
    services.grant_extension(
        f.organizer(), team, f.tokyo(2027, 3, 3, 12, 0), "会場の停電で提出できなかったため"
    )
    # when
    late = f.submit(team, now=f.tokyo(2027, 3, 2, 10, 0), title="延長中の版")
    # then
    assert late.version_count == 2
    version = late.versions.get(number=2)
    assert version.late is True
    assert services.version_at_deadline(late).pk == version.pk
    with pytest.raises(Conflict):
        f.submit(team, now=f.tokyo(2027, 3, 3, 12, 1), title="延長後の版")


# --- On the pages -----------------------------------------------------------------------


def test_after_the_deadline_the_page_says_entries_are_closed_and_offers_no_form(team):
    # given
    f.submit(team, title="締切前の版")
    _deadline_has_passed(team.contest)
    team.contest.refresh_from_db()
    client = client_for(team.leader)
    # when
    shown = client.get(url("submission_edit", team.pk))
    refused = client.post(url("submission_edit", team.pk), {**f.SUBMISSION, "title": "遅い版"})
    # then
    with translation.override("en"):
        closed = services.closed_message(team)
    assert shown.status_code == 200
    html = page(shown)
    assert "Entries are closed" in html
    assert closed in html
    assert "締切前の版" in html
    assert 'type="submit"' not in html.split('id="main"')[1].split("</main>")[0]
    assert refused.status_code == 409
    assert closed in page(refused)
    assert "遅い版" in page(refused)  # what they typed, to copy
    assert Submission.objects.get(team=team).title == "締切前の版"
    assert SubmissionVersion.objects.count() == 1


def test_an_extension_is_shown_to_the_team_with_its_reason_and_lets_it_save(team):
    # given
    f.submit(team, title="締切前の版")
    _deadline_has_passed(team.contest)
    team.contest.refresh_from_db()
    until = timezone.now() + timedelta(days=2)
    services.grant_extension(f.organizer(), team, until, "会場の停電で提出できなかったため")
    client = client_for(team.leader)
    # when
    team_page = page(client.get(url("team_detail", team.pk)))
    saved = client.post(
        url("submission_edit", team.pk), {**f.SUBMISSION, "title": "延長中の版", "is_public": "on"}
    )
    # then
    assert "会場の停電で提出できなかったため" in team_page
    assert "Extensions granted by the organizer" in team_page
    assert saved.status_code == 302
    submission = Submission.objects.get(team=team)
    assert submission.title == "延長中の版"
    latest = submission.versions.get(number=2)
    assert latest.late is True
    html = page(client.get(url("submission_edit", team.pk)))
    assert "Saved within an extension" in html
    assert "会場の停電で提出できなかったため" in html


def test_the_team_page_shows_the_deadline_in_japan_time(team):
    html = page(client_for(team.leader).get(url("team_detail", team.pk)))
    assert "1 March 2027, 23:59 Japan time (UTC+09:00)" in html
