from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import ConsentPurpose, Role
from accounts.services import has_consent
from core.errors import Conflict, NotFound
from core.models import ActivityLog
from marketplace import services
from marketplace.models import (
    ApplicationStatus,
    HoursLog,
    MatchStatus,
    TaskStatus,
    VerificationStatus,
)
from moderation import services as moderation
from tests.accounts.factories import UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(monkeypatch):
    """Send the services' e-mails at once instead of after a commit that never comes here.

    That they wait for the commit is tested in tests/core/test_email.py.
    """
    monkeypatch.setattr("core.email.transaction.on_commit", lambda callback, **kwargs: callback())
    return mail.outbox


def test_unverified_organization_task_waits_then_goes_public_on_verification():
    # given an organization nobody has verified yet
    org = f.organization(verified=False)
    assert org.status == VerificationStatus.PENDING
    assert org.memberships.get().user.has_role(Role.ORGANIZATION_MEMBER)

    # when it publishes a task
    task = f.task(org)

    # then the task waits, and goes on the board once a moderator verifies
    assert task.status == TaskStatus.PENDING_REVIEW
    services.verify_organization(f.moderator(), org)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert task.published_at is not None


def test_refusal_needs_a_reason_the_organization_sees():
    org = f.organization(verified=False)
    moderator = f.moderator()
    with pytest.raises(ValidationError):
        services.refuse_organization(moderator, org, "  ")
    services.refuse_organization(moderator, org, "法人番号が確認できませんでした。")
    org.refresh_from_db()
    assert org.status == VerificationStatus.REFUSED
    assert org.status_reason == "法人番号が確認できませんでした。"


def test_only_moderators_verify(wards):
    org = f.organization(verified=False)
    with pytest.raises(NotFound):  # an object outside one's reach is not there
        services.verify_organization(UserFactory(), org)


def test_corporation_needs_a_valid_corporate_number():
    owner = UserFactory()
    with pytest.raises(ValidationError) as missing:
        f.organization(owner, is_corporation=True, corporate_number="")
    assert "corporate_number" in missing.value.error_dict
    with pytest.raises(ValidationError):
        f.organization(owner, is_corporation=True, corporate_number="8000012050002")
    org = f.organization(owner, is_corporation=True, corporate_number="7000012050002")
    assert org.corporate_number == "7000012050002"


def test_profile_discoverability_is_the_consent():
    user = f.resident(discoverable=True)
    assert has_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
    services.save_resident_profile(
        user,
        skills={f.skill("web"): 2},
        discoverable=False,
        home_ward=f.ward("131121"),
        headline="x",
    )
    assert not has_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
    assert list(user.resident_profile.skills.values_list("code", flat=True)) == ["web"]


def test_flow_apply_accept_match_is_cross_ward(outbox):
    # given the 台東区 商店街's task and a 世田谷区 designer
    org = f.organization()
    task = f.task(org)
    designer = f.resident(ward_code="131121", display_name="山田 彩")
    outbox.clear()

    # when she applies
    application = services.apply_to_task(designer, task, "SNS運用の経験が5年あります。")

    # then the organization's members are told, and have 5 days to answer
    owner = org.memberships.get().user
    assert [m.to for m in outbox] == [[owner.email]]
    assert "応募" in outbox[0].subject
    assert application.respond_by - application.created_at >= timedelta(days=5) - timedelta(
        seconds=1
    )
    task.refresh_from_db()
    assert task.application_count == 1

    # when the organization accepts
    match = services.accept_application(owner, application)

    # then the match records both wards and that it crossed a border
    assert match.resident_ward.code == "131121" and match.task_ward.code == "131067"
    assert match.cross_ward is True
    task.refresh_from_db()
    assert task.status == TaskStatus.MATCHED  # one person wanted, one found
    assert ActivityLog.objects.filter(action="marketplace.matched").exists()
    assert any(designer.email in m.to for m in outbox)


def test_same_ward_match_is_not_cross_ward():
    org = f.organization(ward_code="131121")
    task = f.task(org)
    neighbour = f.resident(ward_code="131121")
    match = services.accept_application(
        org.memberships.get().user, services.apply_to_task(neighbour, task, "近所です")
    )
    assert match.cross_ward is False


