"""The notification centre's rules: keeping notices, reading them, choosing digests,
and leaving them from an e-mail without signing in."""

from django.core import signing
from django.db import transaction
from django.utils import timezone

from core.errors import NotFound
from core.realtime import send_user_event_on_commit

from . import topics
from .models import DigestSettings, Frequency, Notification

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# A link to leave every topic at once (the List-Unsubscribe of every digest).
ALL_TOPICS = "*"


def notify(user, kind: str, title: str, url: str = "") -> Notification:
    """Keep a notice for `user` and tell their open pages once it is committed."""
    notification = Notification.objects.create(
        recipient=user, kind=kind, title=title[:300], url=url[:500]
    )
    send_user_event_on_commit(
        user.pk,
        {
            "type": "notification",
            "title": notification.title,
            "unread": unread_count(user),
        },
    )
    return notification


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def open_notification(user, notification_id: int) -> Notification:
    """Mark one of `user`'s notices read and return it (NotFound for anyone else's)."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        raise NotFound
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _tell_unread(user)
    return notification


def mark_all_read(user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        _tell_unread(user)
    return marked


def _tell_unread(user) -> None:
    # Other tabs of the same person update their badge too.
    send_user_event_on_commit(user.pk, {"type": "notification-read", "unread": unread_count(user)})


# --- Digests ----------------------------------------------------------------------------


def digest_settings(user) -> DigestSettings:
    """The person's choices; an unsaved default (no digest, the default topics) if none."""
    found = DigestSettings.objects.filter(user=user).first()
    return found or DigestSettings(
        user=user, frequency=Frequency.NEVER, topics=topics.default_keys()
    )


@transaction.atomic
def choose_digest(user, frequency: str, topic_keys: list[str]) -> DigestSettings:
    known = set(topics.TOPICS)
    chosen = [key for key in topic_keys if key in known]
    if frequency not in Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}")
    settings, _created = DigestSettings.objects.update_or_create(
        user=user, defaults={"frequency": frequency, "topics": chosen}
    )
    return settings


def unsubscribe_token(user, topic: str = ALL_TOPICS) -> str:
    """The signed part of an unsubscribe link: whoever holds it may stop that e-mail for
    that person (no expiry: an old digest's link still works, as RFC 8058 expects)."""
    return signing.dumps({"u": user.pk, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["u"]), str(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound from None


@transaction.atomic
def unsubscribe(user, topic: str) -> DigestSettings:
    """Stop one topic, or with ALL_TOPICS every digest. Repeating it changes nothing."""
    settings = DigestSettings.objects.select_for_update().filter(user=user).first()
    if settings is None:
        return DigestSettings.objects.create(user=user, frequency=Frequency.NEVER, topics=[])
    if topic == ALL_TOPICS:
        settings.frequency = Frequency.NEVER
    else:
        settings.topics = [key for key in settings.topics if key != topic]
        if not settings.topics:
            settings.frequency = Frequency.NEVER
    settings.save(update_fields=["frequency", "topics", "updated_at"])
    return settings
