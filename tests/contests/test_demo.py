"""The demo contests: a contest in every state around the moment of seeding, the 江東区
one with its datasets, teams and entries, and a second seeding that changes nothing."""

from collections import Counter

import pytest
from wagtail.models import Page, Revision

from accounts import demo as accounts_demo
from cms import demo as cms_demo
from contests import demo as contests_demo
from contests import services
from contests.models import (
    ContestIndexPage,
    ContestPage,
    ContestState,
    Contributor,
    Dataset,
    Resource,
    Submission,
    SubmissionVersion,
    Team,
    TeamMembership,
    Theme,
)
from core.demo import DEMO_PASSWORD, DemoContext, discover_seeders

pytestmark = pytest.mark.django_db

KOTO_TITLE = "江東区 オープンデータ・チャレンジ 2027"


def seed_all(ctx=None):
    """What seed_demo runs before contests.demo, then contests.demo itself."""
    ctx = ctx or DemoContext()
    for module in (accounts_demo, cms_demo, contests_demo):
        module.seed(ctx)
    return ctx


def japanese_contests():
    return ContestPage.objects.live().filter(locale__language_code="ja")


def test_contests_seed_after_the_home_page_and_before_the_search_index():
    # given the seeders seed_demo finds
    order = [module.__name__ for module in discover_seeders()]
    # then the contests come after the pages they go under and before the index rebuild
    assert order.index("cms.demo") < order.index("contests.demo") < order.index("search.demo")


def test_there_is_a_contest_in_every_state():
    # when
    seed_all()
    # then
    states = Counter(contest.state for contest in japanese_contests())
    assert states == {state: 1 for state in ContestState.values}


def test_the_contest_index_is_under_the_japanese_home_page_at_challenge():
    seed_all()
    index = ContestIndexPage.objects.get(locale__language_code="ja")
    assert index.title == "シビックテック・チャレンジ"
    assert index.slug == "challenge" and index.url == "/challenge/"
    assert index.get_parent().locale.language_code == "ja" and index.get_parent().depth == 2
    assert index.intro and index.live
    assert set(japanese_contests()) == set(ContestPage.objects.child_of(index))


def test_the_index_lists_the_demo_contests_in_japanese_and_in_english(client):
    seed_all()
    html = client.get("/challenge/").content.decode()
    assert "シビックテック・チャレンジ" in html and KOTO_TITLE in html
    english = client.get("/en/challenge/")
    assert english.status_code == 200
    html = english.content.decode()
    assert "Civic-tech challenges" in html and KOTO_TITLE in html  # not yet translated


def test_the_koto_contest_has_its_prizes_datasets_teams_and_entries():
    seed_all()
    koto = japanese_contests().get(title=KOTO_TITLE)

    assert koto.ward.name == "江東区" and koto.state == ContestState.ENTRY_OPEN
    assert koto.asks_student and koto.eligibility_area == "wards"
    assert {theme.name for theme in koto.themes.all()} == {"放置自転車対策", "バリアフリーマップ"}
    assert [(p.name, p.amount, p.winners) for p in koto.prizes.order_by("sort_order")] == [
        ("最優秀賞", 300_000, 1),
        ("優秀賞", 100_000, 2),
        ("学生賞", 50_000, 1),
    ]
    assert koto.total_prize_money() == 550_000

    datasets = [link.dataset for link in koto.dataset_links.order_by("sort_order")]
    assert [d.title for d in datasets] == [
        "江東区 自転車駐車場一覧",
        "江東区 公衆トイレ・バリアフリー設備一覧",
    ]
    for dataset in datasets:
        assert dataset.publisher == "江東区"
        assert dataset.licence_id == "CC-BY-4.0"
        assert dataset.catalog.name == "東京都オープンデータカタログサイト"
        assert dataset.catalog.base_url == "https://catalog.data.metro.tokyo.lg.jp"
        assert dataset.source_url.startswith("https://catalog.data.metro.tokyo.lg.jp/dataset/")
    assert [list(d.resources.values_list("format", flat=True)) for d in datasets] == [
        ["CSV"],
        ["CSV", "JSON"],
    ]

    teams = Team.objects.filter(contest=koto)
    assert teams.count() == 3
    for team in teams:
        submission = team.submission
        assert submission.version_count >= 2
        assert submission.versions.count() == submission.version_count
        assert submission.datasets.exists()
        # every member answered the contest's questions, the student one included
        for membership in team.memberships.all():
            assert set(membership.answers) == {"connection", "ward", "student"}
    student_team = teams.get(name="豊洲テックラボ")
    assert all(m.answers["student"] for m in student_team.memberships.all())
    assert koto.announcements.count() == 1


