# Step 3 of 3 of moving reports and blocks to the moderation app: the models leave this
# app's state; their tables (renamed in 0005) now belong to moderation.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0005_move_reports_and_blocks_tables"),
        ("moderation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Report"),
                migrations.DeleteModel(name="Block"),
            ]
        )
    ]
