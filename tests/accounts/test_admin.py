"""The Django admin's user pages: roles, groups and the activation and staff flags change
through accounts.services only (issue #16)."""

import pytest
from django import forms
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import ERROR
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from accounts import services
from accounts.models import Role, RoleAssignment, User
from core.models import ActivityLog

from .factories import UserFactory, with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    user = UserFactory()
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return with_second_factor(user)


@pytest.fixture
def admin_client(client, superuser):
    # The admin's login page goes through allauth (and its MFA step); force_login stands
    # for a completed log-in, as in tests/core/test_admin_login.py.
    client.force_login(superuser)
    return client


def change_url(user) -> str:
    return f"/django-admin/accounts/user/{user.pk}/change/"


def _post_value(bound) -> dict:
    """The POST data of one bound field as its widget would send its current value."""
    widget, value = bound.field.widget, bound.value()
    if isinstance(widget, forms.MultiWidget):  # the split date and time of a datetime
        values = value if isinstance(value, list) else widget.decompress(value)
        return {
            f"{bound.html_name}_{i}": sub.format_value(v) or ""
            for i, (sub, v) in enumerate(zip(widget.widgets, values, strict=True))
        }
    if isinstance(widget, forms.CheckboxInput):
        return {bound.html_name: "on"} if value else {}
    if value is None:
        return {bound.html_name: ""}
    if isinstance(value, list | tuple):
        return {bound.html_name: [str(v) for v in value]}
    return {bound.html_name: str(value)}


def change_form_data(client, user) -> dict:
    """What the change page would send back untouched: the form and every inline."""
    response = client.get(change_url(user))
    assert response.status_code == 200
    all_forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        all_forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in all_forms:
        for bound in form:
            data.update(_post_value(bound))
    return data


def add_role_row(data: dict, user, role: Role, ward=None) -> None:
    n = int(data["role_assignments-TOTAL_FORMS"])
    data["role_assignments-TOTAL_FORMS"] = str(n + 1)
    data[f"role_assignments-{n}-user"] = str(user.pk)
    data[f"role_assignments-{n}-role"] = role
    data[f"role_assignments-{n}-ward"] = str(ward.pk) if ward else ""


def delete_role_row(data: dict, assignment: RoleAssignment) -> None:
    for key, value in list(data.items()):
        if key.startswith("role_assignments-") and key.endswith("-id"):
            if value == str(assignment.pk):
                data[key.removesuffix("-id") + "-DELETE"] = "on"
                return
    raise AssertionError(f"no row for {assignment}")


def error_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level == ERROR]


def group_names(user) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def sessions_of(user) -> list[Session]:
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]


def test_the_change_page_shows_the_groups_read_only(admin_client):
    # given
    user = UserFactory()
    services.grant_role(user, Role.EDITOR)

    # when
    response = admin_client.get(change_url(user))

    # then
    assert "groups" not in response.context["adminform"].form.fields
    content = response.content.decode()
    assert "Editors" in content
    assert (
        gettext("Groups follow the roles: add or delete a role assignment below to change them.")
        in content
    )


def test_groups_in_the_post_change_nothing(admin_client):
    # given
    user = UserFactory()
    moderators = Group.objects.get(name="Moderators")
    data = change_form_data(admin_client, user)
    data["groups"] = [str(moderators.pk)]
    data["display_name"] = "新しい名前"

    # when
    response = admin_client.post(change_url(user), data)

    # then
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "新しい名前"  # the rest of the form is saved
    assert group_names(user) == set()


def test_adding_a_role_row_grants_the_role_and_its_group(admin_client, superuser, wards):
    # given
    user = UserFactory()
    data = change_form_data(admin_client, user)
    add_role_row(data, user, Role.CONTEST_ORGANIZER, ward=wards["131083"])  # 江東区

    # when
    response = admin_client.post(change_url(user), data)

    # then
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=user, role=Role.CONTEST_ORGANIZER)
    assert assignment.ward == wards["131083"]
    assert assignment.granted_by == superuser
    assert group_names(user) == {"Contest organizers"}
    log = ActivityLog.objects.get(action="accounts.role_granted", data__role="contest_organizer")
    assert log.actor == superuser


