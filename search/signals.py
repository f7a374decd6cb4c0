"""Reindexing for changes that do not go through marketplace services: consents
(accounts) and CMS pages (Wagtail publish/unpublish)."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from accounts.signals import consent_changed

from .index import update_on_commit


@receiver(consent_changed)
def profile_visibility_changed(sender, user, purpose, **kwargs):
    from accounts.models import ConsentPurpose
    from marketplace.models import ResidentProfile

    if purpose != ConsentPurpose.PROFILE_DISCOVERABLE:
        return
    profile = ResidentProfile.objects.filter(user=user).first()
    if profile is not None:
        # A withdrawn consent removes the profile from results as soon as it commits.
        update_on_commit(profile)


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    update_on_commit(instance)
