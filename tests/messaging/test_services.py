import json
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from core.errors import NotFound, RateLimited
from marketplace import conversation_subjects as MessageEvent
from marketplace import services as board
from marketplace.models import Membership
from messaging import services
from messaging.models import Participant
from moderation import services as moderation
from tests.accounts.factories import UserFactory
from tests.marketplace import factories as f

from .factories import OPENING, application_thread

pytestmark = pytest.mark.django_db


def seqs(conversation):
    return list(conversation.messages.order_by("seq").values_list("seq", flat=True))


def refused(code, *args, **kwargs):
    with pytest.raises((ValidationError, RateLimited)) as error:
        services.send_message(*args, **kwargs)
    assert error.value.code == code
    return error.value


# --- Opening and numbering --------------------------------------------------------------


def test_applying_opens_a_conversation_with_the_application_message():
    thread = application_thread()

    opening = thread.conversation.messages.get()
    assert (opening.seq, opening.sender, opening.body) == (1, thread.resident, OPENING)
    assert set(thread.conversation.participants.values_list("user", flat=True)) == {
        thread.resident.pk,
        thread.member.pk,
    }
    # The organization has something to read; the applicant wrote it and has nothing.
    assert services.total_unread(thread.member.pk) == 1
    assert services.total_unread(thread.resident.pk) == 0


def test_an_invitation_opens_a_conversation_the_resident_has_to_read():
    org = f.organization()
    member = org.memberships.get().user
    resident = f.resident()
    invitation = board.invite_resident(member, f.task(org), resident, "ぜひお力を貸してください")

    conversation = services.conversation_for(invitation)
    opening = conversation.messages.get()
    assert (opening.sender, opening.body) == (member, "ぜひお力を貸してください")
    assert services.total_unread(resident.pk) == 1
    assert services.total_unread(member.pk) == 0

    board.decline_application(resident, invitation)
    last = conversation.messages.order_by("seq").last()
    assert (last.seq, last.event) == (2, MessageEvent.INVITATION_DECLINED)
    refused("closed", member, conversation.pk, body="残念です")


def test_seq_counts_up_per_conversation():
    first = application_thread()
    second = application_thread(org=first.task.organization, resident=first.resident)

    for text in ("よろしくお願いします", "いつから始められますか？"):
        services.send_message(first.member, first.conversation.pk, body=text)
    services.send_message(second.member, second.conversation.pk, body="ありがとうございます")

    assert seqs(first.conversation) == [1, 2, 3]
    assert seqs(second.conversation) == [1, 2]
    assert first.refresh().last_seq == 3


def test_same_client_id_twice_stores_one_message():
    thread = application_thread()
    client_id = uuid.uuid4()

    sent = services.send_message(
        thread.member, thread.conversation.pk, body="面談しませんか", client_id=client_id
    )
    again = services.send_message(
        thread.member, thread.conversation.pk, body="面談しませんか", client_id=str(client_id)
    )

    assert again.pk == sent.pk and again.seq == 2
    assert thread.conversation.messages.filter(body="面談しませんか").count() == 1
    assert thread.refresh().last_seq == 2


def test_the_same_client_id_from_two_people_is_two_messages():
    thread = application_thread()
    client_id = uuid.uuid4()
    services.send_message(thread.member, thread.conversation.pk, body="a", client_id=client_id)
    services.send_message(thread.resident, thread.conversation.pk, body="b", client_id=client_id)
    assert seqs(thread.conversation) == [1, 2, 3]


# --- What may be sent -------------------------------------------------------------------


def test_outsiders_get_404():
    thread = application_thread()
    with pytest.raises(NotFound):
        services.send_message(UserFactory(), thread.conversation.pk, body="こんにちは")
    with pytest.raises(NotFound):
        services.send_message(thread.member, thread.conversation.pk + 999, body="こんにちは")
    assert seqs(thread.conversation) == [1]


def test_empty_message_is_refused():
    thread = application_thread()
    refused("empty", thread.member, thread.conversation.pk, body="   \n ")
    assert seqs(thread.conversation) == [1]


