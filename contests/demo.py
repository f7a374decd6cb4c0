"""Demo contests: the シビックテック・チャレンジ index under the Japanese home page and a
contest in every state (upcoming, entry open, building, judging, finished), placed
around the moment seed_demo runs. The main one is 江東区's, with two open datasets,
three teams and submissions of several versions.

Runs after cms.demo (the home page must exist) and before search.demo (which indexes
everything). Teams, members and submissions go through contests.services, as people
would make them; datasets are written as rows, since importing would need the network.
Seeding again leaves every contest that is already there as it is.
"""

from datetime import datetime, time, timedelta
from uuid import NAMESPACE_URL, uuid5
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.apps import apps
from django.utils import timezone
from wagtail.models import Locale

from accounts.models import User
from accounts.services import complete_signup
from core.demo import DEMO_PASSWORD
from core.models import Ward
from messaging import services as messaging

from . import services
from .demo_content import CATALOG, CC_BY, CONTESTS, DATASETS, ENTRANTS, INDEX, INDEX_EN, THEMES
from .models import (
    PHASES,
    Catalog,
    ContestDataset,
    ContestIndexPage,
    ContestPage,
    Dataset,
    Prize,
    Resource,
    Submission,
    Team,
    TeamMembership,
    Theme,
)

ORDER = 60  # after cms.demo (50), before search.demo (90)

TOKYO = ZoneInfo("Asia/Tokyo")
ORGANIZER = "organizer.koto@example.jp"
EDITOR = "editor@example.jp"


def seed(ctx) -> None:
    now = timezone.now()
    today = timezone.localtime(now, TOKYO).date()
    themes = _seed_themes()
    datasets = _seed_datasets(now)
    _seed_entrants(ctx)
    index = _seed_index(ctx)
    wards = {ward.code: ward for ward in Ward.objects.all()}
    for spec in CONTESTS:
        if ContestPage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            continue
        contest = _seed_contest(ctx, index, spec, wards, themes, datasets, today, now)
        ctx.say(f"  contest: {contest.title} ({contest.state})")
    from .demo_judging import seed_judging

    seed_judging(ctx, _demo_user)
    ctx.figures["contests"] = ContestPage.objects.count()
    ctx.figures["contest teams"] = Team.objects.count()
    ctx.figures["contest submissions"] = Submission.objects.count()


# --- Reference data ---------------------------------------------------------------------


def _seed_themes() -> dict[str, Theme]:
    themes = {}
    for slug, name, name_en in THEMES:
        theme, _ = Theme.objects.get_or_create(
            name=name, defaults={"slug": slug, "name_en": name_en}
        )
        themes[slug] = theme
    return themes


def _seed_datasets(now) -> dict[str, Dataset]:
    name, base_url = CATALOG
    catalog = Catalog.objects.filter(base_url=base_url).first()
    if catalog is None:
        catalog = Catalog.objects.create(name=name, base_url=base_url)
    datasets = {}
    for spec in DATASETS:
        modified = now - timedelta(days=spec["modified_days_ago"])
        dataset, created = Dataset.objects.get_or_create(
            catalog=catalog,
            ckan_id=spec["name"],
            defaults={
                "name": spec["name"],
                "title": spec["title"],
                "notes": spec["notes"],
                "publisher": spec["publisher"],
                "publisher_name": spec["publisher_name"],
                **CC_BY,
                "tags": spec["tags"],
                "source_url": f"{catalog.base_url}/dataset/{spec['name']}",
                "metadata_modified": modified,
                "imported_at": now,
            },
        )
        if created:
            Resource.objects.bulk_create(
                Resource(
                    dataset=dataset,
                    # What CKAN would have given it: a UUID, the same on every seed.
                    ckan_id=str(uuid5(NAMESPACE_URL, f"{dataset.source_url}/{position}")),
                    name=title,
                    format=fmt,
                    url=f"{catalog.base_url}/dataset/{spec['name']}/resource/{position}/"
                    f"download/{filename}",
                    size=size,
                    last_modified=modified,
                    position=position,
                )
                for position, (title, fmt, filename, size) in enumerate(spec["resources"])
            )
        datasets[spec["name"]] = dataset
    return datasets


def _demo_user(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, display_name=name)
        complete_signup(user, display_name=name, language="ja", recommendations=False)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _seed_entrants(ctx) -> None:
    for email, name in ENTRANTS:
        ctx.users[email] = _demo_user(email, name)


def _user(ctx, email: str) -> User | None:
    """A demo person of accounts.demo or of this module (None if nobody seeded them)."""
    return ctx.users.get(email) or User.objects.filter(email=email).first()


# --- Pages ------------------------------------------------------------------------------


def _seed_index(ctx) -> ContestIndexPage:
    # contests may not import cms (the layers): the home page's model by name.
    home = apps.get_model("cms", "HomePage").objects.get(locale__language_code="ja")
    index = ContestIndexPage.objects.child_of(home).first()
    if index is None:
        index = ContestIndexPage(
            slug=INDEX["slug"], title=INDEX["title"], intro=INDEX["intro"], owner=_user(ctx, EDITOR)
        )
        home.add_child(instance=index)
        index.save_revision(user=index.owner).publish()
    english = Locale.objects.filter(language_code="en").first()
    if (
        english is not None
        and home.get_translation_or_none(english) is not None
        and index.get_translation_or_none(english) is None
    ):
        # /en/challenge/ lists the contests too (in Japanese until someone translates them).
        translation = index.copy_for_translation(english).specific
        translation.title = INDEX_EN["title"]
        translation.intro = INDEX_EN["intro"]
        translation.save_revision(user=index.owner).publish()
    return index


