"""Staff accounts work only with a second factor: the admin and the moderation queues
send a staff member without one to the enrolment guide, and they cannot drop their last."""

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts import policy, services
from accounts.models import Role

from .factories import UserFactory, with_second_factor

pytestmark = pytest.mark.django_db

PROTECTED = ["/admin/", "/admin/moderation/reports/", "/django-admin/"]


def staff(kind: str):
    user = UserFactory()
    if kind in ("superuser", "staff flag"):
        user.is_staff = True
        user.is_superuser = kind == "superuser"
        user.save(update_fields=["is_staff", "is_superuser"])
    else:
        services.grant_role(user, Role(kind))
    return user


STAFF_KINDS = ["superuser", "staff flag", "moderator", "editor", "contest_organizer", "judge"]


@pytest.mark.parametrize("kind", STAFF_KINDS)
@pytest.mark.parametrize("path", PROTECTED)
def test_staff_without_a_second_factor_are_sent_to_enrol(client, kind, path):
    client.force_login(staff(kind))

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/required/?" + (
        "next=" + path.replace("/", "%2F")
    )


@pytest.mark.parametrize("kind", ["superuser", "moderator"])
def test_staff_with_an_authenticator_app_reach_the_admin(client, kind):
    client.force_login(with_second_factor(staff(kind)))

    assert client.get("/admin/").status_code == 200


def test_a_security_key_counts_as_a_second_factor_and_recovery_codes_alone_do_not(client):
    moderator = staff("moderator")
    Authenticator.objects.create(
        user=moderator, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
    )
    client.force_login(moderator)
    assert client.get("/admin/").status_code == 302

    Authenticator.objects.create(user=moderator, type=Authenticator.Type.WEBAUTHN, data={})
    assert client.get("/admin/").status_code == 200


def test_residents_are_not_asked_to_enrol(client):
    resident = UserFactory()
    client.force_login(resident)

    assert client.get(reverse("marketplace:dashboard")).status_code == 200
    # and the admin stays closed to them the usual way, not through the guide
    response = client.get("/admin/")
    assert "two-factor" not in response.get("Location", "")


def test_the_guide_explains_and_offers_both_kinds_in_japanese(client):
    client.force_login(staff("moderator"))

    response = client.get("/accounts/two-factor/required/?next=/admin/moderation/reports/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "2段階認証" in page
    assert reverse("mfa_activate_totp") in page
    assert reverse("mfa_add_webauthn") in page
    assert "リカバリーコード" in page


def test_once_enrolled_the_account_pages_lead_back_to_where_they_were_going(client):
    moderator = staff("moderator")
    client.force_login(moderator)
    client.get("/admin/moderation/reports/", follow=True)
    with_second_factor(moderator)

    codes_page = client.get(reverse("mfa_index")).content.decode()

    assert 'href="/admin/moderation/reports/"' in codes_page
    # and once there, the way back is no longer offered
    assert client.get("/admin/moderation/reports/").status_code == 200
    assert (
        'href="/admin/moderation/reports/"' not in client.get(reverse("mfa_index")).content.decode()
    )


def test_the_guide_never_sends_anyone_to_another_site(client):
    moderator = with_second_factor(staff("moderator"))
    client.force_login(moderator)

    page = client.get("/accounts/two-factor/required/?next=https://evil.example/").content.decode()

    assert 'href="https://evil.example' not in page
    assert 'href="/admin/"' in page  # the default way on


def test_staff_cannot_remove_their_last_second_factor_and_residents_can():
    moderator = with_second_factor(staff("moderator"))
    resident = with_second_factor(UserFactory())
    adapter = get_adapter()

    assert not adapter.can_delete_authenticator(moderator.authenticator_set.get(type="totp"))
    assert adapter.can_delete_authenticator(resident.authenticator_set.get(type="totp"))

    Authenticator.objects.create(user=moderator, type=Authenticator.Type.WEBAUTHN, data={})
    assert adapter.can_delete_authenticator(moderator.authenticator_set.get(type="totp"))


def test_the_policy_table_says_who_needs_a_second_factor():
    rows = dict(policy.table())

    assert "moderator" in rows["accounts.needs_two_factor"]
    assert "judge" in rows["accounts.needs_two_factor"]
