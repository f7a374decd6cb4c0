from django.db import migrations


def create_groups(apps, schema_editor):
    """The contest organizers' group, with access to the Wagtail admin.

    Wagtail's own migrations create "Editors" and "Moderators"; accounts.services maps
    the editor and moderator roles onto them.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    organizers, _ = Group.objects.get_or_create(name="Contest organizers")
    organizers.permissions.add(access_admin)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Contest organizers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
