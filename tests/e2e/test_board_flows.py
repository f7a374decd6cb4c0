"""DOMAIN.md flows 1–4 in a real browser, in Japanese, with axe on every page passed through.

1. A 商店街 in 台東区 registers, is verified, and posts 「SNSでの情報発信を手伝ってほしい」.
2. A designer living in 世田谷区 finds it by keywords and filters, and applies.
3. The organization accepts her; the match is recorded as a cross-ward match.
4. Both confirm completion, hours are logged and confirmed, both review; she gets her certificate.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import BoardPage, HomePage
from marketplace.models import Match, Organization, Review, Task, TaskStatus
from tests.accounts.factories import UserFactory
from tests.marketplace import factories as f

from .conftest import assert_accessible, field, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "SNSでの情報発信を手伝ってほしい"


@pytest.fixture
def board():
    home = HomePage.objects.get(locale__language_code="ja")
    page = BoardPage(title="募集を探す", slug="board")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_shotengai_and_designer_from_registration_to_reviews(page, second_page, live_server, board):
    url = live_server.url
    owner = UserFactory(display_name="かっぱ橋本通り商店会 事務局")
    moderator = f.moderator()
    designer = f.resident(ward_code="131121", skills=("sns", "design"), display_name="山田 彩")
    # Other tasks on the board, which the filters must leave out.
    f.task(
        f.organization(name="砂町銀座", ward_code="131083"),
        title="ホームページをスマホ対応にしたい",
        category=f.skill("web"),
        hours_per_week=8,
    )

    # --- Flow 1: the 商店街 registers, is verified, posts its task ---------------------
    org_page = page
    log_in(org_page, live_server, owner)
    org_page.goto(url + "/dashboard/")
    assert_accessible(org_page)
    org_page.get_by_role("link", name="団体を登録する").first.click()
    assert_accessible(org_page)
    field(org_page, "名称").fill("かっぱ橋本通り商店会")
    field(org_page, "種類").select_option(label="商店街")
    field(org_page, "区").select_option(label="台東区")
    field(org_page, "所在地").fill("東京都台東区西浅草1-1-1")
    field(org_page, "団体の紹介").fill("道具の街・かっぱ橋の商店会です。")
    field(org_page, "連絡先メールアドレス").fill("office@kappabashi.example.jp")
    org_page.get_by_role("button", name="登録する").click()
    org_page.wait_for_url(re.compile(r".*/organizations/\d+/$"))
    assert "確認待ち" in org_page.locator("main").inner_text()
    assert_accessible(org_page)
    organization = Organization.objects.get(name="かっぱ橋本通り商店会")

    mod_page = second_page
    log_in(mod_page, live_server, moderator)
    mod_page.goto(url + "/admin/moderation/organizations/")
    section = mod_page.locator("section", has_text="かっぱ橋本通り商店会")
    section.get_by_role("button", name="確認済みにする").click()
    mod_page.wait_for_url(re.compile(r".*/admin/moderation/organizations/"))
    organization.refresh_from_db()
    assert organization.is_verified

    org_page.goto(url + f"/organizations/{organization.pk}/")
    assert "確認済み" in org_page.locator("main").inner_text()
    org_page.get_by_role("link", name="募集を作成する").first.click()
    org_page.wait_for_url(re.compile(r".*/tasks/new/$"))
    assert_accessible(org_page)
    field(org_page, "タイトル").fill(TITLE)
    field(org_page, "手伝ってほしいこと").fill(
        "商店会のInstagramで、お店とイベントの情報を発信したいです。"
    )
    field(org_page, "分野").select_option(label="SNS運用")
    org_page.get_by_role("group", name=re.compile("求めるスキル")).get_by_label("SNS運用").check()
    field(org_page, "区").select_option(label="台東区")
    field(org_page, "在宅・現地").select_option(label="在宅")
    field(org_page, "1週間の時間").fill("3")
    field(org_page, "期間（週）").fill("8")
    field(org_page, "成果物").fill("週2回の投稿と、運用ルールのまとめ")
    field(org_page, "応募締切").fill((timezone.localdate() + timedelta(days=21)).isoformat())
    org_page.get_by_role("button", name="公開する").click()
    org_page.wait_for_url(re.compile(r".*/tasks/\d+/$"))
    assert_accessible(org_page)
    task = Task.objects.get(title=TITLE)
    assert task.status == TaskStatus.OPEN

    # --- Flow 2: the designer finds it and applies --------------------------------------
    res_page = second_page
    log_in(res_page, live_server, designer)
    res_page.goto(url + "/board/")
    assert_accessible(res_page)
    field(res_page, "キーワード").fill("SNS 発信")
    res_page.get_by_role("button", name="募集を表示").click()
    results = res_page.locator("main").inner_text()
    assert TITLE in results and "ホームページをスマホ対応にしたい" not in results
    assert_accessible(res_page)

    res_page.goto(url + "/board/")
    field(res_page, "区").select_option(label="台東区")
    field(res_page, "分野").select_option(label="SNS運用")
    field(res_page, "在宅可").check()
    res_page.get_by_role("button", name="募集を表示").click()
    assert TITLE in res_page.locator("main").inner_text()
    res_page.get_by_role("link", name=TITLE).click()
    assert_accessible(res_page)
    assert "office@kappabashi.example.jp" not in res_page.content()  # hidden before a match
    field(res_page, "メッセージ").fill(
        "SNS運用を5年担当しています。週3時間、在宅でお手伝いできます。"
    )
    res_page.locator("main").get_by_role("button", name="応募する").click()
    res_page.wait_for_url(re.compile(rf".*/tasks/{task.pk}/$"))
    assert "応募しました" in res_page.locator(".messages").inner_text()
    assert_accessible(res_page)

    # --- Flow 3: the organization accepts; a cross-ward match ---------------------------
    org_page.goto(url + f"/tasks/{task.pk}/applications/")
    assert "山田 彩" in org_page.locator("main").inner_text()
    assert_accessible(org_page)
    org_page.get_by_role("button", name="承認する").click()
    org_page.wait_for_url(re.compile(r".*/matches/\d+/$"))
    assert_accessible(org_page)
    match = Match.objects.get(task=task)
    assert match.cross_ward
    assert (match.resident_ward.name_ja, match.task_ward.name_ja) == ("世田谷区", "台東区")
    assert "区をこえたマッチング" in org_page.locator("main").inner_text()
    assert designer.email in org_page.locator("main").inner_text()  # contact details now

    # --- Flow 4: hours, completion on both sides, reviews, certificate ------------------
    res_page.goto(url + f"/matches/{match.pk}/")
    assert "office@kappabashi.example.jp" in res_page.locator("main").inner_text()
    assert_accessible(res_page)
    field(res_page, "日付").fill(timezone.localdate().isoformat())
    res_page.get_by_role("spinbutton", name=re.compile("^活動時間")).fill("3")
    field(res_page, "活動内容").fill("投稿カレンダーの作成")
    res_page.get_by_role("button", name="活動時間を送る").click()
    res_page.get_by_role("button", name="活動が完了しました").click()
    assert_accessible(res_page)

    org_page.goto(url + f"/matches/{match.pk}/")
    org_page.get_by_role("button", name="確認する").first.click()
    org_page.get_by_role("button", name="はい、活動は完了しました").click()
    org_page.get_by_label(re.compile("★★★★★")).check()
    field(org_page, "コメント").fill("丁寧に対応していただき、助かりました。")
    org_page.get_by_role("button", name="レビューを送る").click()
    assert_accessible(org_page)

    res_page.goto(url + f"/matches/{match.pk}/")
    res_page.get_by_label(re.compile("★★★★★")).check()
    field(res_page, "コメント").fill("温かい商店会でした。ありがとうございました。")
    res_page.get_by_role("button", name="レビューを送る").click()
    assert Review.objects.filter(match=match).count() == 2
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED

    res_page.get_by_role("link", name="活動証明書を開く").click()
    certificate = res_page.locator("main").inner_text()
    assert "山田 彩" in certificate and "かっぱ橋本通り商店会" in certificate
    assert "3" in certificate
    assert_accessible(res_page)
    assert org_page.js_errors == [] and res_page.js_errors == []
