"""Data rights (個人情報保護法): downloading one's data, and closing the account (退会).

Wording is checked in English (the Japanese catalogue is merged separately); everything
else is checked in the default language.
"""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts import closing, data_export, personal_data, services
from accounts.models import ConsentPurpose, DataExport, Role, User
from core.errors import NotFound, RateLimited
from core.models import ActivityLog
from marketplace import services as board
from marketplace.models import (
    Application,
    ApplicationStatus,
    Match,
    MatchStatus,
    Membership,
    MembershipRole,
    Organization,
    ResidentProfile,
    Review,
    TaskStatus,
)
from messaging import services as messaging
from messaging.models import Attachment, Message
from moderation import services as moderation
from moderation.models import Block
from tests.marketplace import factories as f
from tests.messaging.factories import png_bytes, upload

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CLOSE_URL = "/en/accounts/close/"


@pytest.fixture(autouse=True)
def private_storage(tmp_path, monkeypatch):
    """Exports and attachments go to a temporary folder instead of var/private."""
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(DataExport._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture(autouse=True)
def _quiet_broadcasts(monkeypatch):
    monkeypatch.setattr("messaging.services.group_send", lambda *args: None)
    monkeypatch.setattr("messaging.services.send_user_event", lambda *args: None)


def completed_match(**resident_fields):
    """A 世田谷区 designer matched with a 台東区 商店街: hours, reviews both ways, messages."""
    org = f.organization()
    member = org.memberships.get().user
    task = f.task(org)
    resident = f.resident(display_name="山田 彩", **resident_fields)
    application = board.apply_to_task(resident, task, "はじめまして。SNS運用を5年やっています。")
    match = board.accept_application(member, application)
    board.log_hours(
        resident, match, date=timezone.localdate(), hours=Decimal("2.5"), note="投稿案の作成"
    )
    board.confirm_completion(resident, match)
    board.confirm_completion(member, match)
    match.refresh_from_db()
    board.leave_review(resident, match, rating=5, comment="楽しく取り組めました")
    board.leave_review(member, match, rating=4, comment="丁寧な投稿をありがとうございました")
    conversation = messaging.conversation_for(application)
    messaging.send_message(
        resident,
        conversation.pk,
        body="来週の投稿案を送ります",
        files=[upload("投稿案.png", png_bytes(), "image/png")],
    )
    messaging.send_message(member, conversation.pk, body="メンバーだけが書いた返事")
    return resident, member, org, match


def prepared_export(user, capture) -> DataExport:
    with capture(execute=True):
        export = data_export.request_export(user)
    export.refresh_from_db()
    return export


def export_json(export: DataExport) -> dict:
    with export.file.open("rb") as file:
        return json.loads(file.read().decode("utf-8"))


def reauthenticate(client, password=PASSWORD):
    return client.post(reverse("account_reauthenticate"), {"password": password})


# --- The registry ----------------------------------------------------------------------


def test_every_app_declares_its_personal_data_and_the_account_goes_last():
    keys = [section.key for section in personal_data.sections()]
    assert {"account", "board", "messages", "moderation"} <= set(keys)
    assert keys[-1] == "account"


def test_a_section_must_name_its_key_and_implement_export_and_erase():
    class Nameless(personal_data.PersonalDataSection):
        def export(self, user):
            return {}

        def erase(self, user, answers):
            return {}

    class Incomplete(personal_data.PersonalDataSection):
        key = "incomplete"

    with pytest.raises(TypeError, match="key"):
        personal_data.register(Nameless)
    with pytest.raises(TypeError):
        personal_data.register(Incomplete)


# --- Data download ---------------------------------------------------------------------


def test_export_has_every_section_with_reviews_received_and_messages_sent(
    django_capture_on_commit_callbacks,
):
    # given a resident with a whole match behind them, and a consent withdrawn
    resident, member, org, match = completed_match()
    services.grant_consent(resident, ConsentPurpose.ANALYTICS)
    services.withdraw_consent(resident, ConsentPurpose.ANALYTICS)
    other = f.resident(display_name="別の区民")
    moderation.block_user(resident, other)

    # when they ask for their data
    export = prepared_export(resident, django_capture_on_commit_callbacks)

    # then the file holds each section
    assert export.status == DataExport.Status.READY
    data = export_json(export)
    assert data["format"].endswith("/1")
    assert set(data["sections"]) >= {"account", "board", "messages", "moderation"}
    account = data["account"]
    assert account["email"] == resident.email
    assert account["display_name"] == "山田 彩"
    analytics = [c for c in account["consents"] if c["purpose"] == "analytics"]
    assert analytics and analytics[0]["withdrawn_at"] is not None  # the history, too
    assert {c["purpose"] for c in account["consents"]} >= {"terms", "profile_discoverable"}
    assert {r["role"] for r in account["roles"]} == {Role.RESIDENT}
    board_data = data["board"]
    assert board_data["profile"]["headline"] == "Webデザイナー"
    assert board_data["profile"]["home_ward"] == "世田谷区"
    assert {s["code"] for s in board_data["skills"]} == {"sns", "design"}
    assert board_data["applications"][0]["message"].startswith("はじめまして")
    [exported_match] = board_data["matches"]
    assert exported_match["organization"] == org.name
    assert exported_match["cross_ward"] is True
    assert exported_match["hours"] == [
        {
            "date": timezone.localdate().isoformat(),
            "hours": "2.5",
            "what_you_did": "投稿案の作成",
            "status": "submitted",
        }
    ]
    assert [r["comment"] for r in board_data["reviews_given"]] == ["楽しく取り組めました"]
    assert [r["comment"] for r in board_data["reviews_received"]] == [
        "丁寧な投稿をありがとうございました"
    ]
    sent = data["messages"]["sent"]
    assert [m["text"] for m in sent] == [
        "はじめまして。SNS運用を5年やっています。",
        "来週の投稿案を送ります",
    ]
    assert sent[1]["attachments"] == ["投稿案.png"]
    assert sent[1]["conversation"] == match.task.title
    assert data["moderation"]["blocked"][0]["display_name"] == "別の区民"
    # and nothing private of anyone else
    raw = export.file.open("rb").read().decode("utf-8")
    assert "メンバーだけが書いた返事" not in raw
    assert member.email not in raw
    assert other.email not in raw
    assert org.contact_email not in raw


def test_export_is_utf8_json_without_escapes_in_japan_time(django_capture_on_commit_callbacks):
    user = UserFactory(display_name="区民 花子")
    export = prepared_export(user, django_capture_on_commit_callbacks)
    raw = export.file.open("rb").read()
    assert "区民 花子".encode() in raw  # ensure_ascii=False
    assert b"\\u" not in raw
    assert export_json(export)["generated_at"].endswith("+09:00")


def test_ready_export_is_emailed_in_the_users_language_with_its_link(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(language="en")
    mail.outbox.clear()
    # The task runs after commit and queues the e-mail after its own (both run here).
    with django_capture_on_commit_callbacks(execute=True):
        export = data_export.request_export(user)
    export.refresh_from_db()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Your data is ready to download" in message.subject
    assert f"/en/accounts/data/{export.token}/" in message.body
    expires = timezone.localtime(export.expires_at).strftime("%Y-%m-%d %H:%M")
    assert expires in message.body
    assert export.expires_at - export.ready_at == timedelta(days=7)


def test_asking_again_while_preparing_returns_the_same_request():
    user = UserFactory()
    first = data_export.request_export(user)  # no commit here: still preparing
    assert data_export.request_export(user) == first
    assert user.data_exports.count() == 1


def test_a_new_copy_replaces_the_old_file(django_capture_on_commit_callbacks, private_storage):
    user = UserFactory()
    old = prepared_export(user, django_capture_on_commit_callbacks)
    old_name = old.file.name
    new = prepared_export(user, django_capture_on_commit_callbacks)
    old.refresh_from_db()
    assert new.pk != old.pk and new.status == DataExport.Status.READY
    assert old.status == DataExport.Status.EXPIRED
    assert not private_storage.exists(old_name)


def test_exports_are_limited_per_day(django_capture_on_commit_callbacks):
    user = UserFactory()
    for _n in range(data_export.MAX_EXPORTS_PER_DAY):
        prepared_export(user, django_capture_on_commit_callbacks)
    with pytest.raises(RateLimited):
        data_export.request_export(user)


def test_a_failing_section_marks_the_export_failed(django_capture_on_commit_callbacks, monkeypatch):
    user = UserFactory()
    monkeypatch.setattr(personal_data.AccountData, "export", lambda self, user: 1 / 0, raising=True)
    export = prepared_export(user, django_capture_on_commit_callbacks)
    assert export.status == DataExport.Status.FAILED
    assert not export.file


def test_export_requested_ready_and_downloaded_are_logged_without_personal_data(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    export = prepared_export(user, django_capture_on_commit_callbacks)
    client.force_login(user)
    client.get(reverse("accounts:data_export_download", args=[export.token]))
    actions = list(
        ActivityLog.objects.filter(action__startswith="accounts.data_export").values_list(
            "action", "data"
        )
    )
    assert [a for a, _d in actions] == [
        "accounts.data_export_downloaded",
        "accounts.data_export_ready",
        "accounts.data_export_requested",
    ]
    assert user.email not in json.dumps([d for _a, d in actions])


# --- Data download: the pages ----------------------------------------------------------


def test_my_page_asks_for_the_data_and_shows_the_link_and_expiry(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(language="en")
    client.force_login(user)

    page = client.get("/en/accounts/profile/").content.decode()
    assert 'id="your-data"' in page
    assert "Prepare my data for download" in page
    assert reverse("accounts:close_account") in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:request_data_export"))
    assert response.status_code == 302
    assert response["Location"].endswith("#your-data")

    export = user.data_exports.get()
    page = client.get("/en/accounts/profile/").content.decode()
    assert f"/en/accounts/data/{export.token}/" in page
    assert timezone.localtime(export.expires_at).strftime("%Y-%m-%d %H:%M") in page
    assert "(Japan time)" in page


def test_my_page_says_while_the_data_is_being_prepared(client):
    user = UserFactory(language="en")
    data_export.request_export(user)  # the task waits for a commit that never comes here
    client.force_login(user)
    page = client.get("/en/accounts/profile/").content.decode()
    assert "Your data is being prepared" in page
    assert "Prepare my data for download" not in page


def test_the_owner_downloads_the_json_file(client, django_capture_on_commit_callbacks):
    user = UserFactory(display_name="区民 花子")
    export = prepared_export(user, django_capture_on_commit_callbacks)
    client.force_login(user)

    response = client.get(reverse("accounts:data_export_download", args=[export.token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".json" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(b"".join(response.streaming_content).decode("utf-8"))
    assert data["account"]["display_name"] == "区民 花子"
    export.refresh_from_db()
    assert export.downloaded_at is not None


def test_another_user_with_the_link_gets_404_and_a_visitor_must_log_in(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory()
    export = prepared_export(owner, django_capture_on_commit_callbacks)
    url = reverse("accounts:data_export_download", args=[export.token])

    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(reverse("accounts:data_export_download", args=["nope"])).status_code == 404
    with pytest.raises(NotFound):
        data_export.access_export(UserFactory(), export.token)


def test_an_expired_link_says_so_and_its_file_is_deleted(
    client, django_capture_on_commit_callbacks, private_storage
):
    user = UserFactory(language="en")
    export = prepared_export(user, django_capture_on_commit_callbacks)
    name = export.file.name
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(user)

    response = client.get(f"/en/accounts/data/{export.token}/")

    assert response.status_code == 410
    assert "This download link has expired" in response.content.decode()
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED
    assert not private_storage.exists(name)
    page = client.get("/en/accounts/profile/").content.decode()
    assert "has expired" in page
    assert "Prepare a new copy" in page


def test_the_periodic_cleanup_deletes_expired_files(
    django_capture_on_commit_callbacks, private_storage
):
    from accounts.tasks import delete_expired_data_exports

    fresh = prepared_export(UserFactory(), django_capture_on_commit_callbacks)
    old = prepared_export(UserFactory(), django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert delete_expired_data_exports.apply().get() == 1

    assert not private_storage.exists(old.file.name)
    assert private_storage.exists(fresh.file.name)


# --- Closing the account: what it does ---------------------------------------------------


def test_closing_anonymises_the_user_and_keeps_the_history(django_capture_on_commit_callbacks):
    # given a resident with a completed match, reviews, messages, a block and a TOTP
    resident, _member, _org, match = completed_match()
    TOTP.activate(resident, "JBSWY3DPEHPK3PXP")
    moderation.block_user(resident, UserFactory())
    user_pk, old_email = resident.pk, resident.email
    matches_in_ward = Match.objects.filter(resident_ward=match.resident_ward).count()

    # when the account is closed
    with django_capture_on_commit_callbacks(execute=True):
        counts = closing.close_account(resident, {})

    # then the row stays, anonymised
    user = User.objects.get(pk=user_pk)
    assert user.deleted_at is not None
    assert user.email == f"deleted-{user_pk}@invalid"
    assert not user.is_active
    assert not user.has_usable_password()
    assert User.objects.filter(pk=user_pk).values_list("display_name", flat=True).get() == ""
    with translation.override("en"):
        assert user.display_name == "Deleted user"
        assert str(user) == "Deleted user"
    assert not EmailAddress.objects.filter(user_id=user_pk).exists()
    assert not user.authenticator_set.exists()
    assert not user.consents.exists()
    assert not user.role_assignments.exists()
    assert not user.groups.exists()
    assert not ResidentProfile.objects.filter(user_id=user_pk).exists()
    assert not Block.objects.filter(blocker_id=user_pk).exists()
    # and the history stays, counted as before
    assert Match.objects.filter(resident_ward=match.resident_ward).count() == matches_in_ward
    assert Match.objects.get(pk=match.pk).resident_id == user_pk
    assert Review.objects.filter(match=match).count() == 2
    sent = Message.objects.filter(sender_id=user_pk).order_by("seq")
    assert [m.body for m in sent][-1] == "来週の投稿案を送ります"
    with translation.override("en"):
        assert messaging.payload(sent.last())["sender"]["name"] == "Deleted user"
    # and the log says what happened, with counts only
    entry = ActivityLog.objects.get(action="accounts.account_closed")
    assert entry.target_id == str(user_pk)
    assert old_email not in json.dumps(entry.data)
    assert "山田" not in json.dumps(entry.data, ensure_ascii=False)
    assert entry.data["account"]["authenticators"] == 1
    assert counts["board"]["profile_deleted"] is True


def test_closing_withdraws_applications_declines_invitations_and_ends_matches():
    # given a resident with an application waiting, an invitation waiting and a match going on
    resident = f.resident()
    org = f.organization()
    member = org.memberships.get().user
    waiting = board.apply_to_task(resident, f.task(org, title="チラシ作り"), "お手伝いします")
    invitation = board.invite_resident(
        member, f.task(org, title="写真撮影"), resident, "いかがですか"
    )
    ongoing = board.accept_application(
        member, board.apply_to_task(resident, f.task(org, title="SNS運用"), "やります")
    )

    # when
    counts = closing.close_account(resident, {})

    # then each ends through the board's own services
    assert Application.objects.get(pk=waiting.pk).status == ApplicationStatus.WITHDRAWN
    assert Application.objects.get(pk=invitation.pk).status == ApplicationStatus.DECLINED
    assert Match.objects.get(pk=ongoing.pk).status == MatchStatus.CANCELLED
    assert counts["board"]["applications_withdrawn"] == 1
    assert counts["board"]["invitations_declined"] == 1
    assert ActivityLog.objects.filter(
        action="marketplace.application_status", data__new="withdrawn"
    ).exists()


def test_an_organization_owned_alone_without_members_is_closed():
    # given an owner who is its only member, with an open task someone applied to
    org = f.organization()
    owner = org.memberships.get().user
    task = f.task(org)
    applicant = f.resident()
    application = board.apply_to_task(applicant, task, "応募します")

    # then the page says it will be closed
    with translation.override("en"):
        text = " ".join(closing.plan(owner).erased)
    assert f"You are the only member of {org.name}, so it is closed" in text
    assert closing.plan(owner).questions == []

    # when
    closing.close_account(owner, {})

    # then its tasks are cancelled, the applicant told, and the organization stays
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DECLINED
    assert Organization.objects.filter(pk=org.pk).exists()
    assert not Membership.objects.filter(organization=org).exists()
    assert ActivityLog.objects.filter(action="marketplace.organization_closed").exists()
    # and it is no longer offered as active: not found, and its page says it closed
    org.refresh_from_db()
    assert org.closed_at is not None
    from marketplace.search_documents import OrganizationDocuments

    assert list(OrganizationDocuments().load([org.pk])) == []
    page = Client().get(f"/organizations/{org.pk}/").content.decode()
    assert "閉じました" in page


def test_an_organization_owned_alone_with_members_is_handed_over_to_the_chosen_one():
    # given an owner with another member (no service adds members yet: a row, as sign-up
    # of a second member would make it)
    org = f.organization()
    owner = org.memberships.get().user
    colleague = UserFactory(display_name="事務局 佐藤")
    Membership.objects.create(organization=org, user=colleague, role=MembershipRole.MEMBER)
    task = f.task(org)

    # then the plan asks who takes over
    [question] = closing.plan(owner).questions
    assert (str(colleague.pk), "事務局 佐藤") in question.choices
    with pytest.raises(ValidationError):
        closing.close_account(owner, {})  # no answer: nothing happens
    assert User.objects.get(pk=owner.pk).deleted_at is None

    # when they choose the colleague
    closing.close_account(owner, {question.name: str(colleague.pk)})

    # then the colleague owns it and its task goes on
    assert Membership.objects.get(organization=org, user=colleague).role == MembershipRole.OWNER
    assert not Membership.objects.filter(organization=org, user=owner).exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_an_organization_can_be_closed_instead_of_handed_over():
    org = f.organization()
    owner = org.memberships.get().user
    Membership.objects.create(organization=org, user=UserFactory(), role=MembershipRole.MEMBER)
    task = f.task(org)
    [question] = closing.plan(owner).questions

    closing.close_account(owner, {question.name: "close"})

    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED


def test_staff_accounts_cannot_be_closed_here():
    staff = UserFactory(is_staff=True)
    assert closing.plan(staff).blockers
    with pytest.raises(ValidationError):
        closing.close_account(staff, {})
    assert User.objects.get(pk=staff.pk).is_active


def test_closing_twice_is_refused():
    user = UserFactory()
    closing.close_account(user, {})
    with pytest.raises(NotFound):
        closing.close_account(user, {})


def test_closing_ends_every_session_of_the_user():
    user = UserFactory()
    other_browser = Client()
    other_browser.force_login(user)
    assert other_browser.get(reverse("accounts:profile")).status_code == 200

    closing.close_account(user, {})

    assert other_browser.get(reverse("accounts:profile")).status_code == 302


def test_the_match_still_shows_on_the_organizations_page_under_the_deleted_name():
    resident, member, _org, match = completed_match()
    closing.close_account(resident, {})
    client = Client()
    client.force_login(member)

    page = client.get(f"/en/tasks/{match.task_id}/applications/").content.decode()

    assert "Deleted user" in page
    assert "山田 彩" not in page


def test_the_inbox_shows_the_last_message_of_a_closed_account_under_the_deleted_name():
    resident, member, _org, match = completed_match()
    conversation = messaging.conversation_for(match.application)
    messaging.send_message(resident, conversation.pk, body="最後のメッセージです")
    closing.close_account(resident, {})
    client = Client()
    client.force_login(member)

    page = client.get("/messages/").content.decode()

    assert "退会したユーザー: 最後のメッセージです" in page


# --- Closing the account: the pages ----------------------------------------------------


def test_closing_asks_for_the_password_first(client):
    user = UserFactory()
    client.force_login(user)

    response = client.get(CLOSE_URL)

    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert User.objects.get(pk=user.pk).deleted_at is None
    # a POST straight away is not enough either
    response = client.post(CLOSE_URL, {"confirm": "on"})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).deleted_at is None


def test_with_two_factor_on_closing_also_asks_for_the_code(client):
    user = UserFactory()
    secret = "JBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    client.force_login(user)
    reauthenticate(client)

    response = client.get(CLOSE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    client.post(reverse("mfa_reauthenticate"), {"code": code})
    assert client.get(CLOSE_URL).status_code == 200


def test_the_page_says_what_goes_and_what_stays_then_deletes_and_logs_out(client):
    # given a resident with a match, re-authenticated
    resident, *_rest = completed_match(language="en")
    old_email = resident.email
    client.force_login(resident)
    reauthenticate(client)

    # when they open the page
    response = client.get(CLOSE_URL)

    # then it says exactly what happens
    page = response.content.decode()
    assert response.status_code == 200
    assert "What is deleted" in page
    assert "Your skills profile" in page
    assert "What stays, shown as “Deleted user”" in page
    assert "wards&#x27; statistics" in page or "wards' statistics" in page
    assert "Delete my account permanently" in page

    # when they send it without ticking the box
    response = client.post(CLOSE_URL, {})
    assert response.status_code == 200
    assert "Tick the box to confirm" in response.content.decode()
    assert User.objects.get(pk=resident.pk).deleted_at is None

    # when they confirm
    response = client.post(CLOSE_URL, {"confirm": "on"})

    # then the account is closed, they are logged out and see the confirmation
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/closed/"
    assert "_auth_user_id" not in client.session
    assert User.objects.get(pk=resident.pk).deleted_at is not None
    closed = client.get(response["Location"]).content.decode()
    assert "Your account has been deleted" in closed

    # and the old e-mail and password no longer log in
    response = client.post(reverse("account_login"), {"login": old_email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not client.login(email=old_email, password=PASSWORD)

    # and the address can sign up again, as a new account
    response = client.post(
        reverse("account_signup"),
        {
            "email": old_email,
            "display_name": "戻ってきた人",
            "language": "ja",
            "password1": "sumida-river-2026",
            "password2": "sumida-river-2026",
            "agree_terms": "on",
        },
    )
    assert response.status_code == 302
    again = User.objects.get(email=old_email)
    assert again.pk != resident.pk
    assert not again.matches.exists()


def test_the_page_offers_the_members_to_hand_an_organization_over_to(client):
    org = f.organization()
    owner = org.memberships.get().user
    colleague = UserFactory(display_name="事務局 佐藤")
    Membership.objects.create(organization=org, user=colleague, role=MembershipRole.MEMBER)
    client.force_login(owner)
    reauthenticate(client)

    page = client.get(CLOSE_URL).content.decode()
    assert f"Who takes over {org.name}?" in page
    assert "事務局 佐藤" in page

    response = client.post(CLOSE_URL, {"confirm": "on"})
    assert response.status_code == 200  # the choice is missing: the page again
    assert User.objects.get(pk=owner.pk).deleted_at is None

    response = client.post(CLOSE_URL, {"confirm": "on", f"organization_{org.pk}": colleague.pk})
    assert response.status_code == 302
    assert Membership.objects.get(organization=org, user=colleague).role == MembershipRole.OWNER


def test_a_blocked_account_sees_why_and_no_delete_button(client):
    staff = UserFactory(is_staff=True, language="en")
    client.force_login(staff)
    reauthenticate(client)

    response = client.get(CLOSE_URL)
    page = response.content.decode()
    assert "Your account cannot be deleted yet" in page
    assert "Delete my account permanently" not in page
    assert client.post(CLOSE_URL, {"confirm": "on"}).status_code == 200
    assert User.objects.get(pk=staff.pk).is_active
