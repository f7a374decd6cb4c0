# Step 2 of 3 of moving reports and blocks from marketplace: take over the tables that
# marketplace 0005 renamed (state only, no data touched), move their content types so
# existing generic references and permissions follow, then add what is new: the ward.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("report", "block"):
        old = ContentType.objects.filter(app_label="marketplace", model=model).first()
        if old is None:
            continue
        ContentType.objects.filter(app_label="moderation", model=model).delete()
        old.app_label = "moderation"
        old.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="moderation", model__in=["report", "block"]).update(
        app_label="marketplace"
    )


REASONS = [
    ("spam", "Spam or advertising"),
    ("inappropriate", "Inappropriate content"),
    ("harassment", "Harassment or abusive messages"),
    ("paid_work", "Paid work disguised as volunteering"),
    ("personal_data", "Asks for or exposes personal data"),
    ("other", "Other"),
]
STATUSES = [("open", "Open"), ("resolved", "Action taken"), ("dismissed", "No action needed")]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_load_wards"),
        ("marketplace", "0005_move_reports_and_blocks_tables"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Report",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("target_id", models.PositiveBigIntegerField()),
                        ("reason", models.CharField(choices=REASONS, max_length=16, verbose_name="reason")),
                        ("details", models.TextField(blank=True, max_length=2000, verbose_name="details")),
                        ("status", models.CharField(choices=STATUSES, db_index=True, default="open", max_length=12, verbose_name="status")),
                        ("handled_at", models.DateTimeField(blank=True, null=True)),
                        ("resolution", models.TextField(blank=True, verbose_name="what was done")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("handled_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("reporter", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reports_made", to=settings.AUTH_USER_MODEL)),
                        ("target_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype")),
                    ],
                    options={
                        "verbose_name": "report",
                        "verbose_name_plural": "reports",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["target_type", "target_id"], name="marketplace_target__902138_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="Block",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("blocked", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("blocker", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="blocks", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "constraints": [
                            models.UniqueConstraint(fields=("blocker", "blocked"), name="unique_block"),
                            models.CheckConstraint(condition=models.Q(("blocker", models.F("blocked")), _negated=True), name="no_self_block"),
                        ],
                    },
                ),
            ]
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.RenameIndex(
            model_name="report", new_name="report_target_idx", old_name="marketplace_target__902138_idx"
        ),
        migrations.AddField(
            model_name="report",
            name="ward",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="core.ward", verbose_name="ward"),
        ),
    ]
