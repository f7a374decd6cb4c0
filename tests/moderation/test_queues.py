import pytest
from django.urls import reverse

from marketplace import services
from marketplace.models import TaskStatus, VerificationStatus
from moderation import services as moderation
from moderation.models import ReportStatus
from tests.accounts.factories import UserFactory, with_second_factor
from tests.marketplace import factories as f

pytestmark = pytest.mark.django_db


def test_moderator_verifies_a_pending_organization_in_the_admin(client):
    # given an organization waiting, with a task waiting for it
    org = f.organization(verified=False)
    task = f.task(org)
    moderator = f.moderator()
    client.force_login(moderator)

    # when the moderator opens the queue and verifies it
    queue = client.get(reverse("moderation_organizations:index"))
    assert org.name in queue.content.decode()
    client.post(reverse("moderation_organizations:decide", args=[org.pk]), {"decision": "verify"})

    # then the organization is verified and its task is on the board
    org.refresh_from_db()
    task.refresh_from_db()
    assert org.status == VerificationStatus.VERIFIED
    assert task.status == TaskStatus.OPEN


def test_refusing_without_a_reason_is_refused(client):
    org = f.organization(verified=False)
    client.force_login(f.moderator())
    client.post(
        reverse("moderation_organizations:decide", args=[org.pk]),
        {"decision": "refuse", "reason": ""},
    )
    org.refresh_from_db()
    assert org.status == VerificationStatus.PENDING


def test_organization_sees_why_it_was_refused(client):
    org = f.organization(verified=False)
    services.refuse_organization(f.moderator(), org, "所在地が確認できませんでした。")
    client.force_login(org.memberships.get().user)
    html = client.get(reverse("marketplace:organization_detail", args=[org.pk])).content.decode()
    assert "所在地が確認できませんでした。" in html


def test_moderator_handles_a_report(client):
    task = f.task(f.organization())
    report = moderation.report(UserFactory(), task, reason="spam", details="宣伝です")
    client.force_login(f.moderator())
    assert "宣伝です" in client.get(reverse("moderation_reports:index")).content.decode()
    client.post(
        reverse("moderation_reports:decide", args=[report.pk]),
        {"decision": "resolved", "resolution": "募集を非公開にしました"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED


@pytest.mark.parametrize("name", ["moderation_organizations:index", "moderation_reports:index"])
def test_only_moderators_see_the_queues(client, name):
    editor = UserFactory()
    from accounts.models import Role
    from accounts.services import grant_role

    grant_role(editor, Role.EDITOR)  # has admin access, but is not a moderator
    with_second_factor(editor)
    client.force_login(editor)
    assert client.get(reverse(name)).status_code in (302, 403)
