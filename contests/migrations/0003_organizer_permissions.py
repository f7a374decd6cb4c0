from django.db import migrations

ORGANIZER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
# Who may list and choose the open datasets in the admin (the contest page's chooser).
DATASET_GROUPS = ("Contest organizers", "Editors")


def _permission(apps, app_label, model, codename, name):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    return Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )[0]


def grant(apps, schema_editor):
    """The contest organizers add, edit and publish under every contest index page that
    exists already (contests.receivers grants it for one made later), and organizers and
    editors may view (and so choose) the open datasets."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    ContestIndexPage = apps.get_model("contests", "ContestIndexPage")

    organizers, _ = Group.objects.get_or_create(name="Contest organizers")
    page_permissions = [
        _permission(apps, "wagtailcore", "page", codename, codename.replace("_", " ") + "s")
        for codename in ORGANIZER_PAGE_PERMISSIONS
    ]
    for index in ContestIndexPage.objects.all():
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=organizers, page_id=index.pk, permission=permission
            )

    view_dataset = _permission(apps, "contests", "dataset", "view_dataset", "Can view open dataset")
    for name in DATASET_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(view_dataset)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name="Contest organizers",
        permission__content_type__app_label="wagtailcore",
        permission__codename__in=ORGANIZER_PAGE_PERMISSIONS,
    ).delete()
    view_dataset = Permission.objects.filter(
        content_type__app_label="contests", codename="view_dataset"
    ).first()
    if view_dataset is not None:
        for group in Group.objects.filter(name__in=DATASET_GROUPS):
            group.permissions.remove(view_dataset)


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0002_contests_teams_submissions"),
        ("accounts", "0003_admin_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