def _moment(today, days: int, hour: int, minute: int) -> datetime:
    return datetime.combine(today + timedelta(days=days), time(hour, minute), tzinfo=TOKYO)


def _seed_contest(ctx, index, spec, wards, themes, datasets, today, now) -> ContestPage:
    timeline = {name: None for name, _label in PHASES}
    timeline.update({name: _moment(today, *when) for name, when in spec["timeline"].items()})
    # Teams can only form while entry is open, and services.create_team reads the real
    # clock. So a contest whose entry has closed is first created with its timeline
    # moved forward until entry is open now (the "rehearsal"), its teams form through
    # the services, and then its real timeline is published as the page's first
    # revision. Publishing it (rather than a queryset .update() of the times) keeps
    # the page's latest revision equal to what is live, so the first edit in the admin
    # does not bring the rehearsal times back. Submissions are saved afterwards, with
    # `now=` inside the real window.
    shift = timedelta(0)
    if spec["teams"] and timeline["entry_closes_at"] <= now:
        middle = (
            timeline["entry_opens_at"]
            + (timeline["entry_closes_at"] - timeline["entry_opens_at"]) / 2
        )
        shift = now - middle
    organizer = _user(ctx, ORGANIZER) if spec["ward"] == "131083" else None
    owner = organizer or _user(ctx, EDITOR)
    page = ContestPage(
        slug=spec["slug"],
        title=spec["title"],
        ward=wards[spec["ward"]],
        summary=spec["summary"],
        body=[{"type": kind, "value": value} for kind, value in spec["body"]],
        eligibility_area=spec["eligibility_area"],
        asks_student=spec["asks_student"],
        eligibility=spec["eligibility"],
        rules=spec["rules"],
        team_size_max=spec["team_size_max"],
        owner=owner,
        **{name: at + shift if at else None for name, at in timeline.items()},
    )
    page.themes = [themes[slug] for slug in spec["themes"]]
    page.prizes = [
        Prize(name=name, amount=amount, winners=winners, sort_order=order)
        for order, (name, amount, winners) in enumerate(spec["prizes"])
    ]
    page.dataset_links = [
        ContestDataset(dataset=datasets[name], sort_order=order)
        for order, name in enumerate(spec["datasets"])
    ]
    index.add_child(instance=page)

    teams = [_form_team(ctx, page, team_spec) for team_spec in spec["teams"]]

    for name, at in timeline.items():
        setattr(page, name, at)
    page.save_revision(user=owner).publish()
    page.refresh_from_db()

    for position, (team, team_spec) in enumerate(zip(teams, spec["teams"], strict=True)):
        _submit(ctx, page, team, team_spec, position, datasets, now)
        _send_messages(ctx, team, team_spec)
    if organizer is not None and spec.get("announcement"):
        services.send_announcement(organizer, page, *spec["announcement"])
    return page


# --- Teams and entries ------------------------------------------------------------------


def _form_team(ctx, page, spec) -> Team:
    leader_email, leader_answers = spec["leader"]
    leader = _user(ctx, leader_email)
    team = services.create_team(leader, page, spec["name"], leader_answers)
    for email, answers in spec["members"]:
        services.join_by_link(_user(ctx, email), team.invite_code, answers)
    for name, role in spec["contributors"]:
        services.add_contributor(leader, team, name, role)
    return team


def _submit(ctx, page, team, spec, position, datasets, now) -> None:
    """Save each version at a moment inside the contest's real window, then date the
    team and its entry to match (created_at and friends are written by the clock)."""
    formed = page.entry_opens_at + timedelta(days=1 + position, hours=9)
    start = formed + timedelta(days=3)
    # The last save a little before the deadline (or before now, while it is still on).
    end = min(now, page.submission_deadline) - timedelta(hours=2 + position)
    count = len(spec["versions"])
    moments = [
        (start + (end - start) * (k / (count - 1) if count > 1 else 0)).replace(
            second=0, microsecond=0
        )
        for k in range(count)
    ]
    used = [datasets[name] for name in spec["datasets"]]
    fields: dict = {}
    for version, at in zip(spec["versions"], moments, strict=True):
        fields = fields | version
        services.save_submission(team.leader, team, fields, datasets=used, now=at)

    Team.objects.filter(pk=team.pk).update(created_at=formed)
    for offset, membership in enumerate(team.memberships.order_by("id")):
        TeamMembership.objects.filter(pk=membership.pk).update(
            joined_at=formed + timedelta(hours=2 * offset)
        )
    Submission.objects.filter(team=team).update(created_at=moments[0], updated_at=moments[-1])


def _send_messages(ctx, team, spec) -> None:
    if not spec.get("messages"):
        return
    conversation = messaging.conversation_for(team)
    if conversation is None:
        return
    for email, body in spec["messages"]:
        messaging.send_message(_user(ctx, email), conversation.pk, body=body)
