import uuid

import pytest
from django.urls import reverse

from core.models import ActivityLog
from marketplace import services as board
from messaging import services
from messaging.models import Message
from moderation import services as moderation
from moderation.models import Report, ReportStatus
from tests.accounts.factories import UserFactory
from tests.marketplace import factories as f

from .factories import OPENING, PDF_BYTES, application_thread, png_bytes, upload

pytestmark = pytest.mark.django_db


def conversation_url(thread):
    return reverse("messaging:conversation", args=[thread.conversation.pk])


def post_message(client, thread, **data):
    data.setdefault("client_id", str(uuid.uuid4()))
    return client.post(conversation_url(thread), data)


# --- Inbox and header -------------------------------------------------------------------


def test_inbox_lists_my_conversations_with_unread_counts(client):
    first = application_thread(title="チラシのデザイン")
    second = application_thread(
        org=first.task.organization, resident=first.resident, title="動画の編集"
    )
    services.send_message(first.resident, first.conversation.pk, body="追伸：作品集を送ります")
    client.force_login(first.member)

    response = client.get(reverse("messaging:inbox"))

    assert response.status_code == 200
    listed = [(c.title, c.unread) for c in response.context["page_obj"]]
    assert listed == [("チラシのデザイン", 2), ("動画の編集", 1)]
    html = response.content.decode()
    assert html.index("チラシのデザイン") < html.index("動画の編集")
    assert "追伸：作品集を送ります" in html  # the latest message as a preview
    assert html.count("conversation-list__item--unread") == 2
    assert reverse("messaging:conversation", args=[second.conversation.pk]) in html


def test_inbox_of_someone_without_conversations_shows_the_empty_state(client):
    application_thread()
    client.force_login(UserFactory())

    response = client.get(reverse("messaging:inbox"))

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []
    assert "empty-state" in response.content.decode()


