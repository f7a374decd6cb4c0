from django.db import migrations


def create_homepage(apps, schema_editor):
    """Replace Wagtail's welcome page with the site's HomePage, and add the English locale."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("cms", "HomePage")

    japanese, _ = Locale.objects.get_or_create(language_code="ja")
    Locale.objects.get_or_create(language_code="en")

    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
    root = Page.objects.get(depth=1)

    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    title = "特別区 関係人口・シビックテック"
    home = HomePage.objects.create(
        title=title,
        draft_title=title,
        slug="home",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=japanese,
        live=True,
        hero_title="区を越えて、あなたのスキルを地域へ",
        hero_lead=(
            "商店街・中小企業・NPOの「手が足りない」と、23区に暮らし働く人の"
            "「スキルで役に立ちたい」をつなぎます。転職なし、在宅からでも参加できます。"
        ),
        hero_links="[]",
        body="[]",
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                        site_name="特別区 関係人口・シビックテック")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailcore", "0054_initial_locale"),
    ]
    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