def test_application_needs_a_profile_an_open_task_and_a_message():
    task = f.task(f.organization())
    with pytest.raises(ValidationError, match="スキルプロフィール"):
        services.apply_to_task(UserFactory(), task, "hello")
    resident = f.resident()
    with pytest.raises(ValidationError):
        services.apply_to_task(resident, task, "   ")
    draft = f.task(task.organization, publish=False)
    with pytest.raises(ValidationError):
        services.apply_to_task(resident, draft, "hello")


def test_members_cannot_apply_to_their_own_task():
    org = f.organization()
    owner = org.memberships.get().user
    services.save_resident_profile(
        owner,
        skills={f.skill("web"): 2},
        discoverable=False,
        home_ward=f.ward("131067"),
        headline="x",
    )
    with pytest.raises(ValidationError):
        services.apply_to_task(owner, f.task(org), "hello")


def test_pending_applications_are_capped_per_resident():
    resident = f.resident()
    org = f.organization()
    for n in range(services.MAX_PENDING_PER_RESIDENT):
        services.apply_to_task(resident, f.task(org, title=f"募集 {n}"), "応募します")
    with pytest.raises(ValidationError, match="5"):
        services.apply_to_task(resident, f.task(org, title="もう一つ"), "応募します")


def test_pending_applications_are_capped_per_task(monkeypatch):
    from marketplace.services import applications

    monkeypatch.setattr(applications, "MAX_PENDING_PER_TASK", 2)
    task = f.task(f.organization())
    services.apply_to_task(f.resident(), task, "a")
    services.apply_to_task(f.resident(), task, "b")
    with pytest.raises(ValidationError):
        services.apply_to_task(f.resident(), task, "c")


def test_applying_twice_to_the_same_task_is_refused():
    task, resident = f.task(f.organization()), f.resident()
    services.apply_to_task(resident, task, "a")
    with pytest.raises(ValidationError):
        services.apply_to_task(resident, task, "b")


def test_invitation_only_to_discoverable_residents_and_resident_answers():
    org = f.organization()
    task = f.task(org)
    owner = org.memberships.get().user
    private = f.resident(discoverable=False)
    with pytest.raises(NotFound):
        services.invite_resident(owner, task, private, "ぜひ")

    public = f.resident()
    invitation = services.invite_resident(owner, task, public, "ぜひお願いします")
    # the organization cannot accept its own invitation; the resident does
    with pytest.raises(NotFound):
        services.accept_application(owner, invitation)
    match = services.accept_application(public, invitation)
    assert match.resident == public


def test_blocked_resident_cannot_apply_and_cannot_be_invited():
    org = f.organization()
    owner = org.memberships.get().user
    task = f.task(org)
    resident = f.resident()
    moderation.block_user(owner, resident)
    with pytest.raises(ValidationError):
        services.apply_to_task(resident, task, "hello")
    with pytest.raises(ValidationError):
        services.invite_resident(owner, task, resident, "hello")


def test_only_the_organization_answers_applications():
    task = f.task(f.organization())
    application = services.apply_to_task(f.resident(), task, "hello")
    other_org_owner = f.organization(name="別の団体").memberships.get().user
    with pytest.raises(NotFound):
        services.accept_application(other_org_owner, application)
    with pytest.raises(NotFound):
        services.accept_application(application.resident, application)


