"""The settings module's promises, checked in fresh processes with their own environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-for-tests-only-" + "z" * 20,
    "DJANGO_ALLOWED_HOSTS": "kankei.example.jp",
    "SITE_URL": "https://kankei.example.jp",
    "PAYOUT_ENCRYPTION_KEYS": "u0f8mJ0dQ2gQ0l0nXr3qgYQ9n9b0vWcW6m8o2i4dK1E=",
}


def _run(
    args,
    env_overrides,
    remove=("DATABASE_URL", "REDIS_URL", "DJANGO_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"),
):
    env = {k: v for k, v in os.environ.items() if k not in remove}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_embedded_default_is_japanese_in_tokyo_time():
    assert settings.LANGUAGE_CODE == "ja"
    assert [code for code, _name in settings.LANGUAGES] == ["ja", "en"]
    assert settings.TIME_ZONE == "Asia/Tokyo"
    assert settings.USE_TZ


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {**PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": ""}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_a_key_for_bank_details():
    env = {**PRODUCTION_ENV, "PAYOUT_ENCRYPTION_KEYS": ""}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "PAYOUT_ENCRYPTION_KEYS" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout


def test_embedded_default_runs_sqlite_in_wal_mode(tmp_path):
    database = tmp_path / "wal.sqlite3"
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = _run(
        ["-c", code],
        {"DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": f"sqlite:///{database}"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal"


@pytest.mark.parametrize(
    ("variable", "value", "setting", "expected"),
    [
        ("REDIS_URL", "redis://127.0.0.1:6379/3", "CHANNEL_LAYERS", "RedisPubSubChannelLayer"),
        ("REDIS_URL", "redis://127.0.0.1:6379/3", "CACHES", "RedisCache"),
        ("CELERY_BROKER_URL", "redis://127.0.0.1:6379/4", "CELERY_TASK_ALWAYS_EAGER", "False"),
        ("DATABASE_URL", "postgres://u@db.example/kj", "DATABASES", "postgresql"),
        ("EMAIL_URL", "smtp://mail.example:587", "EMAIL_BACKEND", "smtp"),
    ],
)
def test_each_service_switches_on_with_its_variable(variable, value, setting, expected):
    code = f"from django.conf import settings; print(settings.{setting})"
    result = _run(
        ["-c", "import django; django.setup();" + code],
        {"DJANGO_SETTINGS_MODULE": "config.settings", variable: value},
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY}, "public development key"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
        ({"SITE_URL": ""}, "SITE_URL"),
        ({"SITE_URL": "http://kankei.example.jp"}, "https://"),
    ],
)
def test_production_refuses_to_start_in_one_line(overrides, reason):
    result = _run(["manage.py", "check"], {**PRODUCTION_ENV, **overrides})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0], result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi"])
def test_a_production_server_refuses_to_start_without_collected_static_files(tmp_path, entry_point):
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path)}
    missing = _run(["-c", f"import {entry_point}"], env)
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0 and "collectstatic" in missing.stderr

    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    present = _run(["-c", f"import {entry_point}"], env)
    assert present.returncode == 0, present.stderr