def test_message_longer_than_4000_characters_is_refused():
    thread = application_thread()
    refused("too_long", thread.member, thread.conversation.pk, body="あ" * 4001)
    services.send_message(thread.member, thread.conversation.pk, body="あ" * 4000)
    assert seqs(thread.conversation) == [1, 2]


@override_settings(MESSAGING_SEND_LIMIT=3, MESSAGING_SEND_WINDOW=60)
def test_sending_too_fast_is_refused():
    thread = application_thread()
    for n in range(3):
        services.send_message(thread.member, thread.conversation.pk, body=f"メッセージ{n}")

    refused("rate_limited", thread.member, thread.conversation.pk, body="もう一通")
    assert thread.refresh().last_seq == 4
    # The limit is per sender: the other side can still answer.
    services.send_message(thread.resident, thread.conversation.pk, body="返信です")


@pytest.mark.parametrize(
    "body",
    [
        "連絡はtaro@example.jpまでお願いします",
        "携帯は０９０−１２３４−５６７８です",
        "事務所 03-1234-5678 にお電話ください",
    ],
)
def test_contact_details_before_a_match_need_the_senders_consent(body):
    thread = application_thread()

    refused("contact_details", thread.resident, thread.conversation.pk, body=body)
    assert seqs(thread.conversation) == [1]

    message = services.send_message(
        thread.resident, thread.conversation.pk, body=body, share_contact=True
    )
    assert message.shares_contact
    assert seqs(thread.conversation) == [1, 2]


def test_contact_details_may_be_shared_freely_after_the_match():
    thread = application_thread()
    board.accept_application(thread.member, thread.application)

    message = services.send_message(
        thread.member, thread.conversation.pk, body="担当の電話は03-1234-5678です"
    )

    assert message.body == "担当の電話は03-1234-5678です"
    events = thread.conversation.messages.filter(sender=None).values_list("event", flat=True)
    assert list(events) == [MessageEvent.MATCHED]


@pytest.mark.parametrize("who_blocks", ["member", "resident"])
def test_a_block_in_either_direction_stops_both_sides(who_blocks):
    thread = application_thread()
    blocker, blocked = (
        (thread.member, thread.resident)
        if who_blocks == "member"
        else (thread.resident, thread.member)
    )
    moderation.block_user(blocker, blocked)

    refused("closed", blocked, thread.conversation.pk, body="見ていますか？")
    refused("closed", blocker, thread.conversation.pk, body="もう連絡しないでください")
    assert seqs(thread.conversation) == [1]

    moderation.unblock_user(blocker, blocked)
    services.send_message(blocked, thread.conversation.pk, body="失礼しました")
    assert seqs(thread.conversation) == [1, 2]


def test_a_block_from_another_organization_member_stops_the_resident():
    thread = application_thread()
    colleague = UserFactory()
    thread.task.organization.memberships.create(user=colleague, role="member")
    services.add_participants(thread.conversation, [colleague])
    moderation.block_user(colleague, thread.resident)

    refused("closed", thread.resident, thread.conversation.pk, body="こんにちは")
    # Between the two people who did not block anyone, nothing changed.
    services.send_message(thread.member, thread.conversation.pk, body="こんにちは")


@pytest.mark.parametrize(
    ("close", "event"),
    [
        (lambda t: board.decline_application(t.member, t.application), MessageEvent.DECLINED),
        (lambda t: board.withdraw_application(t.resident, t.application), MessageEvent.WITHDRAWN),
        (
            lambda t: board.expire_applications(now=timezone.now() + timedelta(days=60)),
            MessageEvent.EXPIRED,
        ),
    ],
    ids=["declined", "withdrawn", "expired"],
)
def test_an_ended_application_closes_its_conversation(close, event):
    thread = application_thread()
    close(thread)

    last = thread.conversation.messages.order_by("seq").last()
    assert (last.seq, last.sender, last.event) == (2, None, event)
    refused("closed", thread.resident, thread.conversation.pk, body="まだ話せますか？")
    refused("closed", thread.member, thread.conversation.pk, body="まだ話せますか？")
    assert thread.refresh().last_seq == 2
    # Reading is still possible.
    assert [m["seq"] for m in services.messages_after(thread.conversation, 0)] == [1, 2]


