"""The organizer's side of a contest on the site: the dashboard, the exports, the
announcement to every entrant and the extension for one team."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from contests.models import Announcement, ContestDataset, DeadlineExtension
from core.japan_time import in_tokyo
from core.models import ActivityLog

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A 江東区 contest with two teams (one submitted, using a linked dataset)."""
    contest = f.contest()
    parking = f.dataset()
    ContestDataset.objects.create(contest=contest, dataset=parking, sort_order=0)
    submitted = f.team(contest, name="チーム駐輪ナビ")
    member = f.join(submitted)
    submission = f.submit(submitted)
    submission.datasets.add(parking)
    quiet = f.team(contest, f.entrant(display_name="二番手"), name='=HYPERLINK("x")')
    return {
        "contest": contest,
        "parking": parking,
        "submitted": submitted,
        "member": member,
        "quiet": quiet,
        "organizer": f.organizer(),
    }


def dashboard_url(contest):
    return reverse("contests:dashboard", args=[contest.pk])


# --- Who gets the pages -----------------------------------------------------------------


def test_the_wards_organizer_sees_the_dashboard_with_counts_and_teams(client, world):
    client.force_login(world["organizer"])

    response = client.get(dashboard_url(world["contest"]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "チーム駐輪ナビ" in page
    assert "駐輪ナビ" in page  # the submission's title
    assert response.context["counts"] == {
        "teams": 2,
        "entrants": 3,
        "submissions": 1,
        "without_submission": 1,
        "on_time": 1,
        "late": 0,
    }
    [link] = response.context["datasets"]
    assert link.dataset == world["parking"] and link.uses == 1
    assert reverse("contests:grant_extension", args=[world["quiet"].pk]) in page
    assert "日本時間 (UTC+09:00)" in page


@pytest.mark.parametrize(
    "who", ["organizer of another ward", "editor", "entrant", "team member", "judge"]
)
def test_anyone_else_gets_not_found(client, world, who):
    user = {
        "organizer of another ward": lambda: f.organizer(f.TAITO),
        "editor": f.editor,
        "entrant": f.entrant,
        "team member": lambda: world["member"],
        "judge": f.judge,
    }[who]()
    client.force_login(user)
    contest = world["contest"]

    for name in ("dashboard", "export_csv", "export_json"):
        assert client.get(reverse(f"contests:{name}", args=[contest.pk])).status_code == 404
    assert (
        client.post(
            reverse("contests:announce", args=[contest.pk]), {"title": "x", "body": "y"}
        ).status_code
        == 404
    )
    extension_url = reverse("contests:grant_extension", args=[world["quiet"].pk])
    assert client.get(extension_url).status_code == 404
    assert Announcement.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(dashboard_url(world["contest"]))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_dashboard_takes_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["organizer"])
    client.get(dashboard_url(world["contest"]))  # warm the session and the site caches
    with django_assert_max_num_queries(40) as few:
        client.get(dashboard_url(world["contest"]))
    for n in range(4):
        extra = f.team(world["contest"], f.entrant(display_name=f"追加{n}"), name=f"追加チーム{n}")
        f.join(extra, f.entrant(display_name=f"追加メンバー{n}"))
        f.submit(extra)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(dashboard_url(world["contest"]))
    assert response.context["counts"]["teams"] == 6


# --- Exports ----------------------------------------------------------------------------


def test_the_csv_opens_in_japanese_excel_and_runs_no_formula(client, world):
    client.force_login(world["organizer"])

    response = client.get(reverse("contests:export_csv", args=[world["contest"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, *teams = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(header) == len(teams[0]) and len(teams) == 2
    names = {row[1] for row in teams}
    assert names == {"チーム駐輪ナビ", '\'=HYPERLINK("x")'}  # the formula is only text


def test_the_csv_header_is_in_the_language_of_the_page(client, world):
    client.force_login(world["organizer"])
    with translation.override("en"):
        url = reverse("contests:export_csv", args=[world["contest"].pk])

    response = client.get(url)

    header, *teams = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:3] == ["Team id", "Team", "Leader"]
    submitted = next(
        dict(zip(header, row, strict=True)) for row in teams if row[1] == "チーム駐輪ナビ"
    )
    assert submitted["Submission"] == "駐輪ナビ"
    assert submitted["Datasets used"] == "江東区 自転車駐車場一覧"
    assert submitted["Members"] == "リーダー; メンバー"
    assert submitted["Licence"] == "MIT License"
    assert submitted["Versions"] == "1"
    assert submitted["Last saved (Japan time)"].endswith("+09:00")
    assert submitted["Eligibility answers"].startswith("リーダー: I live there / Koto City")


def test_the_json_has_every_team_with_times_in_japan_time(client, world):
    client.force_login(world["organizer"])

    response = client.get(reverse("contests:export_json", args=[world["contest"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "チーム駐輪ナビ".encode() in response.content  # not \u escapes
    data = json.loads(response.content)
    assert data["contest"]["id"] == world["contest"].pk
    teams = {team["team"]: team for team in data["teams"]}
    assert set(teams) == {"チーム駐輪ナビ", '=HYPERLINK("x")'}
    submitted = teams["チーム駐輪ナビ"]
    assert submitted["versions"] == 1
    assert submitted["datasets"] == ["江東区 自転車駐車場一覧"]
    assert submitted["last_saved"].endswith("+09:00")
    assert submitted["eligibility"][0]["connection"] == "lives"
    assert submitted["eligibility"][0]["ward_name"] == "江東区"
    assert teams['=HYPERLINK("x")']["submission_title"] == ""


# --- Announcements ----------------------------------------------------------------------


def test_an_announcement_is_kept_and_mailed_to_every_entrant(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["organizer"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contests:announce", args=[world["contest"].pk]),
            {"title": "中間発表のお知らせ", "body": "3月1日に中間発表を行います。"},
        )

    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert announcement.title == "中間発表のお知らせ"
    recipients = sorted(message.to[0] for message in mail.outbox)
    entrants = sorted(
        m.user.email
        for team in (world["submitted"], world["quiet"])
        for m in team.memberships.select_related("user")
    )
    assert recipients == entrants and len(entrants) == 3
    assert all("中間発表のお知らせ" in message.subject for message in mail.outbox)
    page = client.get(dashboard_url(world["contest"])).content.decode()
    assert "3月1日に中間発表を行います。" in page


def test_an_announcement_without_a_message_says_which_field(client, world):
    client.force_login(world["organizer"])

    response = client.post(
        reverse("contests:announce", args=[world["contest"].pk]), {"title": "件名だけ"}
    )

    assert response.status_code == 400
    assert response.context["announcement_form"].errors["body"]
    assert 'id="id_body_error"' in response.content.decode()
    assert Announcement.objects.count() == 0


# --- Extensions -------------------------------------------------------------------------


def extension_post(team, until, reason="サーバー障害で保存できなかったため"):
    local = in_tokyo(until)
    return {
        "until_date": local.strftime("%Y-%m-%d"),
        "until_time": local.strftime("%H:%M"),
        "reason": reason,
    }


def test_an_extension_is_granted_in_japan_time_and_logged(client, world):
    client.force_login(world["organizer"])
    team = world["quiet"]
    day = in_tokyo(world["contest"].submission_deadline + timedelta(days=2))
    until = f.tokyo(day.year, day.month, day.day, 18, 0)
    url = reverse("contests:grant_extension", args=[team.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, extension_post(team, until))

    assert response.status_code == 302
    extension = DeadlineExtension.objects.get(team=team)
    assert in_tokyo(extension.until).strftime("%Y-%m-%d %H:%M:%S") == until.strftime(
        "%Y-%m-%d 18:00:59"
    )
    log = ActivityLog.objects.get(action="contests.extension_granted")
    assert log.actor == world["organizer"]
    assert log.data["reason"] == "サーバー障害で保存できなかったため"
    rows = client.get(dashboard_url(world["contest"])).context["rows"]
    quiet = next(row for row in rows if row["id"] == team.pk)
    assert quiet["extended"] and quiet["deadline_at"] == extension.until


def test_an_extension_without_a_reason_is_refused_next_to_the_field(client, world):
    client.force_login(world["organizer"])
    team = world["quiet"]
    until = world["contest"].submission_deadline + timedelta(days=2)

    response = client.post(
        reverse("contests:grant_extension", args=[team.pk]), extension_post(team, until, "  ")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert not DeadlineExtension.objects.exists()
    assert not ActivityLog.objects.filter(action="contests.extension_granted").exists()


def test_an_extension_before_the_contests_deadline_is_refused_on_the_date(client, world):
    client.force_login(world["organizer"])
    team = world["quiet"]
    too_early = world["contest"].submission_deadline - timedelta(days=1)

    response = client.post(
        reverse("contests:grant_extension", args=[team.pk]), extension_post(team, too_early)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["until_date"]
    assert 'id="id_until_date_error"' in response.content.decode()
    assert not DeadlineExtension.objects.exists()
