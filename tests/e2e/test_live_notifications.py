"""The notification centre live: while the designer is on My page on her phone, the
organization accepts her application; her header counts the new notice at once, a screen
reader hears its title, and the notice leads to the match page."""

import re

import pytest
from playwright.sync_api import expect

from marketplace import services as board
from tests.accounts.factories import UserFactory
from tests.marketplace import factories as f
from tests.servers import daphne

from .conftest import assert_accessible, log_in, outside_the_browser_loop

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site(transactional_db):
    with daphne("tests.e2e.asgi:application") as url:
        yield url


@pytest.fixture
def application():
    owner = UserFactory(display_name="かっぱ橋本通り商店会 事務局")
    organization = f.organization(owner, name="かっぱ橋本通り商店会")
    task = f.task(organization, title="SNSでの情報発信を手伝ってほしい")
    designer = f.resident(display_name="山田 彩")
    return outside_the_browser_loop(board.apply_to_task, designer, task, "お手伝いできます。")


def test_a_new_notice_arrives_live_and_opens_the_match(page, second_page, site, application):
    org, resident = page, second_page
    for browser_page, user in (
        (org, application.task.organization.memberships.get().user),
        (resident, application.resident),
    ):
        browser_page.sockets_expected = True
        log_in(browser_page, site, user)

    resident.goto(f"{site}/dashboard/")
    badge = resident.locator("[data-notification-badge]")
    expect(badge).to_be_hidden()
    # Her page's event socket is open once the server said hello (events.js marks it).
    expect(resident.locator("body[data-live-events=connected]")).to_have_count(1)

    org.goto(f"{site}/tasks/{application.task_id}/applications/")
    org.get_by_role("button", name="承認する").click()

    expect(badge).to_be_visible()
    expect(resident.locator("[data-notification-total]")).to_have_text("1")
    expect(resident.locator("[data-notification-live]")).to_contain_text(
        "SNSでの情報発信を手伝ってほしい"
    )

    resident.get_by_role("link", name=re.compile("^お知らせ")).click()
    resident.get_by_role("link", name=re.compile("マッチングが成立")).first.click()
    resident.wait_for_url(re.compile(r".*/matches/\d+/$"))
    expect(resident.locator("[data-notification-badge]")).to_be_hidden()
    assert_accessible(resident)
