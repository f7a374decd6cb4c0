# Reports and blocks move to the moderation app. Step 1 of 3: the tables take the names
# the moderation app expects; moderation 0001 then takes the models over without
# touching the data, and 0006 drops them from this app's state.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0004_alter_report_reason"),
    ]

    operations = [
        migrations.AlterModelTable(name="report", table="moderation_report"),
        migrations.AlterModelTable(name="block", table="moderation_block"),
    ]
