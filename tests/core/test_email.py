import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction

from core.email import queue_email


@pytest.mark.django_db
def test_email_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(EmailMessage("件名", "本文", to=["a@example.jp"]))
        assert mail.outbox == []  # nothing is sent before the change is committed
    assert [m.subject for m in mail.outbox] == ["件名"]


@pytest.mark.django_db
def test_email_of_a_rolled_back_change_is_never_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            queue_email(EmailMessage("件名", "本文", to=["a@example.jp"]))
            transaction.set_rollback(True)
    assert mail.outbox == []
