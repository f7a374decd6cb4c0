import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from core import presence
from marketplace import services as board
from messaging import services, tasks
from tests.servers import database_url_of_tests

from .factories import application_thread

pytestmark = pytest.mark.django_db

DELAY = timedelta(seconds=settings.MESSAGING_EMAIL_DELAY)
INTERVAL = timedelta(seconds=settings.MESSAGING_EMAIL_INTERVAL)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """send_message_emails at `now`, with its e-mails delivered (they wait for the commit)."""

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_message_emails(now=now)

    return run


def later(extra=timedelta(seconds=1)):
    return timezone.now() + DELAY + extra


def test_an_offline_recipient_gets_one_email_once_the_message_has_waited(run):
    thread = application_thread(language="en")
    services.send_message(thread.member, thread.conversation.pk, body="Could we meet on Friday?")

    assert run(timezone.now()) == 0  # too early: they may still read it on the site
    assert mail.outbox == []

    assert run(later()) == 1
    (email,) = mail.outbox
    assert email.to == [thread.resident.email]
    assert "Could we meet on Friday?" in email.body
    assert thread.member.display_name in email.body
    assert thread.member.email not in email.body + email.subject

    assert run(later(timedelta(seconds=30))) == 0  # nothing new: no second e-mail
    assert len(mail.outbox) == 1


def test_the_email_is_in_the_recipients_language_and_links_to_the_conversation(run):
    thread = application_thread(language="en")
    services.send_message(thread.member, thread.conversation.pk, body="はじめまして")
    services.send_message(thread.member, thread.conversation.pk, body="ご都合はいかがですか")

    run(later())

    (email,) = mail.outbox
    assert email.subject.endswith(f"2 new messages about “{thread.task.title}”")
    assert "You have 2 new messages" in email.body
    link = f"{settings.SITE_URL}/en/messages/{thread.conversation.pk}/"
    assert link in email.body


def test_a_japanese_reader_gets_it_in_japanese_with_a_link_without_prefix(run):
    thread = application_thread()
    services.send_message(thread.member, thread.conversation.pk, body="はじめまして")
    run(later())
    (email,) = mail.outbox
    assert email.subject.endswith(f"「{thread.task.title}」について新しいメッセージが1件あります")
    assert f"{settings.SITE_URL}/messages/{thread.conversation.pk}/" in email.body
    assert "/en/" not in email.body


def test_no_email_once_the_recipient_has_read_it(run):
    thread = application_thread()
    services.send_message(thread.member, thread.conversation.pk, body="ご確認ください")
    services.mark_read(thread.resident, thread.conversation, 2)

    assert run(later()) == 0
    assert mail.outbox == []


def test_no_email_while_the_recipient_is_on_the_site(run):
    thread = application_thread()
    services.send_message(thread.member, thread.conversation.pk, body="ご確認ください")
    presence.touch(thread.resident.pk)

    assert run(later()) == 0
    assert mail.outbox == []


def test_no_email_for_people_who_turned_them_off(run):
    thread = application_thread(message_emails="never")
    services.send_message(thread.member, thread.conversation.pk, body="ご確認ください")

    assert run(later()) == 0
    assert mail.outbox == []


def test_at_most_one_email_per_conversation_per_interval(run):
    thread = application_thread()
    services.send_message(thread.member, thread.conversation.pk, body="一通目")
    first = later()
    assert run(first) == 1

    services.send_message(thread.member, thread.conversation.pk, body="二通目")
    assert run(first + timedelta(minutes=2)) == 0
    assert run(first + INTERVAL - timedelta(seconds=1)) == 0
    assert len(mail.outbox) == 1

    assert run(first + INTERVAL + timedelta(seconds=1)) == 1
    assert len(mail.outbox) == 2
    assert "二通目" in mail.outbox[1].body and "一通目" not in mail.outbox[1].body


def test_the_opening_message_of_an_application_sends_no_message_email(run):
    application_thread()
    assert run(later(timedelta(hours=1))) == 0
    assert mail.outbox == []


def test_platform_events_alone_send_no_message_email(run):
    thread = application_thread()
    board.withdraw_application(thread.resident, thread.application)
    assert run(later()) == 0
    assert mail.outbox == []


def test_the_sender_is_not_emailed_about_their_own_message(run):
    thread = application_thread()
    services.mark_read(thread.member, thread.conversation, 1)
    services.send_message(thread.member, thread.conversation.pk, body="お返事お待ちしています")
    run(later())
    assert [email.to for email in mail.outbox] == [[thread.resident.email]]


def test_the_celery_task_sends_them(django_capture_on_commit_callbacks):
    thread = application_thread()
    services.send_message(thread.member, thread.conversation.pk, body="ご確認ください")
    with override_settings(MESSAGING_EMAIL_DELAY=0):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_message_emails.apply().get() == 1
    assert [email.to for email in mail.outbox] == [[thread.resident.email]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_manage_py_run_periodic_once_sends_the_message_emails():
    thread = application_thread()
    services.send_message(thread.member, thread.conversation.pk, body="ご確認ください")
    env = {
        **os.environ,
        "DJANGO_TESTING": "1",
        "DATABASE_URL": database_url_of_tests(),
        "MESSAGING_EMAIL_DELAY": "0",
        "EMAIL_URL": "consolemail://",
    }

    # A process of its own, as bin/run starts it: only what it imports itself is loaded.
    result = subprocess.run(
        [sys.executable, "manage.py", "run_periodic", "--once"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "message-emails: 1" in result.stdout
    assert f"To: {thread.resident.email}" in result.stdout
