import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from accounts import services
from accounts.models import ConsentPurpose, ConsentRecord, Role, User
from core.errors import NotAllowed
from core.models import ActivityLog

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signup_makes_a_resident_who_agreed_to_the_terms_only():
    # given / when
    user = UserFactory()

    # then
    assert user.has_role(Role.RESIDENT)
    assert services.active_consents(user) == {ConsentPurpose.TERMS}


def test_withdrawing_a_consent_takes_effect_at_once_and_keeps_history():
    # given
    user = UserFactory()
    services.grant_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
    assert services.has_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)

    # when
    services.withdraw_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)

    # then
    assert not services.has_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
    record = ConsentRecord.objects.get(user=user, purpose=ConsentPurpose.PROFILE_DISCOVERABLE)
    assert record.withdrawn_at is not None
    assert ActivityLog.objects.filter(action="accounts.consent_withdrawn").count() == 1


def test_granting_again_after_withdrawal_adds_a_new_record():
    user = UserFactory()
    services.grant_consent(user, ConsentPurpose.ANALYTICS)
    services.withdraw_consent(user, ConsentPurpose.ANALYTICS)
    services.grant_consent(user, ConsentPurpose.ANALYTICS)
    services.grant_consent(user, ConsentPurpose.ANALYTICS)  # twice: still one active

    records = ConsentRecord.objects.filter(user=user, purpose=ConsentPurpose.ANALYTICS)
    assert records.count() == 2
    assert records.filter(withdrawn_at__isnull=True).count() == 1


def test_terms_cannot_be_withdrawn_on_their_own():
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.withdraw_consent(user, ConsentPurpose.TERMS)
    assert services.has_consent(user, ConsentPurpose.TERMS)


def test_ward_scoped_role_applies_to_that_ward_only(wards):
    user = UserFactory()
    services.grant_role(user, Role.CONTEST_ORGANIZER, ward=wards["131083"])  # 江東区

    assert user.has_role(Role.CONTEST_ORGANIZER, ward=wards["131083"])
    assert not user.has_role(Role.CONTEST_ORGANIZER, ward=wards["131067"])  # 台東区


def test_platform_wide_role_applies_to_every_ward(wards):
    user = UserFactory()
    services.grant_role(user, Role.MODERATOR)
    assert user.has_role(Role.MODERATOR, ward=wards["131067"])


def test_admin_roles_join_the_wagtail_groups_and_leave_them_on_revoke():
    user = UserFactory()
    services.grant_role(user, Role.EDITOR)
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.has_perm("wagtailadmin.access_admin")

    services.revoke_role(user, Role.EDITOR)
    user = type(user).objects.get(pk=user.pk)  # drop the cached permissions
    assert not user.groups.exists()
    assert not user.has_perm("wagtailadmin.access_admin")


def test_only_moderators_grant_staff_roles():
    resident, other = UserFactory(), UserFactory()
    with pytest.raises(NotAllowed):
        services.grant_role(other, Role.MODERATOR, granted_by=resident)

    moderator = UserFactory()
    services.grant_role(moderator, Role.MODERATOR)
    services.grant_role(other, Role.JUDGE, granted_by=moderator)
    assert other.has_role(Role.JUDGE)


def test_granting_a_role_twice_keeps_one_assignment():
    user = UserFactory()
    services.grant_role(user, Role.JUDGE)
    services.grant_role(user, Role.JUDGE)
    assert user.role_assignments.filter(role=Role.JUDGE).count() == 1


def test_sync_groups_derives_the_groups_from_the_roles_alone():
    # given: groups that drifted from the roles
    user = UserFactory()
    services.grant_role(user, Role.MODERATOR)
    services.grant_role(user, Role.JUDGE)
    user.groups.set([Group.objects.get(name="Editors"), Group.objects.create(name="Hand made")])

    # when
    services.sync_groups(user)

    # then: the moderator's group is back, the others are gone
    assert set(user.groups.values_list("name", flat=True)) == {"Moderators"}


def test_a_ward_role_keeps_its_group_while_another_ward_holds_it(wards):
    # given
    user = UserFactory()
    services.grant_role(user, Role.CONTEST_ORGANIZER, ward=wards["131083"])
    services.grant_role(user, Role.CONTEST_ORGANIZER, ward=wards["131067"])

    # when
    services.revoke_role(user, Role.CONTEST_ORGANIZER, ward=wards["131083"])

    # then
    assert list(user.groups.values_list("name", flat=True)) == ["Contest organizers"]


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root@example.jp", display_name="管理者")


def _sessions_of(user) -> list[Session]:
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]


def test_deactivating_signs_the_user_out_logs_and_tells_the_other_apps(superuser, active_changes):
    # given
    user, bystander = UserFactory(), UserFactory()
    Client().force_login(user)
    Client().force_login(user)
    Client().force_login(bystander)

    # when
    services.set_active(superuser, user, False, reason="spam")

    # then
    user.refresh_from_db()
    assert not user.is_active
    assert _sessions_of(user) == []
    assert len(_sessions_of(bystander)) == 1
    log = ActivityLog.objects.get(action="accounts.deactivated")
    assert (log.actor, log.target_id) == (superuser, str(user.pk))
    assert log.data == {"reason": "spam", "sessions_ended": 2}
    assert active_changes == [(user.pk, False)]
    assert user.has_role(Role.RESIDENT)  # roles stay for a reactivation


def test_reactivating_logs_and_tells_the_other_apps(superuser, active_changes):
    # given
    user = UserFactory()
    services.set_active(superuser, user, False)

    # when
    services.set_active(superuser, user, True)

    # then
    assert User.objects.get(pk=user.pk).is_active
    assert ActivityLog.objects.filter(action="accounts.reactivated").count() == 1
    assert active_changes == [(user.pk, False), (user.pk, True)]


def test_setting_the_state_it_has_changes_nothing(superuser, active_changes):
    user = UserFactory()
    services.set_active(superuser, user, True)
    assert not ActivityLog.objects.filter(action__startswith="accounts.reactivated").exists()
    assert active_changes == []


def test_only_superusers_deactivate_users(active_changes):
    # given: a moderator of every ward is not enough
    moderator, user = UserFactory(), UserFactory()
    services.grant_role(moderator, Role.MODERATOR)

    # when / then
    with pytest.raises(NotAllowed):
        services.set_active(moderator, user, False)
    assert User.objects.get(pk=user.pk).is_active
    assert active_changes == []


def test_nobody_deactivates_themselves(superuser):
    with pytest.raises(ValidationError):
        services.set_active(superuser, superuser, False)
    assert User.objects.get(pk=superuser.pk).is_active


def test_staff_flags_log_what_changed(superuser):
    # given
    user = UserFactory()

    # when
    services.set_staff_flags(superuser, user, is_staff=True, is_superuser=False)

    # then
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (True, False)
    log = ActivityLog.objects.get(action="accounts.staff_flags_changed")
    assert log.data == {"is_staff": True}


def test_a_superuser_keeps_their_own_superuser_status(superuser):
    with pytest.raises(ValidationError):
        services.set_staff_flags(superuser, superuser, is_staff=True, is_superuser=False)
    assert User.objects.get(pk=superuser.pk).is_superuser


def test_only_superusers_set_staff_flags():
    staff, user = UserFactory(), UserFactory()
    with pytest.raises(NotAllowed):
        services.set_staff_flags(staff, user, is_staff=True, is_superuser=True)
    assert not User.objects.get(pk=user.pk).is_superuser
