"""Residents report a public entry, or a team's name shown on one, through moderation's
own report page; the contest's ward's moderators get it. What is not public cannot be
reported (404)."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Role
from moderation.models import Report
from tests.accounts.factories import UserFactory, with_second_factor

from . import factories as f

pytestmark = pytest.mark.django_db


def moderator(ward_code):
    user = UserFactory(display_name=f"モデレーター {ward_code}")
    account_services.grant_role(user, Role.MODERATOR, ward=f.ward(ward_code))
    return with_second_factor(user)


@pytest.fixture
def entry():
    """A public entry of a 江東区 contest."""
    page = f.contest()
    return f.submit(f.team(page, name="チーム駐輪ナビ"))


def report_url(kind, pk):
    return reverse("moderation:report", args=[kind, pk])


def test_a_resident_reports_a_public_entry_and_the_koto_moderator_gets_it(client, entry):
    # given a resident on the entry's report page
    client.force_login(f.entrant(display_name="通報する住民"))
    form = client.get(report_url("submission", entry.pk))
    assert form.status_code == 200
    assert "駐輪ナビ" in form.content.decode()

    # when they report it
    response = client.post(
        report_url("submission", entry.pk), {"reason": "inappropriate", "details": "不適切な画像"}
    )

    # then it is stored for 江東区 and shown in 江東区's moderator's queue, not 台東区's
    assert response.status_code == 302
    assert response.url == reverse("contests:submission_detail", args=[entry.pk])
    report = Report.objects.get()
    assert (report.target, report.ward_id) == (entry, f.ward(f.KOTO).pk)
    client.force_login(moderator(f.KOTO))
    queue = client.get(reverse("moderation_reports:index")).content.decode()
    assert "不適切な画像" in queue and "駐輪ナビ" in queue
    assert reverse("contests:submission_detail", args=[entry.pk]) in queue
    client.force_login(moderator(f.TAITO))
    assert "不適切な画像" not in client.get(reverse("moderation_reports:index")).content.decode()


def test_a_team_name_shown_on_a_public_entry_can_be_reported(client, entry):
    client.force_login(f.entrant())

    assert "チーム駐輪ナビ" in client.get(report_url("team", entry.team.pk)).content.decode()
    client.post(report_url("team", entry.team.pk), {"reason": "inappropriate", "details": ""})

    report = Report.objects.get()
    assert (report.target, report.ward_id) == (entry.team, f.ward(f.KOTO).pk)


def test_a_private_entry_and_its_team_cannot_be_reported(client):
    page = f.contest()
    private = f.submit(f.team(page), is_public=False)
    client.force_login(f.entrant())

    assert client.get(report_url("submission", private.pk)).status_code == 404
    assert client.post(report_url("submission", private.pk), {"reason": "spam"}).status_code == 404
    assert client.get(report_url("team", private.team.pk)).status_code == 404
    assert not Report.objects.exists()


def test_a_team_without_an_entry_cannot_be_reported(client):
    team = f.team(f.contest())
    client.force_login(f.entrant())
    assert client.get(report_url("team", team.pk)).status_code == 404


def test_an_entry_of_an_unpublished_contest_cannot_be_reported(client, entry):
    entry.contest.unpublish()
    client.force_login(f.entrant())
    assert client.get(report_url("submission", entry.pk)).status_code == 404
    assert client.get(report_url("team", entry.team.pk)).status_code == 404
