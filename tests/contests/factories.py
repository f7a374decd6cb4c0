"""Contest scenarios built as an organizer and entrants would build them.

Times are given in Asia/Tokyo (what an organizer types) and stored in UTC.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role
from cms.models import HomePage
from contests import services
from contests.models import ContestIndexPage, ContestPage, Dataset, Prize, Theme
from core.models import Ward
from tests.accounts.factories import UserFactory, with_second_factor

TOKYO = ZoneInfo("Asia/Tokyo")
KOTO = "131083"
TAITO = "131067"


def tokyo(*args) -> datetime:
    """A moment given in Japan time: tokyo(2027, 3, 1, 23, 59)."""
    return datetime(*args, tzinfo=TOKYO)


def ward(code: str) -> Ward:
    return Ward.objects.get(code=code)


def organizer(ward_code: str = KOTO, *, second_factor: bool = True, **fields):
    user = UserFactory(display_name=fields.pop("display_name", "江東区 政策経営部"), **fields)
    account_services.grant_role(user, Role.CONTEST_ORGANIZER, ward=ward(ward_code))
    return with_second_factor(user) if second_factor else user


def editor():
    user = UserFactory(display_name="編集担当")
    account_services.grant_role(user, Role.EDITOR)
    return with_second_factor(user)


def judge(ward_code: str = KOTO, display_name: str = "審査員 橋本"):
    user = UserFactory(display_name=display_name)
    account_services.grant_role(user, Role.JUDGE, ward=ward(ward_code))
    return with_second_factor(user)


def contest_index() -> ContestIndexPage:
    """The one contest index under the Japanese home page (made on first use)."""
    home = HomePage.objects.get(locale__language_code="ja")
    index = ContestIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ContestIndexPage(title="シビックテック・チャレンジ", slug="challenge")
        )
    return index


def theme(name: str = "放置自転車対策", slug: str = "bicycles") -> Theme:
    return Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def contest(
    *,
    state: str = "entry_open",
    ward_code: str = KOTO,
    title: str = "江東区 オープンデータ・チャレンジ 2027",
    deadline: datetime | None = None,
    now: datetime | None = None,
    **fields,
) -> ContestPage:
    """A published contest in `state` now (or at `now`): the phases are placed around it.
    `deadline` fixes the submission deadline instead (entry open until 10 days before)."""
    now = now or timezone.now()
    day = timedelta(days=1)
    if deadline is None:
        deadline = {
            "upcoming": now + 40 * day,
            "entry_open": now + 20 * day,
            "building": now + 5 * day,
            "judging": now - 5 * day,
            "finished": now - 40 * day,
        }[state]
    entry_closes = {
        "upcoming": deadline - 10 * day,
        "entry_open": deadline - 10 * day,
        "building": now - day,
        "judging": deadline - 10 * day,
        "finished": deadline - 10 * day,
    }[state]
    entry_opens = now + 10 * day if state == "upcoming" else entry_closes - 20 * day
    if state != "upcoming" and entry_opens > now:
        entry_opens = now - day
    results = deadline + 20 * day if state != "finished" else now - 10 * day
    page = ContestPage(
        title=title,
        slug=fields.pop("slug", None) or f"contest-{ContestPage.objects.count() + 1}",
        ward=ward(ward_code),
        summary=fields.pop("summary", "区のオープンデータで地域の課題を解くアプリを募集します。"),
        announced_at=entry_opens - 7 * day,
        entry_opens_at=entry_opens,
        entry_closes_at=entry_closes,
        submission_deadline=deadline,
        results_at=results,
        **fields,
    )
    contest_index().add_child(instance=page)
    page.save_revision().publish()
    Prize.objects.create(contest=page, name="最優秀賞", amount=300_000, winners=1, sort_order=0)
    Prize.objects.create(contest=page, name="優秀賞", amount=100_000, winners=2, sort_order=1)
    page.refresh_from_db()
    return page


def entrant(**fields):
    """A resident of 江東区 who can enter a 23-ward contest."""
    return UserFactory(**fields)


ANSWERS = {"connection": "lives", "ward": KOTO, "student": False}


def team(contest_page: ContestPage, leader=None, *, name: str = "チーム駐輪ナビ", answers=None):
    leader = leader or entrant(display_name="リーダー")
    return services.create_team(leader, contest_page, name, answers or ANSWERS)


def join(team_obj, user=None, answers=None):
    user = user or entrant(display_name="メンバー")
    services.join_by_link(user, team_obj.invite_code, answers or ANSWERS)
    return user


def dataset(
    title: str = "江東区 自転車駐車場一覧", ckan_id: str = "koto-bicycle-parking"
) -> Dataset:
    from contests.models import Catalog

    catalog, _ = Catalog.objects.get_or_create(
        base_url="https://catalog.example.jp", defaults={"name": "東京都オープンデータカタログ"}
    )
    return Dataset.objects.get_or_create(
        catalog=catalog,
        ckan_id=ckan_id,
        defaults={
            "name": ckan_id,
            "title": title,
            "publisher_name": "江東区",
            "licence_id": "cc-by",
            "licence_title": "クリエイティブ・コモンズ 表示",
            "source_url": f"https://catalog.example.jp/dataset/{ckan_id}",
            "metadata_modified": timezone.now() - timedelta(days=30),
            "imported_at": timezone.now(),
        },
    )[0]


SUBMISSION = {
    "title": "駐輪ナビ",
    "summary": "駅前の駐輪場の空きを地図で案内します。",
    "problem": "駅前の放置自転車が歩道をふさいでいる。",
    "solution": "空いている駐輪場をすぐ見つけられるようにする。",
    "repository_url": "https://github.com/example/churin-navi",
    "demo_url": "https://churin-navi.example.jp/",
    "video_url": "",
    "licence": "MIT",
    "is_public": True,
}


def submit(team_obj, user=None, *, now=None, **fields):
    user = user or team_obj.leader
    return services.save_submission(user, team_obj, SUBMISSION | fields, now=now)


# --- Judging ----------------------------------------------------------------------------

TIMELINE = [
    "announced_at",
    "entry_opens_at",
    "entry_closes_at",
    "building_starts_at",
    "submission_deadline",
    "screening_at",
    "final_presentation_at",
    "results_at",
    "support_ends_at",
]


def pass_deadline(contest_page: ContestPage) -> ContestPage:
    """Let time pass until a day after the submission deadline: the timeline and every
    version saved move back together, as if the teams had entered that long ago."""
    from django.db.models import F

    from contests.models import SubmissionVersion

    delta = contest_page.submission_deadline - timezone.now() + timedelta(days=1)
    moved = {name: F(name) - delta for name in TIMELINE if getattr(contest_page, name)}
    ContestPage.objects.filter(pk=contest_page.pk).update(**moved)
    SubmissionVersion.objects.filter(submission__contest=contest_page).update(
        saved_at=F("saved_at") - delta
    )
    contest_page.refresh_from_db()
    return contest_page


def judging_contest(teams: int = 4, **fields):
    """A contest a day past its deadline with `teams` teams, each with a saved entry.
    Returns (contest, [team, ...])."""
    page = contest(state="entry_open", **fields)
    made = []
    for n in range(teams):
        made.append(team(page, entrant(display_name=f"リーダー{n + 1}"), name=f"チーム{n + 1}"))
        submit(made[-1], title=f"アプリ{n + 1}")
    return pass_deadline(page), made


CRITERIA = [
    {
        "name": "課題の捉え方",
        "description": "地域の課題を正しく捉えているか",
        "weight": 3,
        "scale_max": 5,
    },
    {
        "name": "データの活用",
        "description": "オープンデータを活かしているか",
        "weight": 2,
        "scale_max": 5,
    },
    {"name": "実現性", "description": "続けて使えるか", "weight": 1, "scale_max": 10},
]


def judging_round(contest_page, by, *, kind="screening", k=2, criteria=CRITERIA, ladder=None):
    """A round set up by `by`: a first screening opening in an hour for five days, a
    final the week after; criteria and ladder set."""
    from contests.services import judging

    now = timezone.now()
    start = now + timedelta(hours=1) if kind == "screening" else now + timedelta(days=6)
    round_ = judging.create_round(
        by,
        contest_page,
        kind=kind,
        opens_at=start,
        closes_at=start + timedelta(days=5),
        judges_per_entry=k,
    )
    judging.set_criteria(by, round_, [dict(c) for c in criteria])
    if ladder is not None:
        judging.set_tie_break(by, round_, ladder)
    return round_


def open_round(round_):
    """Time passes until scoring opens."""
    type(round_).objects.filter(pk=round_.pk).update(opens_at=timezone.now() - timedelta(minutes=1))
    round_.refresh_from_db()
    return round_


def close_round(round_):
    type(round_).objects.filter(pk=round_.pk).update(
        opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(minutes=1)
    )
    round_.refresh_from_db()
    return round_
