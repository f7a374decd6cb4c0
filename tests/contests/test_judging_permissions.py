"""The permission matrix of judging and results: every URL and service, for each kind of
person. A judge of another round or contest, a participant and another ward's organizer
are told there is nothing there (404); anonymous people are sent to log in."""

import pytest
from django.urls import reverse

from contests.models import Assignment, Submission
from contests.services import judging, results
from core.errors import NotFound

from . import factories as f
from .test_permissions import _client, _status

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "participant",
    "other_team",
    "judge",
    "final_judge",
    "other_contest_judge",
    "organizer",
    "other_ward_organizer",
]


@pytest.fixture
def world():
    organizer = f.organizer(f.KOTO)
    contest, teams = f.judging_contest(teams=2)
    screening = f.judging_round(contest, organizer, k=1)
    final = f.judging_round(contest, organizer, kind="final", k=1)
    judge, final_judge = f.judge(), f.judge()
    judging.add_judge(organizer, screening, judge.email, scope="all")
    judging.add_judge(organizer, final, final_judge.email, scope="all")
    judging.assign(organizer, screening)
    f.open_round(screening)

    other_contest, _other_teams = f.judging_contest(teams=1, title="別のコンテスト", slug="other")
    other_round = f.judging_round(other_contest, organizer, k=1)
    other_contest_judge = f.judge()
    judging.add_judge(organizer, other_round, other_contest_judge.email, scope="all")
    judging.assign(organizer, other_round)

    Submission.objects.filter(team=teams[0]).update(is_public=False)
    people = {
        "anonymous": None,
        "participant": teams[0].leader,
        "other_team": teams[1].leader,
        "judge": judge,
        "final_judge": final_judge,
        "other_contest_judge": other_contest_judge,
        "organizer": organizer,
        "other_ward_organizer": f.organizer(f.TAITO, display_name="台東区 企画課"),
    }
    return {
        "contest": contest,
        "team": teams[0],
        "private": Submission.objects.get(team=teams[0]),
        "round": screening,
        "final": final,
        "assignment": Assignment.objects.get(
            round=screening, judge=judge, entry__submission__team=teams[0]
        ),
        "people": people,
    }


NOBODY = {**dict.fromkeys(PEOPLE, 404), "anonymous": "login"}
ORGANIZER_ONLY = {**NOBODY, "organizer": 200}
JUDGE_ONLY = {**NOBODY, "judge": 200}
SIGNED_IN = {**dict.fromkeys(PEOPLE, 200), "anonymous": "login"}

GET_MATRIX = [
    (
        "judging overview",
        lambda w: reverse("contests:judging", args=[w["contest"].pk]),
        ORGANIZER_ONLY,
    ),
    (
        "round page",
        lambda w: reverse("contests:round_detail", args=[w["round"].pk]),
        ORGANIZER_ONLY,
    ),
    (
        "final's page",
        lambda w: reverse("contests:round_detail", args=[w["final"].pk]),
        ORGANIZER_ONLY,
    ),
    ("ranking", lambda w: reverse("contests:round_ranking", args=[w["round"].pk]), ORGANIZER_ONLY),
    (
        "scores CSV",
        lambda w: reverse("contests:scores_export", args=[w["round"].pk, "csv"]),
        ORGANIZER_ONLY,
    ),
    (
        "scores JSON",
        lambda w: reverse("contests:scores_export", args=[w["round"].pk, "json"]),
        ORGANIZER_ONLY,
    ),
    (
        "results",
        lambda w: reverse("contests:results_admin", args=[w["contest"].pk]),
        ORGANIZER_ONLY,
    ),
    ("a judge's own list", lambda w: reverse("contests:judge_home"), SIGNED_IN),
    ("score sheet", lambda w: reverse("contests:score", args=[w["assignment"].pk]), JUDGE_ONLY),
    (
        "declare a conflict",
        lambda w: reverse("contests:declare_conflict", args=[w["assignment"].pk]),
        JUDGE_ONLY,
    ),
    (
        "the team's feedback",
        lambda w: reverse("contests:feedback", args=[w["team"].pk]),
        {**NOBODY, "participant": 200, "organizer": 200},
    ),
    (
        "a private entry, for its judge",
        lambda w: reverse("contests:submission_detail", args=[w["private"].pk]),
        {**dict.fromkeys(PEOPLE, 404), "participant": 200, "judge": 200, "organizer": 200},
    ),
]