def test_an_event_is_unread_for_the_other_side_only():
    thread = application_thread()
    services.mark_read(thread.member, thread.conversation, 1)

    board.decline_application(thread.member, thread.application, "今回は見送ります")

    assert services.total_unread(thread.member.pk) == 0
    assert services.total_unread(thread.resident.pk) == 1


def test_when_the_place_is_filled_the_other_applicants_conversations_close():
    chosen = application_thread()
    other = application_thread(org=chosen.task.organization, task=chosen.task)

    board.accept_application(chosen.member, chosen.application)

    assert other.conversation.messages.order_by("seq").last().event == MessageEvent.DECLINED
    refused("closed", other.resident, other.conversation.pk, body="まだ募集していますか？")
    services.send_message(chosen.resident, chosen.conversation.pk, body="よろしくお願いします")


def test_resending_an_acknowledged_message_after_close_returns_it():
    thread = application_thread()
    client_id = uuid.uuid4()
    sent = services.send_message(
        thread.resident, thread.conversation.pk, body="質問です", client_id=client_id
    )
    board.withdraw_application(thread.resident, thread.application)

    again = services.send_message(
        thread.resident, thread.conversation.pk, body="質問です", client_id=client_id
    )
    assert again.pk == sent.pk


# --- Reading ----------------------------------------------------------------------------


def test_read_mark_never_moves_back_or_past_the_end():
    thread = application_thread()
    services.send_message(thread.resident, thread.conversation.pk, body="2")
    services.send_message(thread.resident, thread.conversation.pk, body="3")
    member = thread.member

    assert services.mark_read(member, thread.conversation, 2) == 2
    assert services.mark_read(member, thread.conversation, 1) == 2
    assert services.mark_read(member, thread.conversation, -5) == 2
    assert services.mark_read(member, thread.conversation, 99) == 3
    participant = Participant.objects.get(conversation=thread.conversation, user=member)
    assert participant.last_read_seq == 3
    with pytest.raises(NotFound):
        services.mark_read(UserFactory(), thread.conversation, 1)


def test_total_unread_counts_every_conversation_and_drops_when_read():
    first = application_thread()
    second = application_thread(org=first.task.organization, resident=first.resident)
    services.send_message(first.resident, first.conversation.pk, body="追伸です")

    member = first.member
    assert services.total_unread(member.pk) == 3  # 2 in the first, 1 in the second
    services.mark_read(member, first.conversation, 2)
    assert services.total_unread(member.pk) == 1
    # Writing means having read what came before.
    services.send_message(member, second.conversation.pk, body="ありがとうございます")
    assert services.total_unread(member.pk) == 0
    assert services.total_unread(first.resident.pk) == 1


def test_conversations_are_listed_newest_message_first_once_each():
    older = application_thread(title="チラシのデザイン")
    newer = application_thread(
        org=older.task.organization, resident=older.resident, title="動画の編集"
    )
    member = older.member

    assert [c.title for c in services.conversations_for(member)] == [
        "動画の編集",
        "チラシのデザイン",
    ]

    services.send_message(older.resident, older.conversation.pk, body="続きです")
    listed = list(services.conversations_for(member))
    assert [(c.title, c.unread) for c in listed] == [("チラシのデザイン", 2), ("動画の編集", 1)]
    assert [c.pk for c in services.conversations_for(UserFactory())] == []
    assert newer.conversation.pk in [c.pk for c in listed]


def test_messages_after_returns_the_rest_in_order_without_repeats():
    thread = application_thread()
    for n in range(2, 7):
        services.send_message(thread.member, thread.conversation.pk, body=f"#{n}")

    assert [m["seq"] for m in services.messages_after(thread.conversation, 3)] == [4, 5, 6]
    assert [m["seq"] for m in services.messages_after(thread.conversation, -1)] == list(range(1, 7))
    assert services.messages_after(thread.conversation, 6) == []
    page = services.messages_after(thread.conversation, 1, limit=2)
    assert [m["body"] for m in page] == ["#2", "#3"]


