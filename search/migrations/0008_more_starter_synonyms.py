"""More of the words residents type, found missing by the search benchmark (登録方法,
ポスター, 会計士, 減災, 名所, 高齢者, ホームページ for web people). A group an editor has
changed since it was shipped is left as the editor made it."""

from django.db import migrations

# (as shipped in 0006, as it is now); None: a new group, or one merged into another.
CHANGES = [
    (
        "HP, ホームページ, Webサイト, ウェブサイト, website, web site, サイト",
        "HP, ホームページ, Webサイト, ウェブサイト, website, web site, サイト, Web",
    ),
    (
        "チラシ, フライヤー, ビラ, flyer, leaflet",
        "チラシ, フライヤー, ビラ, ポスター, flyer, leaflet, poster",
    ),
    ("ポスター, poster", None),
    (
        "防災, 災害, 避難, disaster, evacuation",
        "防災, 減災, 災害, 避難, disaster, evacuation",
    ),
    (
        "観光, 旅行, tourism, tourist, インバウンド",
        "観光, 旅行, 名所, 観光スポット, 見どころ, tourism, tourist, sightseeing, インバウンド",
    ),
    (
        "高齢者, シニア, お年寄り, elderly, senior",
        "高齢者, シニア, お年寄り, おばあちゃん, おじいちゃん, elderly, senior",
    ),
]
NEW = [
    ("会計士, 公認会計士, 税理士, accountant, tax accountant", "会計・経理"),
    ("登録方法, 登録, 会員登録, 新規登録, アカウント作成, sign up, register", "使い方"),
]


def load(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for shipped, now in CHANGES:
        groups = Synonym.objects.filter(terms=shipped)
        if now is None:
            groups.delete()
        else:
            groups.update(terms=now)
    for terms, note in NEW:
        if not Synonym.objects.filter(terms=terms).exists():
            Synonym.objects.create(terms=terms, note=note)


def unload(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms, _note in NEW:
        Synonym.objects.filter(terms=terms).delete()
    for shipped, now in CHANGES:
        if now is None:
            if not Synonym.objects.filter(terms=shipped).exists():
                Synonym.objects.create(terms=shipped, note="デザイン")
        else:
            Synonym.objects.filter(terms=now).update(terms=shipped)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_search_text_apart")]
    operations = [migrations.RunPython(load, unload)]
