"""What the board does when accounts change outside its services."""

from django.dispatch import receiver

from accounts.models import ConsentPurpose
from accounts.services import has_consent
from accounts.signals import consent_changed, user_active_changed
from search.index import remove_on_commit, update_on_commit

from .models import ResidentProfile


@receiver(consent_changed)
def profile_visibility_changed(sender, user, purpose, **kwargs):
    if purpose != ConsentPurpose.PROFILE_DISCOVERABLE:
        return
    profile = ResidentProfile.objects.filter(user=user).first()
    if profile is None:
        return
    if has_consent(user, purpose):
        update_on_commit(profile)
    else:
        # A withdrawn consent removes the profile from results as soon as it commits.
        remove_on_commit(profile)


@receiver(user_active_changed)
def account_activation_changed(sender, user, active, **kwargs):
    """A deactivated account's profile leaves search at once; reactivated, it returns
    (if its owner still agrees to be found)."""
    profile = ResidentProfile.objects.filter(user=user).first()
    if profile is None:
        return
    if active:
        update_on_commit(profile)
    else:
        remove_on_commit(profile)
