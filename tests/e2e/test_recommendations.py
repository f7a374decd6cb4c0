"""プッシュ型 on a phone: a resident with SNS skills sees a new SNS task on My page with
the reasons, opens the page of all that fit her and follows one to the task; the
organization sees her suggested on the task's applications page. axe checks each page."""

import re

import pytest

from tests.marketplace import factories as f

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_resident_sees_a_task_that_fits_and_the_organization_sees_her(
    page, second_page, live_server
):
    url = live_server.url
    org = f.organization()
    task = f.task(org, title="SNSでの情報発信を手伝ってほしい")
    f.task(org, title="会計ソフトの導入", category=f.skill("accounting"), skills=["accounting"])
    designer = f.resident(display_name="山田 彩")

    log_in(page, live_server, designer)
    page.goto(url + "/dashboard/")
    section = page.locator("section", has=page.get_by_role("heading", name="あなたに合う募集"))
    card = section.locator("li.card")
    assert card.count() == 1
    reasons = card.get_by_role("list", name="おすすめの理由")
    for reason in ("スキル『SNS運用』が一致", "週3時間の希望に合う", "在宅可", "新着"):
        assert reasons.get_by_text(reason, exact=True).is_visible()
    assert_accessible(page)

    section.get_by_role("link", name="あなたに合う募集をもっと見る").click()
    page.wait_for_url(re.compile(r".*/tasks/for-you/$"))
    assert_accessible(page)
    page.get_by_role("link", name=task.title).click()
    page.wait_for_url(re.compile(rf".*/tasks/{task.pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == task.title

    member_page = second_page
    log_in(member_page, live_server, org.memberships.get().user)
    member_page.goto(url + f"/tasks/{task.pk}/applications/")
    suggested = member_page.locator(
        "section", has=member_page.get_by_role("heading", name="この募集に合いそうな方")
    )
    suggested.get_by_role("link", name="山田 彩").click()
    member_page.wait_for_url(re.compile(rf".*/residents/{designer.pk}/$"))
    assert_accessible(member_page)
