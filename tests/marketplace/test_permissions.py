"""Every board URL × who is asking → the answer they get.

Another organization's objects answer 404, not 403, so nothing leaks about what exists.
"""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from marketplace import services
from tests.accounts.factories import UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "resident", "other_resident", "member", "other_member", "moderator"]


@pytest.fixture
def world():
    org = f.organization()
    member = org.memberships.get().user
    other_org = f.organization(name="別の団体", ward_code="131083")
    other_member = other_org.memberships.get().user
    resident = f.resident(display_name="応募した区民")
    other_resident = f.resident(display_name="関係ない区民")
    task = f.task(org)
    draft = f.task(org, publish=False, title="下書きの募集")
    application = services.apply_to_task(resident, task, "応募します")
    matched_task = f.task(org, title="マッチ済みの募集")
    match = services.accept_application(
        member, services.apply_to_task(resident, matched_task, "応募します")
    )
    unverified = f.organization(verified=False, name="未確認の団体", owner=UserFactory())
    return SimpleNamespace(
        org=org,
        other_org=other_org,
        task=task,
        draft=draft,
        application=application,
        match=match,
        resident=resident,
        unverified=unverified,
        users={
            "anonymous": None,
            "resident": resident,
            "other_resident": other_resident,
            "member": member,
            "other_member": other_member,
            "moderator": f.moderator(),
        },
    )


def _s(anonymous, resident, other_resident, member, other_member, moderator):
    return dict(
        zip(
            ACTORS,
            [anonymous, resident, other_resident, member, other_member, moderator],
            strict=True,
        )
    )


# (method, url name, args from the world, expected status per actor)
MATRIX = [
    ("get", "dashboard", lambda w: [], _s(302, 200, 200, 200, 200, 200)),
    ("get", "edit_profile", lambda w: [], _s(302, 200, 200, 200, 200, 200)),
    ("get", "resident_list", lambda w: [], _s(302, 404, 404, 200, 200, 404)),
    ("get", "resident_detail", lambda w: [w.resident.pk], _s(302, 404, 404, 200, 200, 404)),
    ("get", "organization_register", lambda w: [], _s(302, 200, 200, 200, 200, 200)),
    ("get", "organization_detail", lambda w: [w.org.pk], _s(200, 200, 200, 200, 200, 200)),
    ("get", "organization_detail", lambda w: [w.unverified.pk], _s(404, 404, 404, 404, 404, 200)),
    ("get", "organization_edit", lambda w: [w.org.pk], _s(302, 404, 404, 200, 404, 404)),
    ("get", "task_create", lambda w: [w.org.pk], _s(302, 404, 404, 200, 404, 404)),
    ("get", "task_detail", lambda w: [w.task.pk], _s(200, 200, 200, 200, 200, 200)),
    ("get", "task_detail", lambda w: [w.draft.pk], _s(404, 404, 404, 200, 404, 404)),
    ("get", "task_edit", lambda w: [w.task.pk], _s(302, 404, 404, 200, 404, 404)),
    ("get", "task_apply", lambda w: [w.task.pk], _s(302, 200, 200, 404, 200, 200)),
    ("get", "task_applications", lambda w: [w.task.pk], _s(302, 404, 404, 200, 404, 404)),
    ("post", "task_action", lambda w: [w.draft.pk, "publish"], _s(302, 404, 404, 302, 404, 404)),
    (
        "post",
        "application_action",
        lambda w: [w.application.pk, "accept"],
        _s(302, 404, 404, 302, 404, 404),
    ),
    (
        "post",
        "application_action",
        lambda w: [w.application.pk, "withdraw"],
        _s(302, 302, 404, 404, 404, 404),
    ),
    ("get", "match_detail", lambda w: [w.match.pk], _s(302, 200, 404, 200, 404, 404)),
    ("get", "certificate", lambda w: [w.match.pk], _s(302, 200, 404, 404, 404, 404)),
    ("post", "match_action", lambda w: [w.match.pk, "complete"], _s(302, 302, 404, 302, 404, 404)),
    ("get", "moderation:report", lambda w: ["task", w.task.pk], _s(302, 200, 200, 200, 200, 200)),
    ("get", "moderation:report", lambda w: ["task", w.draft.pk], _s(302, 404, 404, 404, 404, 404)),
    # Residents agreed to be seen by verified organizations only, report form included.
    (
        "get",
        "moderation:report",
        lambda w: ["profile", w.resident.resident_profile.pk],
        _s(302, 404, 404, 200, 200, 404),
    ),
]


@pytest.mark.parametrize(
    ("method", "name", "args", "expected"),
    MATRIX,
    ids=[f"{m}-{n}-{i}" for i, (m, n, _a, _e) in enumerate(MATRIX)],
)
def test_permission_matrix(world, method, name, args, expected, django_capture_on_commit_callbacks):
    url = reverse(name if ":" in name else f"marketplace:{name}", args=args(world))
    answers = {}
    for actor in ACTORS:
        client = Client()
        if world.users[actor] is not None:
            client.force_login(world.users[actor])
        # Each actor acts on a fresh copy of the world's state: roll back between them.
        from django.db import transaction

        with transaction.atomic():
            response = getattr(client, method)(url)
            answers[actor] = response.status_code
            transaction.set_rollback(True)
    if expected["anonymous"] == 302:
        anonymous = Client().get(url) if method == "get" else Client().post(url)
        assert anonymous["Location"].startswith("/accounts/login/")
    assert answers == expected


def test_board_page_and_task_hide_contact_details(client, world):
    html = client.get(reverse("marketplace:task_detail", args=[world.task.pk])).content.decode()
    assert world.org.contact_email not in html
    assert world.org.contact_phone not in html
    html = client.get(
        reverse("marketplace:organization_detail", args=[world.org.pk])
    ).content.decode()
    assert world.org.contact_email not in html


def test_match_page_shows_contact_details_to_both_sides(world):
    for user in (world.resident, world.users["member"]):
        client = Client()
        client.force_login(user)
        html = client.get(
            reverse("marketplace:match_detail", args=[world.match.pk])
        ).content.decode()
        assert world.org.contact_email in html
        assert world.resident.email in html
