from django.db import migrations

CATEGORIES = [
    ("web", "Web制作", "Web design and development"),
    ("sns", "SNS運用", "Social media"),
    ("design", "デザイン", "Graphic design"),
    ("accounting", "会計・経理", "Accounting and bookkeeping"),
    ("translation", "翻訳", "Translation"),
    ("photo-video", "写真・動画", "Photography and video"),
    ("events", "イベント企画", "Event planning"),
    ("it", "IT・業務効率化", "IT and process automation"),
    ("legal", "法務", "Legal"),
    ("fundraising", "資金調達", "Fundraising and grants"),
]


def load(apps, schema_editor):
    SkillCategory = apps.get_model("marketplace", "SkillCategory")
    for order, (code, ja, en) in enumerate(CATEGORIES):
        SkillCategory.objects.update_or_create(
            code=code, defaults={"name_ja": ja, "name_en": en, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
