"""The Wagtail admin works under the site's Content-Security-Policy: an editor edits the
home page and saves a draft, with no blocked script or style."""

import pytest

from accounts import services
from accounts.models import Role
from cms.models import HomePage
from tests.accounts.factories import UserFactory, with_second_factor

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_editor_saves_a_draft_of_the_home_page(page, live_server):
    # given an editor
    editor = UserFactory(display_name="編集担当")
    services.grant_role(editor, Role.EDITOR)
    with_second_factor(editor)
    home = HomePage.objects.get(locale__language_code="ja")
    log_in(page, live_server, editor)

    # when she edits the hero title and saves a draft
    page.goto(f"{live_server.url}/admin/pages/{home.pk}/edit/")
    page.locator("#id_hero_title").fill("区を越えて、スキルで地域を支える")
    page.get_by_role("button", name="下書きを保存").click()

    # then the draft is stored and the live page is unchanged until it is published
    page.wait_for_selector(".messages .success, [data-w-messages-target] .success")
    home.refresh_from_db()
    assert home.has_unpublished_changes
    assert home.get_latest_revision_as_object().hero_title == "区を越えて、スキルで地域を支える"
    assert home.hero_title == "区を越えて、あなたのスキルを地域へ"
    assert page.js_errors == []
