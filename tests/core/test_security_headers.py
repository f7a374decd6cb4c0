"""Every answer limits what a page may do: sockets to this site only, no browser
features the site does not use."""

import json

import pytest

from .test_settings import PRODUCTION_ENV, _run

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_sockets_may_connect_only_to_this_site(client):
    connect = directives(client.get("/healthz"))["connect-src"]

    assert "ws:" not in connect and "wss:" not in connect
    assert connect == ["'self'", "ws://127.0.0.1:8000"]


def test_production_sockets_need_tls_to_this_site():
    code = (
        "import django, json; django.setup(); from django.conf import settings;"
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['connect-src']))"
    )
    result = _run(["-c", code], {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "'self'",
        "wss://kankei.example.jp",
    ]


def test_unused_browser_features_are_switched_off_and_security_keys_stay_on(client):
    header = client.get("/").headers["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in header.split(","))

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert features["publickey-credentials-get"] == "(self)"
    assert features["publickey-credentials-create"] == "(self)"


def test_the_admin_has_the_same_permissions_policy(client):
    assert "camera=()" in client.get("/admin/login/").headers["Permissions-Policy"]