def test_inbox_needs_login(client):
    response = client.get(reverse("messaging:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_header_shows_the_unread_count_until_read(client):
    thread = application_thread()
    services.send_message(thread.resident, thread.conversation.pk, body="よろしくお願いします")
    client.force_login(thread.member)

    html = client.get(reverse("messaging:inbox")).content.decode()
    assert "<span data-unread-total>2</span>" in html

    client.get(conversation_url(thread))  # reading the conversation

    html = client.get(reverse("messaging:inbox")).content.decode()
    assert "<span data-unread-total>0</span>" in html
    assert "data-unread-badge hidden" in html


def test_account_settings_offer_message_emails(client):
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="message_emails" value="offline"' in html
    assert 'name="message_emails" value="never"' in html


# --- The conversation page --------------------------------------------------------------


def test_participants_read_the_conversation_and_it_counts_as_read(client):
    thread = application_thread()
    client.force_login(thread.member)

    response = client.get(conversation_url(thread))

    assert response.status_code == 200
    assert OPENING in response.content.decode()
    assert [m.seq for m in response.context["chat_messages"]] == [1]
    assert services.total_unread(thread.member.pk) == 0


def test_outsiders_get_404_not_403(client):
    thread = application_thread()
    client.force_login(UserFactory())
    assert client.get(conversation_url(thread)).status_code == 404
    assert post_message(client, thread, body="こんにちは").status_code == 404
    assert client.get(reverse("messaging:conversation", args=[99999])).status_code == 404
    assert thread.conversation.messages.count() == 1


def test_sending_with_the_plain_form_redirects_to_the_new_message(client):
    thread = application_thread()
    client.force_login(thread.member)

    response = post_message(client, thread, body="来週お話しできますか？")

    assert response.status_code == 302
    assert response["Location"] == conversation_url(thread) + "#m2"
    message = thread.conversation.messages.get(seq=2)
    assert (message.sender, message.body) == (thread.member, "来週お話しできますか？")
    assert "来週お話しできますか？" in client.get(response["Location"]).content.decode()


def test_posting_the_same_form_twice_stores_one_message(client):
    thread = application_thread()
    client.force_login(thread.resident)
    client_id = str(uuid.uuid4())

    first = post_message(client, thread, body="よろしくお願いします", client_id=client_id)
    second = post_message(client, thread, body="よろしくお願いします", client_id=client_id)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert thread.conversation.messages.count() == 2


def test_each_rendered_form_has_a_fresh_client_id(client):
    thread = application_thread()
    client.force_login(thread.member)
    ids = {
        client.get(conversation_url(thread)).context["form"]["client_id"].value() for _ in range(2)
    }
    assert len(ids) == 2


def test_refused_message_is_shown_again_with_its_text(client):
    thread = application_thread()
    client.force_login(thread.resident)
    client_id = str(uuid.uuid4())

    response = post_message(client, thread, body="電話は090-1234-5678です", client_id=client_id)

    assert response.status_code == 400
    assert "電話は090-1234-5678です</textarea>" in response.content.decode()
    assert response.context["form"].has_error("share_contact", "contact_details")
    assert thread.conversation.messages.count() == 1

    # Ticking the box and sending the same form again stores it.
    response = post_message(
        client, thread, body="電話は090-1234-5678です", client_id=client_id, share_contact="on"
    )
    assert response.status_code == 302
    assert thread.conversation.messages.get(seq=2).shares_contact


def test_empty_or_too_long_messages_are_refused_with_400(client):
    thread = application_thread()
    client.force_login(thread.member)
    assert post_message(client, thread, body="  ").status_code == 400
    response = post_message(client, thread, body="あ" * 4001)
    assert response.status_code == 400
    assert response.context["form"].has_error("body")
    assert thread.conversation.messages.count() == 1


def test_the_script_gets_json_answers(client):
    thread = application_thread()
    client.force_login(thread.resident)

    ok = client.post(
        conversation_url(thread),
        {"body": "写真を送ります", "client_id": str(uuid.uuid4())},
        headers={"accept": "application/json"},
    )
    refused = client.post(
        conversation_url(thread),
        {"body": "taro@example.jp までどうぞ", "client_id": str(uuid.uuid4())},
        headers={"accept": "application/json"},
    )

    assert (ok.status_code, ok.json()["seq"]) == (200, 2)
    assert (refused.status_code, refused.json()["code"]) == (400, "contact_details")


def test_a_closed_conversation_can_be_read_but_not_written(client):
    thread = application_thread()
    board.decline_application(thread.member, thread.application)
    client.force_login(thread.resident)

    page = client.get(conversation_url(thread))
    assert page.status_code == 200
    assert page.context["why_not"]
    assert 'id="chat-form"' not in page.content.decode()
    assert post_message(client, thread, body="なぜですか").status_code == 400
    assert thread.conversation.messages.count() == 2  # the opening and the event


def test_conversation_of_an_application_is_reached_from_the_board(client):
    thread = application_thread()
    url = reverse("marketplace:application_conversation", args=[thread.application.pk])

    client.force_login(thread.member)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == conversation_url(thread)

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_new_organization_member_joins_the_conversation_from_the_board(client):
    thread = application_thread()
    newcomer = UserFactory()
    thread.task.organization.memberships.create(user=newcomer, role="member")
    client.force_login(newcomer)
    url = reverse("marketplace:application_conversation", args=[thread.application.pk])

    # Looking changes nothing: the page offers to join.
    offer = client.get(url)
    assert offer.status_code == 200
    assert not services.is_participant(newcomer, thread.conversation)
    assert client.get(conversation_url(thread)).status_code == 404

    response = client.post(url)

    assert response["Location"] == conversation_url(thread)
    assert client.get(conversation_url(thread)).status_code == 200


# --- Attachments ------------------------------------------------------------------------


def test_attachments_are_uploaded_and_served_to_participants_only(client, private_storage):
    thread = application_thread()
    image = png_bytes()
    client.force_login(thread.member)
    response = post_message(
        client,
        thread,
        body="チラシの案です",
        files=[upload("案1.png", image, "image/png"), upload("案2.pdf", PDF_BYTES)],
    )
    assert response.status_code == 302
    png, pdf = Message.objects.get(conversation=thread.conversation, seq=2).attachments.all()

    client.force_login(thread.resident)
    page = client.get(conversation_url(thread)).content.decode()
    assert reverse("messaging:attachment", args=[png.pk]) in page
    assert reverse("messaging:attachment", args=[pdf.pk]) in page

    shown = client.get(reverse("messaging:attachment", args=[png.pk]))
    assert shown.status_code == 200
    assert b"".join(shown.streaming_content) == image
    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline")
    assert shown["X-Content-Type-Options"] == "nosniff"

    downloaded = client.get(reverse("messaging:attachment", args=[pdf.pk]))
    assert b"".join(downloaded.streaming_content) == PDF_BYTES
    assert downloaded["Content-Type"] == "application/pdf"
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert downloaded["X-Content-Type-Options"] == "nosniff"

    for outsider in (UserFactory(), f.moderator()):
        client.force_login(outsider)
        assert client.get(reverse("messaging:attachment", args=[png.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("messaging:attachment", args=[png.pk])).status_code == 302


def test_a_file_that_is_not_what_it_claims_is_refused_in_the_form(client, private_storage):
    thread = application_thread()
    client.force_login(thread.member)

    response = post_message(
        client, thread, body="資料です", files=[upload("資料.png", b"<svg onload=alert(1)>")]
    )

    assert response.status_code == 400
    assert "資料です</textarea>" in response.content.decode()
    assert thread.conversation.messages.count() == 1


def test_more_than_three_files_are_refused_in_the_form(client, private_storage):
    thread = application_thread()
    client.force_login(thread.member)
    files = [upload(f"{n}.png", png_bytes(), "image/png") for n in range(4)]

    assert post_message(client, thread, files=files).status_code == 400
    assert thread.conversation.messages.count() == 1


# --- Reports and moderators -------------------------------------------------------------


def test_reporting_a_message_lets_a_moderator_read_and_remove_it(client, private_storage):
    thread = application_thread()
    bad = services.send_message(
        thread.member,
        thread.conversation.pk,
        body="二度と応募しないでください、ばか",
        files=[upload("x.png", png_bytes(), "image/png")],
    )
    moderator = f.moderator()
    attachment_url = reverse("messaging:attachment", args=[bad.attachments.get().pk])

    # Before any report, the conversation is private even to moderators.
    client.force_login(moderator)
    assert client.get(conversation_url(thread)).status_code == 404

    # The resident reports it.
    client.force_login(thread.resident)
    response = client.post(
        reverse("moderation:report", args=["message", bad.pk]),
        {"reason": "harassment", "details": "暴言です"},
    )
    assert response.status_code == 302
    assert response["Location"] == conversation_url(thread)
    report = Report.objects.get()
    assert (report.target, report.reporter, report.reason) == (bad, thread.resident, "harassment")

    # Now the moderator reads it (and that is logged) ...
    client.force_login(moderator)
    page = client.get(conversation_url(thread))
    assert page.status_code == 200
    assert "二度と応募しないでください" in page.content.decode()
    assert ActivityLog.objects.filter(actor=moderator, action="messaging.moderator_read").exists()
    assert client.get(attachment_url).status_code == 200
    # ... but cannot write in it.
    assert post_message(client, thread, body="モデレーターです").status_code == 404

    # ... and removes it.
    response = client.post(reverse("messaging:remove", args=[bad.pk]))
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.removed_by == moderator

    for participant in (thread.resident, thread.member):
        client.force_login(participant)
        assert (
            "二度と応募しないでください"
            not in client.get(conversation_url(thread)).content.decode()
        )
        assert client.get(attachment_url).status_code == 404
    assert services.messages_after(thread.conversation, 1)[0]["body"] == ""

    # Once the report is handled, the conversation is private again.
    moderation.handle_report(moderator, report, status=ReportStatus.RESOLVED, resolution="削除")
    client.force_login(moderator)
    assert client.get(conversation_url(thread)).status_code == 404


def test_participants_cannot_remove_messages(client):
    thread = application_thread()
    message = services.send_message(thread.member, thread.conversation.pk, body="こんにちは")
    client.force_login(thread.resident)
    assert client.post(reverse("messaging:remove", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.removed_at is None


def test_own_messages_and_other_conversations_cannot_be_reported(client):
    thread = application_thread()
    opening = thread.conversation.messages.get(seq=1)

    client.force_login(thread.resident)
    own = client.post(
        reverse("moderation:report", args=["message", opening.pk]), {"reason": "spam"}
    )
    client.force_login(UserFactory())
    outsider = client.post(
        reverse("moderation:report", args=["message", opening.pk]), {"reason": "spam"}
    )

    assert own.status_code == outsider.status_code == 404
    assert not Report.objects.exists()


def test_report_form_shows_the_message(client):
    thread = application_thread()
    client.force_login(thread.member)
    opening = thread.conversation.messages.get(seq=1)
    response = client.get(reverse("moderation:report", args=["message", opening.pk]))
    assert response.status_code == 200
    assert OPENING in response.content.decode()


def test_the_sender_sees_when_the_other_side_has_read(client):
    thread = application_thread()
    services.send_message(thread.member, thread.conversation.pk, body="ご応募ありがとうございます")
    client.force_login(thread.member)
    assert client.get(conversation_url(thread)).context["others_read_seq"] == 1

    client.force_login(thread.resident)
    client.get(conversation_url(thread))

    client.force_login(thread.member)
    assert client.get(conversation_url(thread)).context["others_read_seq"] == 2


def test_the_form_speaks_the_pages_language(client):
    thread = application_thread()
    client.force_login(thread.resident)
    japanese = client.get(conversation_url(thread)).content.decode()
    english = client.get(f"/en/messages/{thread.conversation.pk}/").content.decode()
    assert "up to 3 files of 5 MB each" in english
    assert "1ファイル5MBまで" in japanese and "1ファイル5MBまで" not in english
