"""Related words on a synonym group: found by a search for the group's words, not the
other way round. The flyer group gets design: an organization looking for someone to
design its flyer finds the designers, whose profiles never say チラシ."""

from django.db import migrations, models

FLYERS = "チラシ, フライヤー, ビラ, ポスター, flyer, leaflet, poster"
DESIGN = "デザイン, デザイナー, design, designer"


def load(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(terms=FLYERS, related="").update(
        related=DESIGN
    )


def unload(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(terms=FLYERS).update(related="")


class Migration(migrations.Migration):
    dependencies = [("search", "0009_search_text_out_of_line")]
    operations = [
        migrations.AddField(
            model_name="synonym",
            name="related",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Optional. Words a search for one of the words above also finds, but "
                    "not the other way round, e.g. デザイン, デザイナー for a group of "
                    "チラシ, ポスター (a flyer is design work; not every design is a flyer)."
                ),
                verbose_name="related words",
            ),
        ),
        migrations.RunPython(load, unload),
    ]
