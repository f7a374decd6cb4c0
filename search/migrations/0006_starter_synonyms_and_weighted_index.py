from django.db import migrations

# The starter set: the board's categories and skills and the contests' themes, in the
# words residents type. Editors and moderators extend it in the admin (検索の同義語).
STARTER = [
    ("HP, ホームページ, Webサイト, ウェブサイト, website, web site, サイト", "Web制作"),
    ("Web制作, ウェブ制作, ホームページ制作, サイト制作, web design", "Web制作"),
    ("SNS, ソーシャルメディア, social media", "SNS運用"),
    ("インスタ, インスタグラム, Instagram", "SNS運用"),
    ("ツイッター, Twitter, X", "SNS運用"),
    ("フェイスブック, Facebook", "SNS運用"),
    ("デザイン, design, デザイナー, designer", "デザイン"),
    ("チラシ, フライヤー, ビラ, flyer, leaflet", "デザイン"),
    ("ポスター, poster", "デザイン"),
    ("ロゴ, logo, ロゴマーク", "デザイン"),
    ("会計, 経理, 帳簿, 簿記, 記帳, bookkeeping, accounting", "会計・経理"),
    ("確定申告, 申告, tax return", "会計・経理"),
    ("会計ソフト, 会計システム, freee, マネーフォワード", "会計・経理"),
    ("翻訳, translation, translator, 通訳, interpreter", "翻訳"),
    ("英語, English, 英訳", "翻訳"),
    ("中国語, Chinese, 中文", "翻訳"),
    ("多言語, multilingual, 外国語", "翻訳"),
    ("写真, 撮影, フォト, photo, photography, カメラマン, photographer", "写真・動画"),
    ("動画, ビデオ, 映像, video, YouTube, ユーチューブ", "写真・動画"),
    ("イベント, 催し, 行事, event", "イベント企画"),
    ("祭り, お祭り, まつり, festival", "イベント企画"),
    ("ワークショップ, 講座, 教室, workshop", "イベント企画"),
    ("IT, ICT, デジタル, DX", "IT・業務効率化"),
    ("パソコン, PC, computer", "IT・業務効率化"),
    ("パワポ, パワーポイント, PowerPoint, プレゼン資料, スライド", "IT・業務効率化"),
    ("エクセル, Excel, 表計算, スプレッドシート, spreadsheet", "IT・業務効率化"),
    ("ワード, Word, 文書作成", "IT・業務効率化"),
    ("業務効率化, 効率化, 自動化, automation", "IT・業務効率化"),
    ("キャッシュレス, 電子決済, QRコード決済, cashless", "IT・業務効率化"),
    ("ネット予約, 予約システム, オンライン予約, booking", "IT・業務効率化"),
    ("法務, 法律, 契約書, legal, 弁護士", "法務"),
    ("助成金, 補助金, 資金調達, 寄付, クラウドファンディング, grant, fundraising", "資金調達"),
    ("NPO, NPO法人, 非営利, nonprofit", "団体"),
    ("商店街, 商店会, shopping street", "団体"),
    ("子育て, 子ども, こども, 子供, 育児, children, childcare", "テーマ"),
    ("高齢者, シニア, お年寄り, elderly, senior", "テーマ"),
    ("防災, 災害, 避難, disaster, evacuation", "テーマ"),
    ("観光, 旅行, tourism, tourist, インバウンド", "テーマ"),
    ("バリアフリー, アクセシビリティ, accessibility, barrier-free", "テーマ"),
    ("オープンデータ, open data, 公開データ, データセット, dataset", "コンテスト"),
    ("コンテスト, コンペ, チャレンジ, ハッカソン, contest, challenge, hackathon", "コンテスト"),
    ("アプリ, アプリケーション, app, application", "コンテスト"),
    ("リモート, 在宅, オンライン, remote, online", "働き方"),
    ("ボランティア, プロボノ, 無償, volunteer, pro bono", "働き方"),
]

GROUPS = ("Editors", "Moderators")
ACTIONS = ("add", "change", "delete", "view")


def load(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms, note in STARTER:
        Synonym.objects.get_or_create(terms=terms, defaults={"note": note})

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    synonym_type, _ = ContentType.objects.get_or_create(app_label="search", model="synonym")
    permissions = [
        Permission.objects.get_or_create(
            content_type=synonym_type,
            codename=f"{action}_synonym",
            defaults={"name": f"Can {action} synonym group"},
        )[0]
        for action in ACTIONS
    ]
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)

    if schema_editor.connection.vendor == "postgresql":
        # Title terms weigh above the rest (search.backends.embedded.TSVECTOR); the index
        # is on that expression. Documents need `manage.py search_rebuild` afterwards.
        schema_editor.execute("DROP INDEX IF EXISTS search_document_terms_gin")
        schema_editor.execute(
            "CREATE INDEX search_document_weighted_gin ON search_searchdocument USING GIN "
            "((setweight(to_tsvector('simple', title_terms), 'A') || "
            "setweight(to_tsvector('simple', terms), 'B')))"
        )


def unload(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.all().delete()
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_weighted_gin")
        schema_editor.execute(
            "CREATE INDEX search_document_terms_gin ON search_searchdocument "
            "USING GIN (to_tsvector('simple', terms))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_synonyms_readings_vocabulary"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]
    operations = [migrations.RunPython(load, unload)]
