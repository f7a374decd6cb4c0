"""Whether a user has a page of the site open right now.

Each open page keeps a socket that pings every 30 seconds; the last ping is kept in the
shared cache (Redis in production, so every process sees it) for PRESENCE_TTL.
Message e-mails go only to people who are not online.
"""

from django.conf import settings
from django.core.cache import cache


def _key(user_id: int) -> str:
    return f"presence:{user_id}"


def touch(user_id: int) -> None:
    cache.set(_key(user_id), 1, settings.PRESENCE_TTL)


def is_online(user_id: int) -> bool:
    return cache.get(_key(user_id)) is not None
