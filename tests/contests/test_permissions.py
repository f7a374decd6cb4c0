"""The permission matrix: every contest URL and policy action, for each kind of person.

Another ward's organizer, another team and anyone not named get 404 (nothing leaks about
what exists); anonymous people are sent to log in where an account is needed.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import policy
from contests.models import Submission

from . import factories as f

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "participant",
    "other_team",
    "judge",
    "organizer",
    "other_ward_organizer",
    "editor",
]


@pytest.fixture
def world():
    contest = f.contest(state="entry_open")
    participant = f.entrant(display_name="参加者")
    other = f.entrant(display_name="別チームの人")
    team = f.team(contest, participant, name="チームA")
    other_team = f.team(contest, other, name="チームB")
    f.submit(team, is_public=False, title="非公開の作品")
    f.submit(other_team, is_public=True, title="公開の作品")
    people = {
        "anonymous": None,
        "participant": participant,
        "other_team": other,
        "judge": f.judge(),
        "organizer": f.organizer(f.KOTO),
        "other_ward_organizer": f.organizer(f.TAITO, display_name="台東区 企画課"),
        "editor": f.editor(),
    }
    return {
        "contest": contest,
        "team": team,
        "other_team": other_team,
        "private": Submission.objects.get(team=team),
        "public": Submission.objects.get(team=other_team),
        "people": people,
    }


def _client(person):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def _status(response):
    """302 to the log-in page reads 'login', any other redirect 302."""
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


PUBLIC = dict.fromkeys(PEOPLE, 200)
SIGNED_IN = {**dict.fromkeys(PEOPLE, 200), "anonymous": "login"}
ORGANIZER_ONLY = {**dict.fromkeys(PEOPLE, 404), "anonymous": "login", "organizer": 200}
TEAM_AND_ORGANIZER = {
    **dict.fromkeys(PEOPLE, 404),
    "anonymous": "login",
    "participant": 200,
    "organizer": 200,
}
TEAM_ONLY = {**dict.fromkeys(PEOPLE, 404), "anonymous": "login", "participant": 200}
# The team's conversation opens in the messages pages (a redirect there).
CONVERSATION = {**TEAM_ONLY, "participant": 302}
PRIVATE_ENTRY = {**dict.fromkeys(PEOPLE, 404), "participant": 200, "organizer": 200}

GET_MATRIX = [
    ("contest page", lambda w: w["contest"].url, PUBLIC),
    (
        "stable contest link",
        lambda w: reverse("contests:contest_detail", args=[w["contest"].pk]),
        dict.fromkeys(PEOPLE, 302),
    ),
    (
        "contest calendar",
        lambda w: reverse("contests:contest_calendar", args=[w["contest"].pk]),
        PUBLIC,
    ),
    ("all contests calendar", lambda w: reverse("contests:calendar"), PUBLIC),
    ("dataset list", lambda w: reverse("contests:dataset_list"), PUBLIC),
    ("my entries", lambda w: reverse("contests:my_entries"), SIGNED_IN),
    ("dashboard", lambda w: reverse("contests:dashboard", args=[w["contest"].pk]), ORGANIZER_ONLY),
    (
        "CSV export",
        lambda w: reverse("contests:export_csv", args=[w["contest"].pk]),
        ORGANIZER_ONLY,
    ),
    (
        "JSON export",
        lambda w: reverse("contests:export_json", args=[w["contest"].pk]),
        ORGANIZER_ONLY,
    ),
    (
        "extension form",
        lambda w: reverse("contests:grant_extension", args=[w["team"].pk]),
        ORGANIZER_ONLY,
    ),
    (
        "team page",
        lambda w: reverse("contests:team_detail", args=[w["team"].pk]),
        TEAM_AND_ORGANIZER,
    ),
    (
        "team conversation",
        lambda w: reverse("contests:team_conversation", args=[w["team"].pk]),
        CONVERSATION,
    ),
    (
        "submission form",
        lambda w: reverse("contests:submission_edit", args=[w["team"].pk]),
        TEAM_ONLY,
    ),
    (
        "private entry",
        lambda w: reverse("contests:submission_detail", args=[w["private"].pk]),
        PRIVATE_ENTRY,
    ),
    (
        "private entry's version",
        lambda w: reverse("contests:submission_version", args=[w["private"].pk, 1]),
        PRIVATE_ENTRY,
    ),
    (
        "public entry",
        lambda w: reverse("contests:submission_detail", args=[w["public"].pk]),
        PUBLIC,
    ),
    (
        "contest in the Wagtail admin",
        lambda w: f"/admin/pages/{w['contest'].pk}/edit/",
        {
            "anonymous": "login",
            "participant": "login",
            "other_team": "login",
            "judge": "login",
            "organizer": 200,
            "other_ward_organizer": 404,
            "editor": 200,
        },
    ),
]


@pytest.mark.parametrize("name,url,expected", GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_who_may_open_each_page(world, name, url, expected):
    target = url(world)
    seen = {person: _status(_client(world["people"][person]).get(target)) for person in PEOPLE}
    assert seen == expected


POST_MATRIX = [
    # Only the leader renames; a member of another team, the organizers and the rest are
    # told the team is not there.
    (
        "rename the team",
        lambda w: reverse("contests:team_action", args=[w["team"].pk, "rename"]),
        {"name": "新しい名前"},
        {**dict.fromkeys(PEOPLE, 404), "anonymous": "login", "participant": 302},
    ),
    (
        "save the entry",
        lambda w: reverse("contests:submission_edit", args=[w["team"].pk]),
        {"title": "書き換え", "summary": "概要", "licence": "MIT"},
        {**dict.fromkeys(PEOPLE, 404), "anonymous": "login", "participant": 302},
    ),
    (
        "send an announcement",
        lambda w: reverse("contests:announce", args=[w["contest"].pk]),
        {"title": "お知らせ", "body": "本文"},
        {**dict.fromkeys(PEOPLE, 404), "anonymous": "login", "organizer": 302},
    ),
]


@pytest.mark.parametrize("name,url,data,expected", POST_MATRIX, ids=[row[0] for row in POST_MATRIX])
def test_who_may_change_things(world, name, url, data, expected):
    target = url(world)
    seen = {}
    for person in PEOPLE:
        response = _client(world["people"][person]).post(target, data)
        seen[person] = _status(response)
    assert seen == expected


SERVICE_MATRIX = [
    ("contests.edit_contest", "contest", {"organizer", "editor"}),
    ("contests.manage_contest", "contest", {"organizer"}),
    ("contests.view_team", "team", {"participant", "organizer"}),
    ("contests.manage_team", "team", {"participant"}),
    ("contests.edit_submission", "team", {"participant"}),
    ("contests.grant_extension", "team", {"organizer"}),
    ("contests.view_submission", "private", {"participant", "organizer"}),
    ("contests.view_submission", "public", set(PEOPLE) - {"anonymous"}),
    ("contests.import_dataset", None, {"organizer", "other_ward_organizer", "editor"}),
]


@pytest.mark.parametrize(
    "action,target,allowed", SERVICE_MATRIX, ids=[f"{a} {t}" for a, t, _ in SERVICE_MATRIX]
)
def test_the_policy_table(world, action, target, allowed):
    from django.contrib.auth.models import AnonymousUser

    obj = world[target] if target else None
    seen = {
        person
        for person in PEOPLE
        if policy.can(world["people"][person] or AnonymousUser(), action, obj)
    }
    assert seen == allowed
