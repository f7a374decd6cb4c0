"""Demo conversations: a question before answering an application, and a working match."""

from accounts.models import User
from marketplace.models import Application, ApplicationStatus

from . import services

ORDER = 40

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


def seed(ctx) -> None:
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
        conversation = services.conversation_for(application)
        if conversation is None or conversation.last_seq > 2:
            continue  # seeded before
        resident = application.resident
        member = User.objects.filter(
            memberships__organization=application.task.organization
        ).first()
        for side, body in replies:
            services.send_message(
                resident if side == "resident" else member, conversation.pk, body=body
            )
        ctx.say(f"  messages: {conversation.title} ({len(replies)} replies)")
