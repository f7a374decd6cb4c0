"""A new app plugs into search, messaging and moderation through their registries alone.

The study circles of tests/plugin_app declare a search document type and a conversation
subject in their own modules; nothing in search/, messaging/ or moderation/ names them.
"""

from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError
from django.urls import reverse

from messaging import services as messaging
from messaging.models import Conversation
from moderation import services as moderation
from search.backends.base import SearchQuery, get_backend
from tests.accounts.factories import UserFactory
from tests.messaging.test_consumers import join, next_of

from . import services
from .models import StudyCircle

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def circle(wards, django_capture_on_commit_callbacks):
    owner = UserFactory(display_name="主宰")
    member = UserFactory(display_name="参加者")
    with django_capture_on_commit_callbacks(execute=True):
        made = services.create_circle(
            owner,
            name="オープンデータ勉強会",
            description="区の公開データで放置自転車マップを作ります。",
            ward=wards["131121"],  # 世田谷区
            members=[member],
        )
    made.owner, made.member = owner, member
    return made


@pytest.mark.django_db
def test_the_new_kind_is_indexed_and_found(circle, client, django_capture_on_commit_callbacks):
    # given a public circle and a private one, made through the app's own services
    with django_capture_on_commit_callbacks(execute=True):
        services.create_circle(
            UserFactory(), name="非公開の勉強会", description="放置自転車", ward=circle.ward,
            public=False,
        )  # fmt: skip

    # when someone searches for what its description says
    found = get_backend().search(SearchQuery(text="放置自転車", kinds=["circle"]))

    # then the public circle is found, and the private one is not
    assert [(hit.kind, hit.object_id) for hit in found.hits] == [("circle", circle.pk)]
    page = client.get(reverse("search:search"), {"q": "放置自転車"})
    html = page.content.decode()
    assert "オープンデータ勉強会" in html
    assert "非公開の勉強会" not in html
    assert "Study circles" in html  # its label in the "what to search" choices


@pytest.mark.django_db
def test_a_closed_circle_leaves_the_index(circle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.close_circle(circle)
    found = get_backend().search(SearchQuery(text="放置自転車", kinds=["circle"]))
    assert found.total == 0


@pytest.mark.django_db
def test_members_chat_and_outsiders_cannot(circle, client):
    # given the circle's conversation, with its members as the subject names them
    conversation = services.open_chat(circle)
    assert conversation.title == "勉強会: オープンデータ勉強会"

    # when a member writes, through messaging's own service and page
    messaging.send_message(circle.member, conversation.pk, body="次回は3月1日です")
    client.force_login(circle.owner)
    page = client.get(reverse("messaging:conversation", args=[conversation.pk]))

    # then the other member reads it; an outsider finds nothing there
    assert page.status_code == 200
    assert "次回は3月1日です" in page.content.decode()
    client.force_login(UserFactory())
    assert client.get(reverse("messaging:conversation", args=[conversation.pk])).status_code == 404


@pytest.mark.django_db
def test_the_subject_closes_the_conversation_with_its_own_words(circle, client):
    conversation = services.open_chat(circle)
    services.close_circle(circle)

    client.force_login(circle.member)
    page = client.get(reverse("messaging:conversation", args=[conversation.pk]))

    assert "The circle has closed." in page.content.decode()
    assert page.context["why_not"]  # closed: readable, not writable
    with pytest.raises(ValidationError) as refused:
        messaging.send_message(circle.member, conversation.pk, body="まだ話したい")
    assert refused.value.code == "closed"


@pytest.mark.django_db
def test_a_report_about_its_messages_goes_to_the_circle_wards_moderators(circle):
    conversation = services.open_chat(circle)
    message = messaging.send_message(circle.owner, conversation.pk, body="宣伝です")

    report = moderation.report(circle.member, message, reason="spam")

    assert report.ward_id == circle.ward_id


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.asyncio
async def test_members_chat_live_over_the_socket(wards):
    def make():
        owner, member = UserFactory(), UserFactory()
        circle = services.create_circle(
            owner, name="勉強会", description="", ward=wards["131121"], members=[member]
        )
        return owner, member, services.open_chat(circle)

    owner, member, conversation = await database_sync_to_async(make)()
    owner_socket, _hello = await join(owner, conversation)
    member_socket, _hello = await join(member, conversation)

    await owner_socket.send_json_to({"type": "send", "client_id": None, "body": "こんばんは"})

    arrived = await next_of(member_socket, "message")
    assert arrived["message"]["body"] == "こんばんは"
    await owner_socket.disconnect()
    await member_socket.disconnect()


def test_no_line_of_search_messaging_or_moderation_names_the_new_app():
    for package in ("search", "messaging", "moderation"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text()
            assert "plugin_app" not in text and "StudyCircle" not in text, path


@pytest.mark.django_db
def test_its_conversations_are_found_by_subject(circle):
    conversation = services.open_chat(circle)
    assert messaging.conversation_for(circle) == conversation
    assert Conversation.objects.get(pk=conversation.pk).subject == circle
    assert isinstance(conversation.subject, StudyCircle)