def test_entries_of_closed_contests_were_saved_before_their_deadline():
    seed_all()
    for state in (ContestState.JUDGING, ContestState.FINISHED):
        contest = japanese_contests().get(ContestState.q(state))
        submissions = Submission.objects.filter(contest=contest)
        assert submissions.count() == 2
        for submission in submissions:
            versions = list(submission.versions.order_by("number"))
            assert len(versions) >= 2
            assert all(
                contest.entry_opens_at <= v.saved_at <= contest.submission_deadline
                for v in versions
            )
            assert not any(v.late for v in versions)
            # the last save is the one the judges read
            assert services.version_at_deadline(submission) == versions[-1]
            assert submission.team.created_at < versions[0].saved_at


def test_the_page_history_shows_only_the_real_timeline():
    seed_all()
    # given a contest whose teams formed in the "rehearsal" (its entry had closed)
    finished = japanese_contests().get(ContestState.q(ContestState.FINISHED))
    # then its one revision holds the timeline it shows: an editor opening it in the
    # admin sees the same dates
    revision = finished.revisions.get()
    assert revision.as_object().entry_opens_at == finished.entry_opens_at
    assert revision.as_object().results_at == finished.results_at


def test_demo_entrants_log_in_with_the_demo_password():
    seed_all()
    leader = Team.objects.get(name="豊洲テックラボ").leader
    assert leader.check_password(DEMO_PASSWORD) and leader.is_active


def _snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "contests": list(
            ContestPage.objects.order_by("pk").values_list("pk", "submission_deadline")
        ),
        "themes": Theme.objects.count(),
        "datasets": Dataset.objects.count(),
        "resources": Resource.objects.count(),
        "teams": Team.objects.count(),
        "members": TeamMembership.objects.count(),
        "contributors": Contributor.objects.count(),
        "submissions": Submission.objects.count(),
        "versions": list(SubmissionVersion.objects.order_by("pk").values_list("pk", "saved_at")),
    }


def test_seeding_again_changes_nothing():
    # given
    seed_all()
    before = _snapshot()
    # when
    seed_all()
    # then
    assert _snapshot() == before
    assert before["teams"] >= 9 and len(before["versions"]) >= 18


def test_the_published_contest_has_prize_money_waiting_for_the_second_organizer():
    from contests.demo_payouts import SECOND_ORGANIZER
    from contests.models import Payout, PayoutStatus
    from contests.payouts import services as payouts
    from tests.accounts.factories import with_second_factor

    seed_all()
    contest = japanese_contests().get(slug="shinagawa-kanko-2026")
    payouts_ = {p.status: p for p in Payout.objects.filter(award__contest=contest)}
    # the two-member team still decides; the single winner's account is in, prepared
    assert PayoutStatus.PENDING in payouts_
    ready = payouts_[PayoutStatus.READY]
    assert ready.prepared_by.email == "organizer.shinagawa@example.jp"
    assert ready.bank_masked.endswith("567")
    # the pool covers the awards, and the second organizer can approve
    assert payouts.pool(contest).shortfall == 0
    second = with_second_factor(_user(SECOND_ORGANIZER[0]))
    payouts.approve(second, ready)
    ready.refresh_from_db()
    assert ready.status == PayoutStatus.APPROVED


def _user(email):
    from accounts.models import User

    return User.objects.get(email=email)
