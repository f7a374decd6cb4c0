"""The 「English」/「日本語」 switch keeps the same page, both ways."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.marketplace import factories as f

pytestmark = pytest.mark.django_db


def switch(client, path):
    """Post the page's own switcher form; where does it lead?"""
    html = client.get(path).content.decode()
    form = re.search(
        r'name="next" value="([^"]*)">\s*<button type="submit" name="language" value="(\w+)"',
        html,
    )
    assert form, f"no language switch on {path}"
    next_url, language = form.groups()
    response = client.post("/i18n/setlang/", {"next": next_url, "language": language})
    return response


@pytest.mark.parametrize(
    ("path", "other"),
    [
        ("/", "/en/"),
        ("/en/", "/"),
        ("/search/?q=%E4%BC%9A%E8%A8%88", "/en/search/?q=%E4%BC%9A%E8%A8%88"),
        ("/en/search/", "/search/"),
        ("/accounts/login/", "/en/accounts/login/"),
        ("/accounts/signup/", "/en/accounts/signup/"),
        ("/en/accounts/password/reset/", "/accounts/password/reset/"),
    ],
)
def test_the_switch_keeps_the_page(path, other):
    response = switch(Client(), path)
    assert response.status_code == 302
    assert response["Location"] == other
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["samesite"] == "Lax"


def test_the_switch_keeps_a_task_page_both_ways():
    task = f.task(f.organization())
    client = Client()
    assert switch(client, f"/tasks/{task.pk}/")["Location"] == f"/en/tasks/{task.pk}/"
    assert switch(client, f"/en/tasks/{task.pk}/")["Location"] == f"/tasks/{task.pk}/"
    assert client.get(f"/en/tasks/{task.pk}/").status_code == 200


def test_the_switch_goes_nowhere_outside_the_site():
    response = Client().post("/i18n/setlang/", {"next": "https://evil.example/", "language": "en"})
    assert response["Location"] == "/"
