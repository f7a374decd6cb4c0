"""Sign-up and password reset that tell nobody which addresses already have an account.

allauth already answers a known address with the same page as an unknown one and mails
the owner instead (ACCOUNT_PREVENT_ENUMERATION). What still told them apart was time: a
new address has its password hashed, which is most of the request, a known one did not;
a reset looks the account up and makes a token only when there is one. So a known
address pays for a hash too, and both forms answer no sooner than ANSWER_FLOOR seconds
after they were posted. And every probe of an unknown address left an unverified
account behind; those are removed once their confirmation link has long expired.
"""

import time
from datetime import timedelta
from functools import wraps

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from core.activity import log_action

from .models import User

# Longer than either form's own work (a password hash is ~0.3 s on a server core).
ANSWER_FLOOR = 0.5

# allauth's confirmation links last ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS (3); an account
# still unconfirmed a day after that was never going to be used.
UNVERIFIED_ACCOUNT_DAYS = 4


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # The work a new account costs, spent on nothing: the two answers take as long.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)


def answers_no_sooner_than_the_floor(view):
    """A posted form answers ANSWER_FLOOR seconds after it arrived, whatever it did."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        started = time.monotonic()
        response = view(request, *args, **kwargs)
        if request.method == "POST":
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # rendering is part of the work being evened out
            time.sleep(max(0.0, ANSWER_FLOOR - (time.monotonic() - started)))
        return response

    return wrapped


def unverified_accounts(now=None):
    """Accounts whose address was never confirmed, past the time anyone would."""
    cutoff = (now or timezone.now()) - timedelta(days=UNVERIFIED_ACCOUNT_DAYS)
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    return User.objects.filter(
        date_joined__lt=cutoff,
        last_login__isnull=True,
        deleted_at__isnull=True,
        is_staff=False,
        is_superuser=False,
    ).exclude(pk__in=verified)


@transaction.atomic
def purge_unverified_accounts(now=None) -> int:
    """Delete them; a count goes to the activity log, nothing about who they were."""
    accounts = unverified_accounts(now)
    count = accounts.count()
    if count:
        accounts.delete()
        log_action(None, "accounts.unverified_accounts_purged", count=count)
    return count