def test_decline_tells_the_resident(outbox):
    task = f.task(f.organization())
    application = services.apply_to_task(f.resident(), task, "hello")
    outbox.clear()
    services.decline_application(
        task.organization.memberships.get().user, application, "今回は見送ります"
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert [m.to for m in outbox] == [[application.resident.email]]
    assert "今回は見送ります" in outbox[0].body


def test_unanswered_applications_get_a_reminder_then_expire(outbox):
    task = f.task(f.organization())
    application = services.apply_to_task(f.resident(), task, "hello")
    outbox.clear()

    # 3.5 days later: one reminder to the organization, never two
    later = timezone.now() + timedelta(days=3, hours=12)
    assert services.send_response_reminders(now=later) == 1
    assert services.send_response_reminders(now=later) == 0
    assert [m.to for m in outbox] == [[task.organization.memberships.get().user.email]]

    # 6 days later: expired, and both sides are told
    outbox.clear()
    assert services.expire_applications(now=timezone.now() + timedelta(days=6)) == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.EXPIRED
    assert {m.to[0] for m in outbox} == {
        application.resident.email,
        task.organization.memberships.get().user.email,
    }


def test_tasks_past_their_deadline_expire():
    task = f.task(f.organization())
    assert services.expire_tasks(today=task.apply_deadline + timedelta(days=1)) == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.EXPIRED


def test_illegal_transitions_are_refused():
    task = f.task(f.organization())
    owner = task.organization.memberships.get().user
    services.cancel_task(owner, task)
    with pytest.raises(Conflict) as refused:
        services.publish_task(owner, task)
    assert refused.value.details["old"] == TaskStatus.CANCELLED
    assert refused.value.message  # says which states, in the person's language


def _matched():
    org = f.organization()
    task = f.task(org)
    resident = f.resident()
    owner = org.memberships.get().user
    match = services.accept_application(owner, services.apply_to_task(resident, task, "hi"))
    return match, owner, resident


def test_completion_hours_and_reviews(outbox):
    match, owner, resident = _matched()
    services.start_task(owner, match.task)

    # hours: logged by the resident, confirmed by the organization
    entry = services.log_hours(resident, match, date=timezone.localdate(), hours=3, note="投稿")
    with pytest.raises(NotFound):
        services.decide_hours(resident, entry, confirm=True)
    services.decide_hours(owner, entry, confirm=True)
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.CONFIRMED

    # reviews only after both confirm completion
    with pytest.raises(ValidationError):
        services.leave_review(resident, match, rating=5, comment="good")
    outbox.clear()
    match = services.confirm_completion(resident, match)
    assert match.status == MatchStatus.COMPLETION_REQUESTED
    assert [m.to for m in outbox] == [[owner.email]]  # completion requested
    match = services.confirm_completion(owner, match)
    assert match.status == MatchStatus.COMPLETED
    match.task.refresh_from_db()
    assert match.task.status == TaskStatus.COMPLETED

    services.leave_review(resident, match, rating=5, comment="ありがとうございました")
    services.leave_review(owner, match, rating=5, comment="助かりました")
    with pytest.raises(ValidationError):
        services.leave_review(owner, match, rating=4, comment="again")


def test_hours_cannot_be_in_the_future_or_by_someone_else():
    match, owner, resident = _matched()
    with pytest.raises(ValidationError):
        services.log_hours(
            resident, match, date=timezone.localdate() + timedelta(days=1), hours=1, note="x"
        )
    with pytest.raises(NotFound):
        services.log_hours(owner, match, date=timezone.localdate(), hours=1, note="x")


def test_report_is_stored_for_moderators():
    task = f.task(f.organization())
    reporter = UserFactory()
    entry = moderation.report(reporter, task, reason="spam", details="宣伝です")
    assert entry.target == task
    moderation.handle_report(f.moderator(), entry, status="resolved", resolution="非公開にしました")
    entry.refresh_from_db()
    assert entry.status == "resolved"


def test_invalid_hours_come_back_in_the_form_with_nothing_lost(client):
    match, _owner, resident = _matched()
    client.force_login(resident)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()

    response = client.post(
        f"/matches/{match.pk}/hours/",
        {"date": future, "hours": "2", "note": "投稿カレンダーの作成"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "未来の日付は指定できません。" in html
    assert 'value="投稿カレンダーの作成"' in html
    assert not match.hours.exists()


def test_task_tags_are_saved_from_the_form(client):
    org = f.organization()
    owner = org.memberships.get().user
    client.force_login(owner)
    response = client.post(
        f"/organizations/{org.pk}/tasks/new/",
        f.task_form_data(org, tags="Canva、イラスト", publish="1"),
    )
    assert response.status_code == 302
    from marketplace.models import Task

    task = Task.objects.get(title="チラシを作りたい")
    assert sorted(t.name for t in task.tags.all()) == ["Canva", "イラスト"]
    assert task.status == TaskStatus.OPEN


def test_blocking_from_the_applications_page_stops_new_applications(client):
    task = f.task(f.organization())
    owner = task.organization.memberships.get().user
    resident = f.resident()
    services.apply_to_task(resident, task, "hi")
    client.force_login(owner)
    client.post(f"/block/{resident.pk}/")
    other_task = f.task(task.organization, title="別の募集")
    with pytest.raises(ValidationError):
        services.apply_to_task(resident, other_task, "again")
