import pytest
from django.urls import reverse

from accounts import services
from accounts.models import ConsentPurpose

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_lists_the_consents_in_japanese(client):
    user = UserFactory()
    services.grant_consent(user, ConsentPurpose.RECOMMENDATIONS)
    client.force_login(user)

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "同意している内容" in html
    assert "利用規約とプライバシーポリシー" in html
    assert "撤回する" in html  # the recommendations consent can be withdrawn


def test_withdraw_consent_from_the_profile_page(client):
    user = UserFactory()
    services.grant_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
    client.force_login(user)

    response = client.post(
        reverse("accounts:change_consent"),
        {"purpose": "profile_discoverable", "action": "withdraw"},
        follow=True,
    )

    assert not services.has_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
    assert "同意を撤回しました" in response.content.decode()


def test_terms_cannot_be_withdrawn_from_the_profile_page(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:change_consent"), {"purpose": "terms", "action": "withdraw"}
    )
    assert response.status_code == 302
    assert services.has_consent(user, ConsentPurpose.TERMS)


def test_consent_change_needs_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:change_consent")).status_code == 405


def test_edit_display_name_language_and_message_emails(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "新しい名前", "language": "en", "message_emails": "never"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.language, user.message_emails) == (
        "新しい名前",
        "en",
        "never",
    )


def test_empty_display_name_is_refused_with_a_message(client):
    user = UserFactory(display_name="元の名前")
    client.force_login(user)

    response = client.post(reverse("accounts:profile"), {"display_name": "", "language": "ja"})

    assert response.status_code == 200
    assert "この項目は必須です" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "元の名前"


def test_profile_page_query_count_is_fixed(client, django_assert_max_num_queries):
    user = UserFactory()
    for purpose in (ConsentPurpose.ANALYTICS, ConsentPurpose.RECOMMENDATIONS):
        services.grant_consent(user, purpose)
    client.force_login(user)
    # 13: the header's two unread counts (messages, notifications) are one query each.
    with django_assert_max_num_queries(13):
        client.get(reverse("accounts:profile"))
