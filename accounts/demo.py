"""Demo people: staff with each role, and residents across the 23 wards."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from core.demo import DEMO_PASSWORD
from core.models import Ward

from . import services
from .models import ConsentPurpose, ConsentRecord, Role, RoleAssignment, User

ORDER = 10

SURNAMES = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
]
GIVEN_NAMES = [
    "陽菜",
    "結衣",
    "美咲",
    "彩",
    "葵",
    "さくら",
    "真央",
    "優子",
    "恵",
    "里奈",
    "翔太",
    "大輔",
    "健太",
    "拓也",
    "蓮",
    "悠真",
    "湊",
    "誠",
    "浩二",
    "直樹",
]

# (e-mail, display name, role, ward code or None, superuser?)
STAFF = [
    ("admin@example.jp", "管理者", None, None, True),
    ("moderator@example.jp", "区 管理担当 小川", Role.MODERATOR, None, False),
    ("editor@example.jp", "広報 編集担当 石井", Role.EDITOR, None, False),
    (
        "organizer.koto@example.jp",
        "江東区 デジタル推進課 森",
        Role.CONTEST_ORGANIZER,
        "131083",
        False,
    ),
    ("judge@example.jp", "審査員 橋本", Role.JUDGE, None, False),
    (
        "support.taito@example.jp",
        "デジタル活用支援員 阿部",
        Role.SUPPORT_VOLUNTEER,
        "131067",
        False,
    ),
]

# Residents the core flows start from (DOMAIN.md): the 世田谷区 designer, and others.
NAMED_RESIDENTS = [
    ("aya.yamada@example.jp", "山田 彩"),
    ("kenta.sato@example.jp", "佐藤 健太"),
    ("misaki.suzuki@example.jp", "鈴木 美咲"),
    ("emily.clark@example.jp", "Emily Clark"),
]

RESIDENTS_PER_SCALE = 60


def _create_verified_user(
    email: str, display_name: str, *, superuser=False, language="ja"
) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user:
        return user, False
    if superuser:
        user = User.objects.create_superuser(email, DEMO_PASSWORD, display_name=display_name)
    else:
        user = User.objects.create_user(email, DEMO_PASSWORD, display_name=display_name)
    services.complete_signup(
        user, display_name=display_name, language=language, recommendations=True
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, True


def seed(ctx) -> None:
    wards = {ward.code: ward for ward in Ward.objects.all()}
    for email, name, role, ward_code, superuser in STAFF:
        user, _created = _create_verified_user(email, name, superuser=superuser)
        if role:
            services.grant_role(user, role, ward=wards.get(ward_code) if ward_code else None)
        ctx.users[email] = user

    for email, name in NAMED_RESIDENTS:
        language = "en" if name.isascii() else "ja"
        user, _created = _create_verified_user(email, name, language=language)
        services.grant_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
        ctx.users[email] = user
        ctx.residents.append(user)

    _bulk_residents(ctx, RESIDENTS_PER_SCALE * ctx.scale)
    ctx.figures["users"] = User.objects.count()


def _bulk_residents(ctx, count: int) -> None:
    """Many residents at once, with the same rows complete_signup() writes.

    Bulk inserts keep `--scale 1000` (60,000 residents) to a couple of minutes; the
    password hash is computed once because hashing is deliberately slow.
    """
    existing = set(
        User.objects.filter(email__startswith="resident.").values_list("email", flat=True)
    )
    password = make_password(DEMO_PASSWORD)
    rng = ctx.random
    batch = []
    for index in range(count):
        email = f"resident.{index:06d}@example.jp"
        if email in existing:
            continue
        name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}"
        batch.append(User(email=email, display_name=name, password=password, language="ja"))
    created = User.objects.bulk_create(batch, batch_size=2000)
    created_users = list(
        User.objects.filter(email__in=[u.email for u in created]).only("id", "email")
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in created_users],
        batch_size=2000,
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=Role.RESIDENT) for u in created_users], batch_size=2000
    )
    consents = []
    for user in created_users:
        consents.append(ConsentRecord(user=user, purpose=ConsentPurpose.TERMS))
        # About 70% of residents choose to be discoverable, 40% want recommendations.
        if rng.random() < 0.7:
            consents.append(ConsentRecord(user=user, purpose=ConsentPurpose.PROFILE_DISCOVERABLE))
        if rng.random() < 0.4:
            consents.append(ConsentRecord(user=user, purpose=ConsentPurpose.RECOMMENDATIONS))
    ConsentRecord.objects.bulk_create(consents, batch_size=2000)
    ctx.residents.extend(created_users)