def test_payload_never_shows_an_email_address():
    nameless = f.resident(display_name="", email="nameless.person@example.jp")
    thread = application_thread(resident=nameless)
    services.send_message(thread.member, thread.conversation.pk, body="ようこそ")

    for item in services.messages_after(thread.conversation, 0):
        text = json.dumps(item, ensure_ascii=False)
        assert nameless.email not in text
        assert thread.member.email not in text
    reply = services.messages_after(thread.conversation, 1)[0]
    assert reply["sender"] == {"id": thread.member.pk, "name": thread.member.display_name}


# --- Broadcasts -------------------------------------------------------------------------


def test_nothing_is_broadcast_before_the_commit(broadcasts, django_capture_on_commit_callbacks):
    thread = application_thread()

    with django_capture_on_commit_callbacks() as callbacks:
        message = services.send_message(thread.member, thread.conversation.pk, body="届きますか")
        assert broadcasts == []
    assert broadcasts == []

    for callback in callbacks:
        callback()
    conversation_events = [e for kind, _, e in broadcasts if kind == "conversation"]
    assert conversation_events == [
        {"type": "conversation.message", "message": services.payload(message)}
    ]
    user_events = [(who, e) for kind, who, e in broadcasts if kind == "user"]
    assert user_events == [
        (
            thread.resident.pk,
            {"type": "unread", "conversation": thread.conversation.pk, "unread": 1, "total": 1},
        )
    ]


def test_everyone_else_hears_their_own_unread_counts(
    broadcasts, django_capture_on_commit_callbacks
):
    # given an organization of two, with an application in each of two conversations
    org = f.organization()
    owner = org.memberships.get().user
    colleague = UserFactory(display_name="事務局 二人目")
    Membership.objects.create(organization=org, user=colleague)
    thread = application_thread(org=org)
    application_thread(org=org)  # another resident's: one more unread for both of them
    services.mark_read(colleague, thread.conversation, 1)

    # when the applicant writes again
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(thread.resident, thread.conversation.pk, body="追加の質問です")

    # then each member hears their own counts, and the applicant hears nothing
    unread = {who: e for kind, who, e in broadcasts if kind == "user"}
    here = thread.conversation.pk
    assert unread == {
        owner.pk: {"type": "unread", "conversation": here, "unread": 2, "total": 3},
        colleague.pk: {"type": "unread", "conversation": here, "unread": 1, "total": 2},
    }


def test_a_rolled_back_message_is_never_broadcast(broadcasts, django_capture_on_commit_callbacks):
    thread = application_thread()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            services.send_message(thread.member, thread.conversation.pk, body="取り消し")
            transaction.set_rollback(True)
        with pytest.raises(ValidationError):
            services.send_message(thread.member, thread.conversation.pk, body="")
    assert broadcasts == []
    assert thread.refresh().last_seq == 1


def test_reading_tells_the_conversation_after_commit(
    broadcasts, django_capture_on_commit_callbacks
):
    thread = application_thread()
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_read(thread.member, thread.conversation, 1)
        services.mark_read(thread.member, thread.conversation, 1)  # no change, no event

    assert broadcasts == [
        ("conversation", thread.conversation.pk, {"type": "conversation.read", "user": thread.member.pk, "seq": 1}),
        ("user", thread.member.pk, {"type": "unread", "conversation": thread.conversation.pk, "unread": 0, "total": 0}),
    ]  # fmt: skip


# --- Moderation -------------------------------------------------------------------------


def test_only_moderators_of_an_open_report_remove_messages_and_the_text_disappears():
    thread = application_thread()
    message = services.send_message(thread.member, thread.conversation.pk, body="ひどい言葉")
    moderator = f.moderator()
    with pytest.raises(NotFound):
        services.remove_message(thread.resident, message)
    # A moderator acts on a conversation only while a report about it is open.
    with pytest.raises(NotFound):
        services.remove_message(moderator, message)
    moderation.report(thread.resident, message, reason="harassment")

    services.remove_message(moderator, message)

    shown = services.messages_after(thread.conversation, 1)[0]
    assert (shown["body"], shown["removed"]) == ("", True)
