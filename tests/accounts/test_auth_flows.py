import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import ConsentPurpose, Role, User

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "hanako@example.jp",
    "display_name": "区民 花子",
    "language": "ja",
    "password1": "sumida-river-2026",
    "password2": "sumida-river-2026",
    "agree_terms": "on",
}


def test_signup_sends_a_japanese_verification_email_and_confirming_logs_in(
    client, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)

    # then
    assert response.status_code == 302
    user = User.objects.get(email="hanako@example.jp")
    assert user.display_name == "区民 花子"
    assert user.has_role(Role.RESIDENT)
    assert services.active_consents(user) == {ConsentPurpose.TERMS}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hanako@example.jp"]
    assert "メールアドレス" in message.subject
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)

    # when the link is followed and confirmed
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm = client.post("/" + path)

    # then
    assert confirm.status_code == 302
    assert EmailAddress.objects.get(email="hanako@example.jp").verified
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_signup_without_agreeing_to_the_terms_explains_why(client):
    data = {**SIGNUP}
    del data["agree_terms"]

    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert "利用規約に同意してください" in response.content.decode()
    assert not User.objects.filter(email="hanako@example.jp").exists()


def test_signup_can_opt_in_to_recommendations(client):
    client.post(reverse("account_signup"), {**SIGNUP, "recommendations": "on"})
    user = User.objects.get(email="hanako@example.jp")
    assert services.has_consent(user, ConsentPurpose.RECOMMENDATIONS)


def test_english_signup_sends_the_email_in_english(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/signup/", {**SIGNUP, "language": "en"})
    assert len(mail.outbox) == 1
    assert "Please Confirm Your Email Address" in mail.outbox[0].subject


def test_unverified_user_cannot_log_in_until_verified(client):
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    mail.outbox.clear()

    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_password_reset_email_goes_to_the_user_in_their_language(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Password Reset" in mail.outbox[0].subject


def test_logout_needs_a_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("account_logout")).status_code == 200  # confirmation page
    assert "_auth_user_id" in client.session
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("language", "dashboard"), [("en", "/en/dashboard/"), ("ja", "/dashboard/")]
)
def test_logging_in_lands_on_my_page_in_the_accounts_language(client, language, dashboard):
    # given a user whose account language is set, logging in from the Japanese page
    user = UserFactory(language=language)

    # when they log in
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    # then My page opens in their language
    assert response.status_code == 302
    assert response["Location"] == dashboard
    page = client.get(dashboard)
    assert page.status_code == 200
    assert f'<html lang="{language}"' in page.content.decode()
