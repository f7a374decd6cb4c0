import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.models import ConsentPurpose, ConsentRecord, Role
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
    with pytest.raises(PermissionDenied):
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