@pytest.mark.parametrize("name,url,expected", GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_who_may_open_each_judging_page(world, name, url, expected):
    target = url(world)
    seen = {person: _status(_client(world["people"][person]).get(target)) for person in PEOPLE}
    assert seen == expected


ORGANIZER_POSTS = {**NOBODY, "organizer": 302}
POST_MATRIX = [
    (
        "assign",
        lambda w: reverse("contests:round_detail", args=[w["round"].pk]),
        {"form": "assign"},
    ),
    (
        "decide a tie",
        lambda w: reverse("contests:decide_tie", args=[w["round"].pk]),
        {"reason": "x"},
    ),
    ("advance", lambda w: reverse("contests:advance", args=[w["round"].pk]), {}),
    ("publish", lambda w: reverse("contests:publish_results", args=[w["contest"].pk]), {}),
]


@pytest.mark.parametrize("name,url,data", POST_MATRIX, ids=[row[0] for row in POST_MATRIX])
def test_who_may_run_judging(world, name, url, data):
    target = url(world)
    seen = {
        person: _status(_client(world["people"][person]).post(target, data)) for person in PEOPLE
    }
    assert seen == ORGANIZER_POSTS


def test_only_the_assigned_judge_may_post_a_score_sheet(world):
    target = reverse("contests:score", args=[world["assignment"].pk])
    seen = {
        person: _status(_client(world["people"][person]).post(target, {"action": "draft"}))
        for person in PEOPLE
    }
    assert seen == {**NOBODY, "judge": 302}


SERVICE_CALLS = [
    ("assign", lambda w, user: judging.assign(user, w["round"])),
    ("add a judge", lambda w, user: judging.add_judge(user, w["round"], "x@example.jp")),
    ("set criteria", lambda w, user: judging.set_criteria(user, w["final"], [{"name": "x"}])),
    ("decide a tie", lambda w, user: judging.decide_tie(user, w["round"], [], "x")),
    ("score", lambda w, user: judging.save_scores(user, w["assignment"], {}, submit=False)),
    ("declare a conflict", lambda w, user: judging.declare_conflict(user, w["assignment"], "x")),
    ("publish", lambda w, user: results.publish_results(user, w["contest"])),
]


@pytest.mark.parametrize("name,call", SERVICE_CALLS, ids=[row[0] for row in SERVICE_CALLS])
@pytest.mark.parametrize(
    "person",
    ["participant", "other_team", "final_judge", "other_contest_judge", "other_ward_organizer"],
)
def test_services_refuse_everyone_else(world, name, call, person):
    with pytest.raises(NotFound):
        call(world, world["people"][person])


def test_staff_without_a_second_factor_enrol_before_the_organizer_and_judging_pages(world):
    guide = reverse("accounts:two_factor_required")
    bare = f.organizer(f.KOTO, second_factor=False, display_name="江東区 2FAなし")
    client = _client(bare)
    for target in (
        reverse("contests:dashboard", args=[world["contest"].pk]),
        reverse("contests:export_csv", args=[world["contest"].pk]),
        reverse("contests:judging", args=[world["contest"].pk]),
        reverse("contests:round_ranking", args=[world["round"].pk]),
        reverse("contests:scores_export", args=[world["round"].pk, "csv"]),
    ):
        response = client.get(target)
        assert response.status_code == 302 and response["Location"].startswith(guide), target
    # A participant is not staff: their pages open on a password.
    participant = _client(world["people"]["participant"])
    assert participant.get(reverse("contests:feedback", args=[world["team"].pk])).status_code == 200
