"""#17: a browser counts maxlength in UTF-16 code units, so it cut a title of emoji short
that the server (counting code points) takes. Text boxes carry no maxlength; a live
counter counts as the server does, and the server's error still shows."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import Task
from tests.marketplace import factories as f

from .conftest import assert_accessible, field, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMOJI = "🎉"  # one code point, two UTF-16 code units


def test_a_title_of_80_emoji_can_be_typed_counted_and_saved(page, live_server):
    org = f.organization()
    log_in(page, live_server, org.memberships.get().user)

    # What went wrong: typing into a box with maxlength stops at 80 UTF-16 code units.
    page.goto(live_server.url + f"/organizations/{org.pk}/tasks/new/")
    cut = page.evaluate(
        """(text) => {
            const box = document.createElement("input");
            box.maxLength = 80;
            document.body.append(box);
            box.focus();
            document.execCommand("insertText", false, text);
            const length = Array.from(box.value).length;
            box.remove();
            return length;
        }""",
        EMOJI * 80,
    )
    assert cut == 40

    title = field(page, "タイトル")
    assert title.get_attribute("maxlength") is None
    counter = page.locator("#id_title_counter")
    assert "id_title_counter" in title.get_attribute("aria-describedby")
    assert page.locator("[aria-live=polite]").count() >= 1

    title.focus()
    page.keyboard.insert_text(EMOJI * 80)
    assert page.evaluate("Array.from(document.getElementById('id_title').value).length") == 80
    assert re.search(r"80\s*/\s*80", counter.inner_text())
    assert "field__errors" not in (counter.get_attribute("class") or "")

    # One too many: the counter says so, and so does the server.
    page.keyboard.insert_text(EMOJI)
    assert re.search(r"81\s*/\s*80", counter.inner_text())
    assert "field__errors" in counter.get_attribute("class")
    field(page, "手伝ってほしいこと").fill("お祭りの告知")
    field(page, "分野").select_option(label="SNS運用")
    field(page, "区").select_option(label="台東区")
    field(page, "1週間の時間").fill("3")
    field(page, "期間（週）").fill("8")
    field(page, "成果物").fill("投稿3回")
    field(page, "応募締切").fill((timezone.localdate() + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="下書き保存").click()
    page.wait_for_load_state()
    assert page.locator("#id_title_error").is_visible()
    assert_accessible(page)

    # Back to 80: saved as typed.
    title = field(page, "タイトル")
    title.focus()
    page.keyboard.press("End")
    page.keyboard.press("Backspace")
    assert re.search(r"80\s*/\s*80", page.locator("#id_title_counter").inner_text())
    page.get_by_role("button", name="下書き保存").click()
    page.wait_for_url(re.compile(r".*/tasks/\d+/$"))
    assert Task.objects.get(organization=org).title == EMOJI * 80
    assert page.js_errors == []
