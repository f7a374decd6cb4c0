"""Demo board: organizations across the wards, residents' skills profiles, tasks, and a
few applications and matches, so every page has something real to show.

Named records go through the services; the `--scale` filler (120 tasks and 60 resident
profiles per unit) is bulk-inserted with the same values the services would write.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from accounts.services import complete_signup
from core.demo import DEMO_PASSWORD
from core.models import Ward
from messaging import services as messaging

from . import services
from .models import (
    Application,
    ApplicationStatus,
    MembershipRole,
    Organization,
    OrganizationKind,
    ResidentProfile,
    ResidentSkill,
    SkillCategory,
    Task,
    TaskStatus,
    VerificationStatus,
    WorkStyle,
)

ORDER = 30
TASKS_PER_SCALE = 120

# (name, kind, ward code, address, description, verified)
ORGANIZATIONS = [
    (
        "かっぱ橋本通り商店会",
        OrganizationKind.SHOTENGAI,
        "131067",
        "東京都台東区西浅草1-1-1",
        "道具の街・かっぱ橋の老舗が集まる商店会です。観光客と地域の方に愛される街を目指しています。",
        True,
    ),
    (
        "砂町銀座商店街振興組合",
        OrganizationKind.SHOTENGAI,
        "131083",
        "東京都江東区北砂4-18-14",
        "約180店が並ぶ下町の商店街。お惣菜とおもてなしの街です。",
        True,
    ),
    (
        "NPO法人 あだち子ども食堂ネットワーク",
        OrganizationKind.NPO,
        "131211",
        "東京都足立区千住2-1-1",
        "区内12か所の子ども食堂をつなぎ、食材の配分とボランティアの調整をしています。",
        True,
    ),
    (
        "株式会社 蒲田精密",
        OrganizationKind.SME,
        "131113",
        "東京都大田区蒲田本町1-2-3",
        "従業員15名の精密部品の町工場です。技術を次の世代に伝えたいと考えています。",
        True,
    ),
    (
        "戸越銀座商店街連合会",
        OrganizationKind.SHOTENGAI,
        "131091",
        "東京都品川区戸越1-15-16",
        "全長1.3kmの商店街です。空き店舗の活用とイベントに力を入れています。",
        True,
    ),
    (
        "NPO法人 なかの多文化共生フォーラム",
        OrganizationKind.NPO,
        "131148",
        "東京都中野区中野4-8-1",
        "外国にルーツを持つ住民の生活相談と日本語教室を運営しています。",
        True,
    ),
    (
        "ねりま農園クラブ",
        OrganizationKind.OTHER,
        "131202",
        "東京都練馬区豊玉北6-12-1",
        "区民農園で野菜づくりと食育のイベントを開いている任意団体です。",
        True,
    ),
    (
        "すみだ町工場ものづくり協同組合",
        OrganizationKind.SME,
        "131075",
        "東京都墨田区吾妻橋1-23-20",
        "墨田区の町工場15社の協同組合。オープンファクトリーを毎年開催しています。",
        True,
    ),
    (
        "NPO法人 えどがわ防災ネット",
        OrganizationKind.NPO,
        "131237",
        "東京都江戸川区中央1-4-1",
        "水害に備える地域の防災訓練と、要配慮者の避難支援をしています。",
        True,
    ),
    (
        "巣鴨地蔵通り商店街振興組合",
        OrganizationKind.SHOTENGAI,
        "131164",
        "東京都豊島区巣鴨3-1-1",
        "「おばあちゃんの原宿」として知られる商店街です。",
        True,
    ),
    (
        "下北沢一番街商店街",
        OrganizationKind.SHOTENGAI,
        "131121",
        "東京都世田谷区北沢2-1-1",
        "古着と音楽の街・下北沢の商店街です。",
        True,
    ),
    (
        "株式会社 やなか手ぬぐい工房",
        OrganizationKind.SME,
        "131181",
        "東京都荒川区西日暮里3-1-1",
        "手ぬぐいの染めと販売をしている小さな工房です。",
        False,
    ),
]

# (category code, title, description, deliverable, hours/week, weeks, remote)
TASK_TEMPLATES = [
    (
        "sns",
        "SNSでの情報発信を手伝ってほしい",
        "商店街のInstagramとXの投稿を一緒に考え、週に数回の発信を続けられる仕組みを作りたいです。",
        "投稿カレンダーと運用ルール、最初の1か月分の投稿",
        3,
        8,
        WorkStyle.REMOTE,
    ),
    (
        "web",
        "ホームページをスマホ対応にしたい",
        "10年前に作ったホームページがスマートフォンで読みにくく、更新もできていません。",
        "スマートフォン対応のホームページと更新マニュアル",
        5,
        12,
        WorkStyle.REMOTE,
    ),
    (
        "accounting",
        "会計ソフトへの移行を手伝ってほしい",
        "手書きの帳簿をクラウド会計に移し、毎月の経理を楽にしたいです。",
        "会計ソフトの初期設定と、月次作業の手順書",
        2,
        8,
        WorkStyle.EITHER,
    ),
    (
        "translation",
        "英語と中国語のメニューを作りたい",
        "外国人のお客様が増えました。お店のメニューと店頭の案内を翻訳してほしいです。",
        "英語・中国語のメニューと店頭掲示",
        2,
        4,
        WorkStyle.REMOTE,
    ),
    (
        "photo-video",
        "商品写真を撮影してほしい",
        "ネット販売を始めるため、商品約50点の写真が必要です。",
        "商品写真50点（加工済み）",
        4,
        3,
        WorkStyle.ONSITE,
    ),
    (
        "events",
        "夏祭りの企画と当日運営",
        "商店街の夏祭りを、若い世代も来たくなるイベントにしたいです。",
        "企画書と当日の運営マニュアル",
        3,
        10,
        WorkStyle.EITHER,
    ),
    (
        "it",
        "受発注の業務をExcelから効率化したい",
        "FAXとExcelで受発注を管理しており、毎日2時間かかっています。",
        "業務フローの見直し案と、簡単な管理ツール",
        3,
        8,
        WorkStyle.EITHER,
    ),
    (
        "fundraising",
        "補助金の申請書づくりを手伝ってほしい",
        "区の商店街活性化補助金に申請したいのですが、書類づくりに慣れていません。",
        "申請書の下書きと添付資料",
        2,
        6,
        WorkStyle.REMOTE,
    ),
    (
        "design",
        "ロゴとチラシをデザインしてほしい",
        "団体の活動を知ってもらうため、ロゴとA4チラシを作りたいです。",
        "ロゴ（データ一式）とA4チラシ",
        3,
        6,
        WorkStyle.REMOTE,
    ),
    (
        "legal",
        "ボランティア規約を見直したい",
        "活動中のけがや個人情報の扱いについて、規約を整えたいです。",
        "ボランティア規約と同意書の案",
        1,
        4,
        WorkStyle.REMOTE,
    ),
]

HEADLINES = {
    "web": "Webエンジニア（フロントエンド）",
    "sns": "SNSマーケター",
    "design": "グラフィックデザイナー",
    "accounting": "経理・会計の実務10年",
    "translation": "英語・中国語の翻訳者",
    "photo-video": "フォトグラファー",
    "events": "イベントプランナー",
    "it": "業務改善コンサルタント",
    "legal": "企業法務の経験あり",
    "fundraising": "NPOの資金調達を担当",
}


def seed(ctx) -> None:
    wards = {ward.code: ward for ward in Ward.objects.all()}
    categories = {category.code: category for category in SkillCategory.objects.all()}
    moderator = ctx.users.get("moderator@example.jp") or User.objects.get(
        email="moderator@example.jp"
    )
    organizations = _seed_organizations(ctx, wards, moderator)
    _seed_named_profiles(ctx, wards, categories)
    tasks = _seed_named_tasks(ctx, organizations, categories)
    _seed_activity(ctx, tasks)
    _seed_conversations(ctx)
    _bulk_profiles(ctx, wards, categories)
    _bulk_tasks(ctx, organizations, categories, TASKS_PER_SCALE * ctx.scale)
    _count(ctx)


def _count(ctx) -> None:
    ctx.figures["organizations"] = Organization.objects.count()
    ctx.figures["open tasks"] = Task.objects.filter(status=TaskStatus.OPEN).count()
    ctx.figures["resident profiles"] = ResidentProfile.objects.count()


def _seed_organizations(ctx, wards, moderator) -> list[Organization]:
    organizations = []
    for index, (name, kind, ward, address, description, verified) in enumerate(ORGANIZATIONS):
        organization = Organization.objects.filter(name=name).first()
        if organization is None:
            email = f"org{index:02d}@example.jp"
            owner = User.objects.filter(email=email).first()
            if owner is None:
                owner = User.objects.create_user(email, DEMO_PASSWORD)
                complete_signup(
                    owner, display_name=f"{name} 担当", language="ja", recommendations=False
                )
                EmailAddress.objects.create(user=owner, email=email, verified=True, primary=True)
            organization = services.register_organization(
                owner,
                name=name,
                kind=kind,
                ward=wards[ward],
                address=address,
                description=description,
                contact_email=email,
                contact_phone=f"03-{5000 + index:04d}-{1000 + index:04d}",
            )
            if verified:
                organization = services.verify_organization(moderator, organization)
        organizations.append(organization)
    return organizations


# The named residents of accounts.demo, with where they live and what they do.
NAMED_PROFILES = {
    "aya.yamada@example.jp": ("131121", ["sns", "design"], "Webデザイナー・SNS運用5年"),
    "kenta.sato@example.jp": (
        "131041",
        ["accounting", "it"],
        "税理士事務所勤務、会計ソフトに詳しい",
    ),
    "misaki.suzuki@example.jp": (
        "131083",
        ["photo-video", "events"],
        "フォトグラファー、週末に活動",
    ),
    "emily.clark@example.jp": (
        "131130",
        ["translation", "web"],
        "Translator (EN/JA), front-end developer",
    ),
}


def _seed_named_profiles(ctx, wards, categories) -> None:
    for email, (ward, skills, headline) in NAMED_PROFILES.items():
        user = User.objects.get(email=email)
        if ResidentProfile.objects.filter(user=user).exists():
            continue
        services.save_resident_profile(
            user,
            skills={categories[code]: 3 for code in skills},
            discoverable=True,
            home_ward=wards[ward],
            headline=headline,
            bio="平日の夜と週末に、在宅でお手伝いできます。",
            hours_per_week=3,
            work_style=WorkStyle.REMOTE,
            languages=["ja", "en"] if "Translator" in headline else ["ja"],
        )


def _seed_named_tasks(ctx, organizations, categories) -> list[Task]:
    today = timezone.localdate()
    tasks = []
    for index, organization in enumerate(organizations):
        owner = organization.memberships.get(role=MembershipRole.OWNER).user
        for offset in range(2):
            category, title, description, deliverable, hours, weeks, style = TASK_TEMPLATES[
                (index * 3 + offset) % len(TASK_TEMPLATES)
            ]
            if organization.tasks.filter(title=title).exists():
                continue
            task = services.create_task(
                owner,
                organization,
                skills=[categories[category]],
                title=title,
                description=description,
                category=categories[category],
                ward=organization.ward,
                work_style=style,
                hours_per_week=hours,
                duration_weeks=weeks,
                deliverable=deliverable,
                apply_deadline=today + timedelta(days=14 + 7 * ((index + offset) % 6)),
                people_wanted=1 + (index + offset) % 2,
            )
            tasks.append(services.publish_task(owner, task))
    return tasks


def _seed_activity(ctx, tasks) -> None:
    """A few applications, a match in progress and a completed one with hours."""
    open_tasks = [t for t in tasks if t.status == TaskStatus.OPEN]
    if not open_tasks or Application.objects.exists():
        return
    aya = User.objects.get(email="aya.yamada@example.jp")
    kenta = User.objects.get(email="kenta.sato@example.jp")
    misaki = User.objects.get(email="misaki.suzuki@example.jp")
    sns_task = next(t for t in open_tasks if t.category.code == "sns")
    services.apply_to_task(
        aya, sns_task, "SNS運用を5年担当しています。週3時間、在宅でお手伝いできます。"
    )

    accounting = next(t for t in open_tasks if t.category.code == "accounting")
    owner = accounting.organization.memberships.first().user
    match = services.accept_application(
        owner,
        services.apply_to_task(kenta, accounting, "会計ソフトの導入を何度も手伝ってきました。"),
    )
    services.start_task(owner, accounting)
    entry = services.log_hours(kenta, match, date=timezone.localdate(), hours=2, note="初期設定")
    services.decide_hours(owner, entry, confirm=True)

    photo = next((t for t in open_tasks if t.category.code == "photo-video"), None)
    if photo is not None:
        photo_owner = photo.organization.memberships.first().user
        services.invite_resident(photo_owner, photo, misaki, "写真の撮影をお願いできませんか。")


PENDING_REPLIES = [
    ("org", "ご応募ありがとうございます！商店街のInstagramは今フォロワー300人ほどです。"),
    ("org", "一度オンラインで30分ほどお話しできますか？来週の平日夜だと助かります。"),
    ("resident", "ありがとうございます。来週の火曜か木曜の20時以降なら大丈夫です。"),
]
MATCH_REPLIES = [
    ("org", "マッチングありがとうございます。初回の打ち合わせは店舗で行いましょう。"),
    ("resident", "承知しました。会計ソフトの候補を3つ比較した資料をお持ちします。"),
    ("org", "助かります。レシートの整理方法も相談させてください。"),
]


def _seed_conversations(ctx) -> None:
    """A question before answering an application, and a working match."""
    for email, status, replies in (
        ("aya.yamada@example.jp", ApplicationStatus.PENDING, PENDING_REPLIES),
        ("kenta.sato@example.jp", ApplicationStatus.ACCEPTED, MATCH_REPLIES),
    ):
        application = (
            Application.objects.filter(resident__email=email, status=status)
            .select_related("task__organization")
            .first()
        )
        if application is None:
            continue
        conversation = messaging.conversation_for(application)
        if conversation is None or conversation.last_seq > 2:
            continue  # seeded before
        resident = application.resident
        member = User.objects.filter(
            memberships__organization=application.task.organization
        ).first()
        for side, body in replies:
            messaging.send_message(
                resident if side == "resident" else member, conversation.pk, body=body
            )
        ctx.say(f"  messages: {conversation.title} ({len(replies)} replies)")


def _bulk_profiles(ctx, wards, categories) -> None:
    """Skills profiles for the bulk residents of accounts.demo, spread over the wards."""
    rng = ctx.random
    users = list(
        User.objects.filter(email__startswith="resident.", resident_profile__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    ward_list = list(wards.values())
    codes = list(categories)
    styles = [WorkStyle.REMOTE, WorkStyle.EITHER, WorkStyle.ONSITE]
    profiles = []
    for user_id in users:
        main = rng.choice(codes)
        profiles.append(
            ResidentProfile(
                user_id=user_id,
                home_ward=rng.choice(ward_list),
                headline=HEADLINES[main],
                hours_per_week=rng.choice([1, 2, 3, 5, 8]),
                work_style=rng.choice(styles),
                available_weekdays=rng.random() < 0.3,
                available_evenings=True,
                available_weekends=rng.random() < 0.7,
                languages=["ja"],
            )
        )
    ResidentProfile.objects.bulk_create(profiles, batch_size=2000)
    created = ResidentProfile.objects.filter(user_id__in=users).values_list("id", "headline")
    by_headline = {headline: code for code, headline in HEADLINES.items()}
    skills = []
    for profile_id, headline in created:
        main = by_headline[headline]
        skills.append(ResidentSkill(profile_id=profile_id, category=categories[main], level=3))
        extra = rng.choice(codes)
        if extra != main:
            skills.append(ResidentSkill(profile_id=profile_id, category=categories[extra], level=2))
    ResidentSkill.objects.bulk_create(skills, batch_size=5000)


def _bulk_tasks(ctx, organizations, categories, count: int) -> None:
    verified = [o for o in organizations if o.status == VerificationStatus.VERIFIED]
    already = Task.objects.filter(title__endswith="（募集）").count()
    rng = ctx.random
    now = timezone.now()
    today = timezone.localdate()
    tasks = []
    for index in range(already, count):
        organization = verified[index % len(verified)]
        category, title, description, deliverable, hours, weeks, style = TASK_TEMPLATES[
            index % len(TASK_TEMPLATES)
        ]
        tasks.append(
            Task(
                organization=organization,
                title=f"{title}（募集）",
                description=description,
                category=categories[category],
                ward=organization.ward,
                work_style=style,
                hours_per_week=hours + rng.randint(0, 3),
                duration_weeks=weeks,
                deliverable=deliverable,
                apply_deadline=today + timedelta(days=rng.randint(3, 90)),
                people_wanted=1,
                status=TaskStatus.OPEN,
                published_at=now - timedelta(minutes=rng.randint(0, 60 * 24 * 60)),
                application_count=rng.randint(0, 6),
            )
        )
    Task.objects.bulk_create(tasks, batch_size=2000)
    through = Task.skills.through
    new = (
        Task.objects.filter(title__endswith="（募集）")
        .exclude(pk__in=through.objects.values("task_id"))
        .values_list("id", "category_id")
    )
    through.objects.bulk_create(
        [through(task_id=task_id, skillcategory_id=category_id) for task_id, category_id in new],
        batch_size=5000,
    )