def test_deleting_a_role_row_revokes_the_role_and_its_group(admin_client, superuser):
    # given
    user = UserFactory()
    assignment = services.grant_role(user, Role.MODERATOR)
    assert group_names(user) == {"Moderators"}
    data = change_form_data(admin_client, user)
    delete_role_row(data, assignment)

    # when
    response = admin_client.post(change_url(user), data)

    # then
    assert response.status_code == 302
    assert not user.role_assignments.filter(role=Role.MODERATOR).exists()
    assert user.role_assignments.filter(role=Role.RESIDENT).exists()  # the other row stays
    assert group_names(user) == set()
    assert ActivityLog.objects.get(action="accounts.role_revoked").actor == superuser


def test_an_existing_role_row_cannot_be_edited(admin_client):
    # given
    user = UserFactory()
    services.grant_role(user, Role.JUDGE)
    data = change_form_data(admin_client, user)
    row = next(
        key.removesuffix("-role")
        for key, value in data.items()
        if key.startswith("role_assignments-") and value == Role.JUDGE
    )
    data[f"{row}-role"] = Role.EDITOR

    # when
    admin_client.post(change_url(user), data)

    # then
    assert set(user.role_assignments.values_list("role", flat=True)) == {
        Role.RESIDENT,
        Role.JUDGE,
    }
    assert group_names(user) == set()


def test_unticking_active_deactivates_through_the_service(admin_client, superuser, active_changes):
    # given
    user = UserFactory()
    Client().force_login(user)  # signed in somewhere else
    assert sessions_of(user)
    data = change_form_data(admin_client, user)
    del data["is_active"]

    # when
    response = admin_client.post(change_url(user), data)

    # then
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    log = ActivityLog.objects.get(action="accounts.deactivated")
    assert log.actor == superuser
    assert log.target_id == str(user.pk)
    assert sessions_of(user) == []
    assert sessions_of(superuser)  # the admin stays signed in
    assert active_changes == [(user.pk, False)]


def test_ticking_staff_goes_through_the_service(admin_client, superuser):
    # given
    user = UserFactory()
    data = change_form_data(admin_client, user)
    data["is_staff"] = "on"

    # when
    admin_client.post(change_url(user), data)

    # then
    user.refresh_from_db()
    assert user.is_staff
    assert not user.is_superuser
    log = ActivityLog.objects.get(action="accounts.staff_flags_changed")
    assert log.actor == superuser
    assert log.data == {"is_staff": True}


def test_a_superuser_cannot_deactivate_themselves(admin_client, superuser, active_changes):
    # given
    data = change_form_data(admin_client, superuser)
    del data["is_active"]
    data["display_name"] = "変えたい名前"

    # when
    response = admin_client.post(change_url(superuser), data, follow=True)

    # then: the message is shown and nothing of the save is kept
    assert response.status_code == 200
    assert error_messages(response) == [gettext("You cannot deactivate your own account.")]
    superuser.refresh_from_db()
    assert superuser.is_active
    assert superuser.display_name != "変えたい名前"
    assert not ActivityLog.objects.filter(action="accounts.deactivated").exists()
    assert active_changes == []


def test_a_superuser_cannot_remove_their_own_superuser_status(admin_client, superuser):
    # given
    data = change_form_data(admin_client, superuser)
    del data["is_superuser"]

    # when
    response = admin_client.post(change_url(superuser), data, follow=True)

    # then
    assert error_messages(response) == [gettext("You cannot remove your own superuser status.")]
    superuser.refresh_from_db()
    assert superuser.is_superuser


@pytest.fixture
def staff_client(client):
    """A staff user who may change users and role rows in the Django admin, and is no
    superuser (nor moderator)."""
    staff = UserFactory()
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    with_second_factor(staff)
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=[
                "view_user",
                "change_user",
                "add_roleassignment",
                "change_roleassignment",
                "delete_roleassignment",
            ],
        )
    )
    client.force_login(staff)
    return client


