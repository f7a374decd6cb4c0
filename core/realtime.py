"""Pushing events to a signed-in user's open pages over the channel layer."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def send_user_event(user_id: int, event: dict) -> None:
    """Tell every open socket of `user_id` about `event` now."""
    async_to_sync(get_channel_layer().group_send)(
        user_group(user_id), {"type": "user.event", "event": event}
    )


def send_user_event_on_commit(user_id: int, event: dict) -> None:
    """Tell every socket of `user_id` about `event`, once the change behind it is committed."""
    transaction.on_commit(lambda: send_user_event(user_id, event))
