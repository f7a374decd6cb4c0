"""What the contests app does when something happens elsewhere (connected in apps.py)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import ContestIndexPage

# What the "Contest organizers" group may do under a contest index page. The policy
# narrows it to the contests of each organizer's wards (contests.admin_forms).
ORGANIZER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
ORGANIZERS_GROUP = "Contest organizers"


def grant_organizer_page_permissions(index_page) -> None:
    """Let the contest organizers add, edit and publish contests under `index_page`.
    Granting twice changes nothing."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group, _ = Group.objects.get_or_create(name=ORGANIZERS_GROUP)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=ORGANIZER_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(
            group=group, page_id=index_page.pk, permission=permission
        )


@receiver(post_save, sender=ContestIndexPage, dispatch_uid="contests.index_page_created")
def _index_page_created(sender, instance, created, raw=False, **kwargs):
    # The index page may be made after the migrations ran (the demo data, tests, an
    # editor in the admin), so the permissions follow the page, not a migration alone.
    if created and not raw:
        grant_organizer_page_permissions(instance)