def test_a_staff_user_sees_the_flags_read_only_and_cannot_change_them(staff_client):
    # given
    user = UserFactory()
    data = change_form_data(staff_client, user)
    assert not {"is_active", "is_staff", "is_superuser"} & set(data)

    # when: the flags are sent anyway
    data.update(is_active="", is_staff="on", is_superuser="on")
    staff_client.post(change_url(user), data)

    # then
    user.refresh_from_db()
    assert (user.is_active, user.is_staff, user.is_superuser) == (True, False, False)


def test_a_staff_user_cannot_grant_or_revoke_roles(staff_client):
    # given
    user = UserFactory()
    judge = services.grant_role(user, Role.JUDGE)
    data = change_form_data(staff_client, user)
    add_role_row(data, user, Role.EDITOR)

    # when
    response = staff_client.post(change_url(user), data, follow=True)

    # then
    assert len(error_messages(response)) == 1
    assert not user.role_assignments.filter(role=Role.EDITOR).exists()
    assert group_names(user) == set()

    # when: revoking instead
    data = change_form_data(staff_client, user)
    delete_role_row(data, judge)
    response = staff_client.post(change_url(user), data, follow=True)

    # then
    assert len(error_messages(response)) == 1
    assert user.role_assignments.filter(role=Role.JUDGE).exists()


def test_a_staff_user_cannot_use_the_deactivate_action(staff_client):
    # given
    user = UserFactory()

    # when
    listing = staff_client.get("/django-admin/accounts/user/")
    staff_client.post(
        "/django-admin/accounts/user/",
        {"action": "deactivate_users", "_selected_action": [user.pk]},
    )

    # then: not offered, and not run when sent anyway
    action_form = listing.context["action_form"]
    offered = dict(action_form.fields["action"].choices) if action_form else {}
    assert "deactivate_users" not in offered
    assert User.objects.get(pk=user.pk).is_active
    assert not ActivityLog.objects.filter(action="accounts.deactivated").exists()


def test_the_deactivate_action_goes_through_the_service(admin_client, superuser, active_changes):
    # given
    first, second = UserFactory(), UserFactory()
    Client().force_login(first)

    # when: the superuser selected themselves too
    response = admin_client.post(
        "/django-admin/accounts/user/",
        {
            "action": "deactivate_users",
            "_selected_action": [first.pk, second.pk, superuser.pk],
        },
        follow=True,
    )

    # then
    assert [User.objects.get(pk=u.pk).is_active for u in (first, second, superuser)] == [
        False,
        False,
        True,
    ]
    assert ActivityLog.objects.filter(action="accounts.deactivated").count() == 2
    assert sessions_of(first) == []
    assert sorted(active_changes) == sorted([(first.pk, False), (second.pk, False)])
    [refusal] = error_messages(response)
    assert refusal.startswith(gettext("You cannot deactivate your own account."))


def test_wagtail_user_screens_leave_roles_groups_and_activation_to_the_services(client):
    # given a superuser in the Wagtail admin and an ordinary user
    from django.contrib.auth.models import Group

    admin_user = with_second_factor(UserFactory(is_staff=True, is_superuser=True))
    person = UserFactory(display_name="山田")
    editors, _created = Group.objects.get_or_create(name="Editors")
    client.force_login(admin_user)
    url = reverse("wagtailusers_users:edit", args=[person.pk])
    form = client.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="is_active"' not in html and 'name="groups"' not in html

    # when the form is posted with those switches anyway
    client.post(
        url,
        {
            "email": person.email,
            "display_name": "山田 花子",
            "is_active": "",
            "is_superuser": "on",
            "groups": [editors.pk],
        },
    )

    # then the name changed and nothing else did
    person.refresh_from_db()
    assert person.display_name == "山田 花子"
    assert person.is_active and not person.is_superuser
    assert not person.groups.exists()
