"""Sealing what must not sit in the database in clear: winners' bank details and the
bank files that carry them.

Fernet (AES-128-CBC with an HMAC) from `cryptography`, keyed from the environment:
PAYOUT_ENCRYPTION_KEYS lists Fernet keys, newest first. Sealing uses the first; opening
tries each, so a new key can be put in front and `manage.py rotate_payout_keys`
re-seals everything with it before the old one is removed. Production refuses to start
without the variable; elsewhere a key is derived from SECRET_KEY so a newcomer's site
works with nothing set.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _keys() -> list[bytes]:
    keys = [key.encode() for key in settings.PAYOUT_ENCRYPTION_KEYS if key]
    if not keys:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("PAYOUT_ENCRYPTION_KEYS is not set")
        digest = hashlib.sha256(b"payout-vault:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest)]
    return keys


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def seal(value: dict | bytes) -> str:
    data = value if isinstance(value, bytes) else json.dumps(value, ensure_ascii=False).encode()
    return _fernet().encrypt(data).decode()


def open_bytes(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode())
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A sealed payout value opens with none of PAYOUT_ENCRYPTION_KEYS"
        ) from error


def open_dict(token: str) -> dict:
    return json.loads(open_bytes(token)) if token else {}


def reseal(token: str) -> str:
    """The same value sealed with the newest key (MultiFernet.rotate)."""
    return _fernet().rotate(token.encode()).decode()


def new_key() -> str:
    return Fernet.generate_key().decode()
