"""Failed log-ins slowed down without handing an attacker a way to lock the owner out.

Two limits, as OWASP's "device cookie" scheme describes:

- per client address: allauth's `login_failed` rate ("10/m/ip"), counted on the real
  client address (`client_ip`: X-Forwarded-For is read only when the request comes from
  one of settings.TRUSTED_PROXIES);
- per account: after FREE_ATTEMPTS failures the address is locked for a back-off that
  doubles with each further failure (1 minute up to an hour), but only for browsers the
  account has not been used on. A browser that logged in to the account before carries a
  signed device cookie and is never locked; on a new browser the owner opens the unlock
  link e-mailed when the lock begins.

Unknown addresses are counted and locked the same way (no e-mail goes out), so the
answers tell nobody which addresses have accounts. State lives in the cache (Redis in
production), like allauth's own counters.
"""

import hashlib
import ipaddress
import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache as store
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

FREE_ATTEMPTS = 5
FIRST_LOCK = 60
LONGEST_LOCK = 60 * 60
# Failures are forgotten a day after the last one.
MEMORY = 24 * 60 * 60
UNLOCK_MAX_AGE = 60 * 60
# While an attack goes on, the owner gets a fresh link at most this often.
UNLOCK_MAIL_INTERVAL = 15 * 60
DEVICE_COOKIE = "trusted_device"
DEVICE_COOKIE_AGE = 365 * 24 * 60 * 60
_SALT = "accounts.login_throttle"


def _now() -> float:
    return time.time()


# --- The client's address -------------------------------------------------------------


def _trusted_networks() -> tuple:
    return tuple(ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks())


def client_ip(request) -> str:
    """The address of the client itself. Behind our own proxies it is the right-most
    X-Forwarded-For entry that is not one of them; a header sent by anyone else is
    ignored, since a client can write whatever it likes there."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted_proxy(remote):
        return remote
    forwarded = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    for hop in reversed([hop for hop in forwarded if hop]):
        if not _is_trusted_proxy(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                break  # garbage in the chain: count it on the proxy rather than trust it
    return remote


# --- Per-account back-off --------------------------------------------------------------


def _key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _state(key: str) -> dict:
    return store.get(f"login-backoff:{key}") or {"failures": 0, "locked_until": 0.0}


def _save(key: str, state: dict) -> None:
    store.set(f"login-backoff:{key}", state, MEMORY)


def lock_seconds(failures: int) -> int:
    """How long the account stays locked after its `failures`-th failure in a row."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(FIRST_LOCK * 2 ** (failures - FREE_ATTEMPTS), LONGEST_LOCK)


def _trusted_keys(request) -> list[str]:
    """The accounts this browser logged in to, oldest first."""
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, salt=_SALT, max_age=DEVICE_COOKIE_AGE)
    except (KeyError, signing.BadSignature):
        return []
    return value.split(",")


def check(request, email: str) -> None:
    """Before a password is tried: refuse while the account is locked for this browser."""
    key = _key(email)
    locked_until = _state(key)["locked_until"]
    if locked_until > _now() and key not in _trusted_keys(request):
        until = timezone.localtime(datetime.fromtimestamp(locked_until, tz=UTC))
        raise ValidationError(
            _(
                "Too many failed log-ins for this e-mail address. Try again after "
                "%(time)s, or open the link in the e-mail we sent to the address to log "
                "in from this browser now."
            )
            % {"time": formats.time_format(until, "H:i")},
            code="login_locked",
        )


def failed(request, email: str) -> None:
    key = _key(email)
    state = _state(key)
    state["failures"] += 1
    seconds = lock_seconds(state["failures"])
    if seconds:
        state["locked_until"] = _now() + seconds
        if _now() - state.get("mailed_at", 0) > UNLOCK_MAIL_INTERVAL:
            state["mailed_at"] = _now()
            _send_unlock_link(email)
    _save(key, state)


def succeeded(request, email: str) -> None:
    """A right password: forget the failures and remember this browser for the account."""
    key = _key(email)
    store.delete(f"login-backoff:{key}")
    request.trusted_device_key = key


def forget(email: str) -> None:
    """The account's password was reset: its owner is back in control."""
    store.delete(f"login-backoff:{_key(email)}")


def _send_unlock_link(email: str) -> None:
    from core.email import email_user

    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    token = signing.dumps({"key": _key(email)}, salt=_SALT)
    email_user(user, "accounts/email/login_unlock.txt", in_app=False, token=token)


def unlock(request, token: str) -> bool:
    """Follow an unlock link: this browser may log in to the account again at once."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=UNLOCK_MAX_AGE)
    except signing.BadSignature:
        return False
    request.trusted_device_key = data["key"]
    return True


class TrustedDeviceMiddleware:
    """Writes the device cookie once a log-in succeeded or an unlock link was followed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "trusted_device_key", None)
        if key:
            # Several people may share a browser (a family PC, a support desk); keep a few.
            keys = [*[k for k in _trusted_keys(request) if k != key][-4:], key]
            response.set_signed_cookie(
                DEVICE_COOKIE,
                ",".join(keys),
                salt=_SALT,
                max_age=DEVICE_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
