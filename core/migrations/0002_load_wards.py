from django.db import migrations

from core.wards import read_wards_csv


def load_wards(apps, schema_editor):
    Ward = apps.get_model("core", "Ward")
    for row in read_wards_csv():
        Ward.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_ja": row["name_ja"],
                "name_kana": row["name_kana"],
                "name_en": row["name_en"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_wards, migrations.RunPython.noop)]
