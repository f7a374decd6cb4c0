"""Every change to conversations goes through this module.

The order of things is what keeps messages from being lost: a message is written (with
the next `seq` of its conversation, under a row lock) and committed before anyone is told
about it; the broadcast after commit is only a hint. A client that missed it — offline,
reconnecting, or on another server process — asks for everything after the last seq it
has (`messages_after`) and gets it from the database, in order.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import MessageEmails, User
from core import presence
from core.activity import log_action
from core.email import email_user
from core.errors import NotFound, RateLimited
from core.realtime import group_send, send_user_event
from moderation import services as moderation

from . import subjects
from .attachments import check_uploads, offered_name
from .contact import contains_contact_details
from .models import Attachment, Conversation, Message, Participant

MAX_BODY = 4000
SYNC_BATCH = 100


def group_name(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


# --- Conversations and who is in them ---------------------------------------------------


def conversation_for(subject) -> Conversation | None:
    return Conversation.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).first()


@transaction.atomic
def ensure_conversation(subject, *, opening_from=None, opening="") -> Conversation:
    """The conversation about `subject` (a registered subject), created on first use,
    with everyone its subject names as participants in it.

    `opening` becomes message 1 from `opening_from` (an application's own message). The
    subject's own e-mail already carried it, so nobody gets a message e-mail for it.
    """
    kind = subjects.for_subject(subject)
    conversation, created = Conversation.objects.get_or_create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        defaults={"title": kind.title(subject)[:200]},
    )
    add_participants(conversation, kind.participants(subject))
    if created and opening_from is not None and opening.strip():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        message = _append(conversation, sender=opening_from, body=opening.strip())
        Participant.objects.filter(conversation=conversation).update(notified_seq=message.seq)
        # Its writer has read it (as send_message does for every other message).
        Participant.objects.filter(conversation=conversation, user=opening_from).update(
            last_read_seq=message.seq
        )
        _after_commit(conversation, message)
    return conversation


def add_participants(conversation: Conversation, users) -> None:
    present = set(conversation.participants.values_list("user_id", flat=True))
    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, user=user)
            for user in {user.pk: user for user in users}.values()
            if user.pk not in present
        ]
    )


def sync_participants(subject) -> None:
    """Make the conversation about `subject` (if any) hold exactly the people its subject
    names now: someone who left a team stops reading its conversation. Their messages
    stay, under their name."""
    conversation = conversation_for(subject)
    if conversation is None:
        return
    people = subjects.for_subject(subject).participants(subject)
    add_participants(conversation, people)
    conversation.participants.exclude(user_id__in=[person.pk for person in people]).delete()


def access_conversation(user: User, conversation_id: int):
    """(conversation, participant) for a participant; (conversation, None) for a moderator
    who may handle an open report about one of its messages; NotFound for anyone else."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None or not user.is_authenticated:
        raise NotFound
    participant = Participant.objects.filter(conversation=conversation, user=user).first()
    if participant is not None:
        return conversation, participant
    if policy.can(user, "messaging.read_reported_conversation", conversation):
        return conversation, None
    raise NotFound


def open_reports(conversation: Conversation):
    """Open reports about messages of this conversation."""
    return moderation.open_reports_about(Message, conversation.messages.values("pk"))


def is_participant(user: User, conversation: Conversation) -> bool:
    return Participant.objects.filter(conversation=conversation, user=user).exists()


@transaction.atomic
def open_conversation(user: User, subject) -> Conversation:
    """The conversation about `subject` for someone its subject lets in: created if it
    does not exist yet, and joined by everyone the subject now names (a new member of an
    organization, say). NotFound for anyone else."""
    if not user.is_authenticated or not subjects.for_subject(subject).may_open(user, subject):
        raise NotFound
    return ensure_conversation(subject)


def why_cannot_post(user: User, conversation: Conversation) -> str:
    """Why `user` may not write here now, or "" if they may."""
    subject = conversation.subject
    if subject is None or subjects.for_subject(subject).is_closed(subject):
        return _("This conversation is closed. You can still read it.")
    others = conversation.participants.exclude(user=user).values("user")
    blockers = moderation.blockers_between(user, others)
    if user.pk in blockers:
        return _("You blocked someone in this conversation. Unblock them to write again.")
    if blockers:
        return _("You cannot send messages in this conversation.")
    return ""


def contact_details_allowed(conversation: Conversation) -> bool:
    subject = conversation.subject
    return subject is not None and subjects.for_subject(subject).contact_details_allowed(subject)


def subject_link(conversation: Conversation, user: User) -> tuple[str, str] | None:
    subject = conversation.subject
    return subjects.for_subject(subject).link(subject, user) if subject is not None else None


# --- Sending ----------------------------------------------------------------------------


def _check_rate(user: User) -> None:
    since = timezone.now() - timedelta(seconds=settings.MESSAGING_SEND_WINDOW)
    if Message.objects.filter(sender=user, created_at__gte=since).count() >= (
        settings.MESSAGING_SEND_LIMIT
    ):
        raise RateLimited(
            _("You are sending messages very quickly. Wait a minute and try again."),
            retry_after=settings.MESSAGING_SEND_WINDOW,
        )


def _check_body(body: str, has_files: bool) -> None:
    if not body and not has_files:
        raise ValidationError(_("Write a message or attach a file."), code="empty")
    if len(body) > MAX_BODY:
        raise ValidationError(
            _("A message can be at most %(n)d characters long (this one has %(m)d).")
            % {"n": MAX_BODY, "m": len(body)},
            code="too_long",
        )


def send_message(
    user: User,
    conversation_id: int,
    *,
    body: str = "",
    client_id: uuid.UUID | str | None = None,
    files=(),
    share_contact: bool = False,
) -> Message:
    """Store a message from `user`, then (after commit) tell the conversation.

    Sending the same `client_id` again returns the message already stored, so a client
    may resend whatever it has no acknowledgement for.
    """
    body = (body or "").strip()
    client_id = uuid.UUID(str(client_id)) if client_id else None
    with transaction.atomic():
        # The lock orders concurrent senders: seq numbers are handed out one at a time.
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None or not user.is_authenticated:
            raise NotFound
        participant = Participant.objects.filter(conversation=conversation, user=user).first()
        if participant is None:
            raise NotFound
        if client_id is not None:
            stored = conversation.messages.filter(sender=user, client_id=client_id).first()
            if stored is not None:
                return stored
        refusal = why_cannot_post(user, conversation)
        if refusal:
            raise ValidationError(refusal, code="closed")
        _check_body(body, bool(files))
        uploads = check_uploads(list(files))
        _check_rate(user)
        shares_contact = contains_contact_details(body)
        if shares_contact and not share_contact and not contact_details_allowed(conversation):
            raise ValidationError(
                _(
                    "This message seems to contain an e-mail address or phone number. Before "
                    "a match, share contact details only if you want to: tick “Share my "
                    "contact details” and send again."
                ),
                code="contact_details",
            )
        message = _append(
            conversation,
            sender=user,
            body=body,
            client_id=client_id,
            shares_contact=shares_contact,
        )
        attachments = []
        for upload, content_type, extension in uploads:
            attachment = Attachment(
                message=message,
                name=offered_name(upload.name, content_type),
                content_type=content_type,
                size=upload.size,
            )
            attachment.file.save(f"upload.{extension}", upload, save=False)
            attachment.save()
            attachments.append(attachment)
        # Writing means having read everything before it.
        Participant.objects.filter(pk=participant.pk).update(last_read_seq=message.seq)
        _after_commit(conversation, message, attachments=attachments)
    return message


def _append(conversation: Conversation, *, sender, body="", event="", **fields) -> Message:
    """Message number last_seq + 1. The caller holds the conversation's row lock."""
    conversation.last_seq += 1
    conversation.last_message_at = timezone.now()
    conversation.save(update_fields=["last_seq", "last_message_at"])
    return Message.objects.create(
        conversation=conversation,
        seq=conversation.last_seq,
        sender=sender,
        body=body,
        event=event,
        **fields,
    )


def post_event(subject, event: str, *, actor=None) -> Message | None:
    """Note in the subject's conversation (if it has one) that something happened to it.
    `event` is one of the codes its ConversationSubject declares in `events`.

    Whoever made it happen already knows: it is not unread for them.
    """
    if event not in subjects.for_subject(subject).events:
        raise ValueError(f"{event!r} is not an event of {type(subject).__name__}")
    conversation = conversation_for(subject)
    if conversation is None:
        return None
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        message = _append(conversation, sender=None, event=event)
        if actor is not None:
            conversation.participants.filter(user=actor).update(last_read_seq=message.seq)
        _after_commit(conversation, message, actor=actor)
    return message


def _after_commit(
    conversation: Conversation, message: Message, *, attachments=(), actor=None
) -> None:
    """Broadcast the stored message, and new unread counts to everyone else in it."""
    _broadcast_on_commit(message, attachments)
    told = message.sender_id or (actor.pk if actor is not None else None)
    others = conversation.participants.exclude(user_id=told).values("user_id")
    _send_unread_on_commit(others, conversation.pk)


def _broadcast_on_commit(message: Message, attachments=None) -> None:
    """Tell the conversation about `message` (new or changed) once it is committed.

    The payload is built now, from the message in hand, rather than read back later.
    """
    event = {"type": "conversation.message", "message": payload(message, attachments)}
    transaction.on_commit(lambda: group_send(group_name(message.conversation_id), event))


def _send_unread_on_commit(users, conversation_id: int) -> None:
    """After commit, each of `users` (ids, or a query of them) gets their unread count
    for this conversation and in all: one query for all of them."""

    def send() -> None:
        unread = F("conversation__last_seq") - F("last_read_seq")
        counts = (
            Participant.objects.filter(user_id__in=users)
            .values("user_id")
            .annotate(
                here=Sum(unread, filter=Q(conversation_id=conversation_id)),
                total=Sum(unread, filter=Q(conversation__last_seq__gt=F("last_read_seq"))),
            )
            .order_by()
        )
        for row in counts:
            event = {
                "type": "unread",
                "conversation": conversation_id,
                "unread": row["here"] or 0,
                "total": row["total"] or 0,
            }
            send_user_event(row["user_id"], event)

    transaction.on_commit(send)


# --- Reading ----------------------------------------------------------------------------


def payload(message: Message, attachments=None) -> dict:
    """What clients get for a message: public fields only, never anyone's contact data.

    `attachments`: the message's files when the caller has them (else they are loaded).
    """
    removed = message.removed_at is not None
    if removed:
        attachments = ()
    elif attachments is None:
        attachments = message.attachments.all()
    with translation.override(settings.LANGUAGE_CODE):
        files = [
            {
                "id": attachment.pk,
                "name": attachment.name,
                "size": attachment.size,
                "is_image": attachment.is_image,
                "url": reverse("messaging:attachment", args=[attachment.pk]),
            }
            for attachment in attachments
        ]
    return {
        "id": message.pk,
        "seq": message.seq,
        "conversation": message.conversation_id,
        "sender": (
            # display_name, not str(): a user without one would show their e-mail address.
            {"id": message.sender_id, "name": message.sender.display_name}
            if message.sender_id
            else None
        ),
        "body": "" if removed else message.body,
        "event": message.event,
        "removed": removed,
        "created_at": message.created_at.isoformat(),
        "client_id": str(message.client_id) if message.client_id else None,
        "attachments": files,
    }


def last_seq(conversation_id: int) -> int:
    return Conversation.objects.values_list("last_seq", flat=True).get(pk=conversation_id)


def messages_after(conversation: Conversation, after: int, limit: int = SYNC_BATCH) -> list[dict]:
    messages = (
        conversation.messages.filter(seq__gt=max(int(after), 0))
        .select_related("sender")
        .prefetch_related("attachments")
        .order_by("seq")[:limit]
    )
    return [payload(message) for message in messages]


@transaction.atomic
def mark_read(user: User, conversation: Conversation, seq: int) -> int:
    """Move the user's read mark forward to `seq` (never back, never past the end)."""
    participant = (
        Participant.objects.select_for_update().filter(conversation=conversation, user=user).first()
    )
    if participant is None:
        raise NotFound
    seq = min(int(seq), last_seq(conversation.pk))
    if seq > participant.last_read_seq:
        participant.last_read_seq = seq
        participant.save(update_fields=["last_read_seq"])
        conversation_id, user_id = conversation.pk, user.pk
        transaction.on_commit(
            lambda: group_send(
                group_name(conversation_id),
                {"type": "conversation.read", "user": user_id, "seq": seq},
            )
        )
        _send_unread_on_commit([user.pk], conversation.pk)
    return participant.last_read_seq


def total_unread(user_id: int) -> int:
    unread = Participant.objects.filter(
        user_id=user_id, conversation__last_seq__gt=F("last_read_seq")
    ).aggregate(n=Sum(F("conversation__last_seq") - F("last_read_seq")))["n"]
    return unread or 0


def conversations_for(user: User):
    """The user's conversations, newest message first, with their unread counts."""
    return (
        Conversation.objects.filter(participants__user=user)
        .annotate(my_last_read=F("participants__last_read_seq"))
        .annotate(unread=F("last_seq") - F("participants__last_read_seq"))
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )


# --- Moderation -------------------------------------------------------------------------


def log_moderator_read(moderator: User, conversation: Conversation) -> None:
    """Every time a moderator reads a reported conversation, it is written down."""
    log_action(moderator, "messaging.moderator_read", conversation)


@transaction.atomic
def remove_message(moderator: User, message: Message) -> Message:
    """A moderator who may handle a report about the conversation hides a message's text
    and files from everyone; the record stays."""
    policy.check(moderator, "messaging.remove_message", message)
    if message.removed_at is None:
        message.removed_at = timezone.now()
        message.removed_by = moderator
        message.save(update_fields=["removed_at", "removed_by"])
        log_action(moderator, "messaging.message_removed", message)
        _broadcast_on_commit(message)
    return message


# --- E-mails to people who are away -----------------------------------------------------


def send_message_emails(now=None) -> int:
    """One e-mail per conversation to each participant who has had unread messages for a
    while and is not on the site; then nothing for that conversation for a while.

    Run every minute (Celery beat, or `manage.py run_periodic` on the embedded default).
    """
    now = now or timezone.now()
    waited = now - timedelta(seconds=settings.MESSAGING_EMAIL_DELAY)
    quiet_since = now - timedelta(seconds=settings.MESSAGING_EMAIL_INTERVAL)
    candidates = (
        Participant.objects.filter(
            conversation__last_seq__gt=Greatest("last_read_seq", "notified_seq"),
            user__is_active=True,
        )
        .exclude(user__message_emails=MessageEmails.NEVER)
        .filter(Q(notified_at__isnull=True) | Q(notified_at__lte=quiet_since))
        .select_related("user", "conversation")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    sent = 0
    for participant in candidates:
        if presence.is_online(participant.user_id):
            continue
        conversation = participant.conversation
        start = max(participant.last_read_seq, participant.notified_seq)
        waiting = list(
            conversation.messages.filter(seq__gt=start, event="", removed_at__isnull=True)
            .exclude(sender_id=participant.user_id)
            .select_related("sender")
            .order_by("seq")
        )
        if not waiting:
            # Only events or my own messages: nothing to tell.
            Participant.objects.filter(
                pk=participant.pk, notified_seq=participant.notified_seq
            ).update(notified_seq=conversation.last_seq)
            continue
        if waiting[0].created_at > waited:
            continue
        # Compare-and-set: if another run got here first, it sent the e-mail.
        claimed = Participant.objects.filter(
            pk=participant.pk, notified_seq=participant.notified_seq
        ).update(notified_seq=waiting[-1].seq, notified_at=now)
        if not claimed:
            continue
        email_user(
            participant.user,
            "messaging/email/new_messages.txt",
            in_app=False,
            conversation=conversation,
            count=len(waiting),
            latest=waiting[-3:],
        )
        sent += 1
    return sent
