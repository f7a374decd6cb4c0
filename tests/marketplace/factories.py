"""Board scenarios built through marketplace.services, as a user would build them."""

from datetime import timedelta

from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role
from core.models import Ward
from marketplace import services
from marketplace.models import OrganizationKind, SkillCategory, WorkStyle
from tests.accounts.factories import UserFactory, with_second_factor


def ward(code: str) -> Ward:
    return Ward.objects.get(code=code)


def skill(code: str) -> SkillCategory:
    return SkillCategory.objects.get(code=code)


def moderator():
    user = UserFactory(display_name="モデレーター")
    account_services.grant_role(user, Role.MODERATOR)
    return with_second_factor(user)


def organization(owner=None, *, verified=True, ward_code="131067", **fields):
    """A 商店街 in 台東区 by default, verified unless asked otherwise."""
    owner = owner or UserFactory(display_name="商店街 事務局")
    data = {
        "name": "かっぱ橋道具街 商店街振興組合",
        "kind": OrganizationKind.SHOTENGAI,
        "ward": ward(ward_code),
        "address": "東京都台東区松が谷3-18-2",
        "description": "道具の街・かっぱ橋の商店街です。",
        "contact_email": "office@kappabashi.example.jp",
        "contact_phone": "03-0000-0000",
    } | fields
    org = services.register_organization(owner, **data)
    if verified:
        services.verify_organization(moderator(), org)
        org.refresh_from_db()
    return org


def resident(
    *,
    ward_code="131121",
    skills=("sns", "design"),
    discoverable=True,
    hours_per_week=3,
    work_style=WorkStyle.REMOTE,
    level=3,
    **user_fields,
):
    """A resident of 世田谷区 with SNS運用 and デザイン (professional) by default, 3 hours a
    week, remote."""
    user = UserFactory(**user_fields)
    services.save_resident_profile(
        user,
        skills={skill(code): level for code in skills},
        discoverable=discoverable,
        home_ward=ward(ward_code),
        headline="Webデザイナー",
        hours_per_week=hours_per_week,
        work_style=work_style,
    )
    return user


def task(org, *, publish=True, by=None, skills=("sns", "design"), **fields):
    by = by or org.memberships.first().user
    data = {
        "title": "SNSでの情報発信を手伝ってほしい",
        "description": "商店街のInstagramを一緒に運用してくれる方を募集します。",
        "category": skill("sns"),
        "ward": org.ward,
        "work_style": WorkStyle.REMOTE,
        "hours_per_week": 3,
        "duration_weeks": 8,
        "deliverable": "週2回の投稿と運用ルールのまとめ",
        "apply_deadline": timezone.localdate() + timedelta(days=30),
        "people_wanted": 1,
    } | fields
    created = services.create_task(by, org, skills=[skill(code) for code in skills], **data)
    if publish:
        created = services.publish_task(by, created)
    return created


def task_form_data(org, **fields):
    """What the task form posts for a design task of `org`, changed by `fields`."""
    return {
        "title": "チラシを作りたい",
        "description": "夏祭りのチラシ",
        "category": skill("design").pk,
        "skills": [skill("design").pk],
        "ward": org.ward.pk,
        "work_style": "remote",
        "hours_per_week": 2,
        "duration_weeks": 4,
        "deliverable": "A4チラシ",
        "apply_deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "people_wanted": 1,
    } | fields
