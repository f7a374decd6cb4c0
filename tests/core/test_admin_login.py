import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Role
from tests.accounts.factories import UserFactory, with_second_factor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/?next=/admin/pages/"])
def test_cms_admin_login_goes_through_the_site_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


def test_admin_login_redirect_refuses_other_hosts(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_django_admin_login_goes_through_the_site_login(client):
    response = client.get("/django-admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_editor_reaches_the_cms_admin_and_a_resident_does_not(client):
    editor, resident = UserFactory(), UserFactory()
    services.grant_role(editor, Role.EDITOR)
    with_second_factor(editor)

    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    client.force_login(resident)
    assert client.get("/admin/").status_code == 302


def test_there_is_one_password_reset_path_for_everyone(client, mailoutbox):
    # Wagtail's own reset form (outside allauth's rate limits) is not there ...
    response = client.post("/admin/password_reset/", {"email": "admin@example.jp"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password")
    assert client.get("/admin/password_reset/done/").status_code == 404
    assert mailoutbox == []
