"""A small public board and contest scene, with people in it whose data must never show."""

from dataclasses import dataclass, field

import pytest

from contests.models import ContestDataset, ContestPage, Resource
from marketplace import services as board_services
from marketplace.models import WorkStyle
from tests.accounts.factories import UserFactory
from tests.contests import factories as cf
from tests.marketplace import factories as mf

OWNER_EMAIL = "owner.kappabashi@example.jp"
OWNER_NAME = "浅草 花子"
RESIDENT_EMAIL = "aya.designer@example.jp"
RESIDENT_NAME = "山田 彩"
LEADER_EMAIL = "leader.churin@example.jp"
LEADER_NAME = "佐藤 翔太"
APPLICATION_MESSAGE = "Instagramの運用経験が5年あります。ぜひお手伝いさせてください。"


@dataclass
class Scene:
    open_task: object = None
    onsite_task: object = None
    draft_task: object = None
    waiting_task: object = None
    refused_task: object = None
    contest: object = None
    draft_contest: object = None
    dataset: object = None
    other_dataset: object = None
    organization: object = None
    people: list = field(default_factory=list)

    def personal_values(self) -> list[str]:
        """What must never appear in any answer of the API."""
        org = self.organization
        values = [org.contact_email, org.contact_phone, org.address, APPLICATION_MESSAGE]
        for person in self.people:
            values += [person.email, person.display_name]
        return values


@pytest.fixture
def scene(db, wards, django_capture_on_commit_callbacks) -> Scene:
    s = Scene()
    # Committed, so the keyword index knows the tasks (the board's q uses it).
    with django_capture_on_commit_callbacks(execute=True):
        owner = UserFactory(email=OWNER_EMAIL, display_name=OWNER_NAME)
        s.organization = mf.organization(owner)
        s.open_task = mf.task(s.organization, title="SNSでの情報発信を手伝ってほしい")
        koto = mf.organization(name="砂町銀座商店街", ward_code="131083")
        s.onsite_task = mf.task(
            koto,
            title="夏祭りの写真撮影",
            category=mf.skill("photo-video"),
            skills=("photo-video",),
            work_style=WorkStyle.ONSITE,
            hours_per_week=8,
        )
        s.draft_task = mf.task(s.organization, title="下書きの募集", publish=False)
        waiting = mf.organization(verified=False, name="確認待ちの会")
        s.waiting_task = mf.task(waiting, title="確認待ちの募集")
        refused = mf.organization(name="確認を取り消された会")
        s.refused_task = mf.task(refused, title="取り消された会の募集")
        board_services.refuse_organization(mf.moderator(), refused, "登記を確認できませんでした")

        resident = mf.resident(email=RESIDENT_EMAIL, display_name=RESIDENT_NAME)
        board_services.apply_to_task(resident, s.open_task, APPLICATION_MESSAGE)

    s.contest = cf.contest(title="江東区 オープンデータ・チャレンジ 2027")
    s.contest.themes.add(cf.theme())
    s.contest.save_revision().publish()
    s.draft_contest = ContestPage(
        title="準備中のコンテスト",
        slug="draft-contest",
        ward=cf.ward(cf.KOTO),
        summary="まだ公開していません。",
        entry_opens_at=s.contest.entry_opens_at,
        entry_closes_at=s.contest.entry_closes_at,
        submission_deadline=s.contest.submission_deadline,
        results_at=s.contest.results_at,
        live=False,
    )
    cf.contest_index().add_child(instance=s.draft_contest)
    leader = UserFactory(email=LEADER_EMAIL, display_name=LEADER_NAME)
    cf.team(s.contest, leader, name="チーム駐輪ナビ")

    s.dataset = cf.dataset()
    Resource.objects.create(
        dataset=s.dataset,
        ckan_id="r1",
        name="一覧",
        format="CSV",
        url="https://catalog.example.jp/r1.csv",
    )
    ContestDataset.objects.create(contest=s.contest, dataset=s.dataset)
    s.other_dataset = cf.dataset(title="足立区 避難所一覧", ckan_id="adachi-shelters")
    s.other_dataset.publisher = "足立区"
    s.other_dataset.publisher_name = "t131211"
    s.other_dataset.save()
    Resource.objects.create(
        dataset=s.other_dataset,
        ckan_id="r2",
        name="避難所",
        format="JSON",
        url="https://catalog.example.jp/r2.json",
    )
    s.people = [owner, resident, leader, *s.organization.members.all()]
    return s


@pytest.fixture
def api_get(client):
    def get(path, **headers):
        return client.get(f"/api/v1{path}", **headers)

    return get
