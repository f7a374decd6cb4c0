"""Two-factor authentication for staff: who needs it, whether they have it, and the
middleware that sends a staff member without it to the enrolment guide.

A password alone must not open the admin or the moderation queues: a staff account can
read reports, unverified organizations' documents and every ward's data.
"""

from functools import wraps

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from . import policy

# Kinds that are a second factor by themselves; recovery codes only stand in for one.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# Where the guide sends the person back to once they are enrolled.
NEXT_SESSION_KEY = "two_factor_next"


def is_required(user) -> bool:
    return policy.can(user, "accounts.needs_two_factor")


def is_enrolled(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def must_enrol(user) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and is_required(user)
        and not is_enrolled(user)
    )


def remember_next(request, url: str) -> None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT_SESSION_KEY] = url


def guide_url(user, next_url: str = "") -> str:
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        url = reverse("accounts:two_factor_required")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def two_factor_required(view):
    """For staff pages outside the protected paths (a contest's organizer pages, the
    judges' score sheets): staff without a second factor enrol first, then come back."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if must_enrol(request.user):
            remember_next(request, request.get_full_path())
            return redirect(guide_url(request.user, request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapped


class StaffTwoFactorMiddleware:
    """Staff without TOTP or a security key reach the protected paths only after
    enrolling. Everything else (the guide itself, allauth's MFA pages, log-out, the
    public site) stays open so they can enrol."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.protected = tuple(settings.TWO_FACTOR_REQUIRED_PATHS)

    def __call__(self, request):
        if request.path.startswith(self.protected):
            if must_enrol(request.user):
                return redirect(guide_url(request.user, request.get_full_path()))
            # Arrived: the account pages stop offering the way back.
            request.session.pop(NEXT_SESSION_KEY, None)
        return self.get_response(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff keep at least one second factor: removing the last one would leave
        the admin on a password again."""
        user = authenticator.user
        if authenticator.type not in SECOND_FACTORS or not is_required(user):
            return True
        others = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exclude(
            pk=authenticator.pk
        )
        return others.exists()
