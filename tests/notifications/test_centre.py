"""The notification centre: every e-mail about the site is also a notice, live on the
page, read by opening it, and nobody else's."""

import pytest
from django.core import mail
from django.urls import reverse

from marketplace import services as board
from marketplace.models import Application
from notifications import services
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.marketplace import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(django_capture_on_commit_callbacks):
    """A designer applied to a 商店街's SNS task and was accepted."""
    shop = f.organization()
    task = f.task(shop)
    designer = f.resident(display_name="デザイナー 花子")
    with django_capture_on_commit_callbacks(execute=True):
        application = board.apply_to_task(designer, task, "Instagramの運用経験があります。")
        board.accept_application(shop.memberships.first().user, application)
    return designer, Application.objects.get(pk=application.pk).match


def test_being_matched_is_a_notice_with_the_e_mails_subject_and_the_match_page(accepted):
    designer, match = accepted
    notice = Notification.objects.get(recipient=designer, kind="marketplace.match_made")
    assert "SNSでの情報発信を手伝ってほしい" in notice.title
    assert notice.url == reverse("marketplace:match_detail", args=[match.pk])
    assert any(notice.title in message.subject for message in mail.outbox)


def test_the_header_counts_unread_notices_and_opening_one_reads_it(client, accepted):
    designer, match = accepted
    client.force_login(designer)
    page = client.get(reverse("notifications:centre")).content.decode()
    assert "data-notification-total>1<" in page
    notice = Notification.objects.get(recipient=designer)
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302
    assert response.url == reverse("marketplace:match_detail", args=[match.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert services.unread_count(designer) == 0


def test_mark_all_read_and_the_empty_centre_says_what_will_come(client):
    user = UserFactory()
    client.force_login(user)
    assert "No notifications yet" in client.get("/en/notifications/").content.decode()
    for n in range(3):
        services.notify(user, "test", f"お知らせ {n}")
    client.post(reverse("notifications:mark_all_read"))
    assert services.unread_count(user) == 0


def test_someone_elses_notice_is_not_there(client, accepted):
    designer, _match = accepted
    notice = Notification.objects.get(recipient=designer)
    client.force_login(UserFactory())
    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_stored_link_never_leads_off_the_site(client):
    user = UserFactory()
    notice = services.notify(user, "test", "外部リンク", "//evil.example.com/")
    client.force_login(user)
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.url == reverse("notifications:centre")


def test_the_centre_needs_a_sign_in(client):
    response = client.get(reverse("notifications:centre"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_a_new_notice_is_pushed_to_open_pages_after_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        "core.realtime.send_user_event", lambda user_id, event: sent.append((user_id, event))
    )
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(user, "test", "新しいお知らせ")
    assert sent == []  # nothing is told before the commit
    for callback in callbacks:
        callback()
    assert sent == [(user.pk, {"type": "notification", "title": "新しいお知らせ", "unread": 1})]


def test_message_e_mails_and_sign_in_links_are_not_notices(django_capture_on_commit_callbacks):
    from core.email import email_user

    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        email_user(user, "accounts/email/login_unlock.txt", in_app=False, token="x")
    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(recipient=user).exists()
