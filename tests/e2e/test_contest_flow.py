"""Issue #18, flow 6 up to the deadline, in a real browser, in Japanese, on a phone and
a desktop, with axe on every page of the site passed through.

1. A 江東区 organizer imports a dataset from a CKAN catalog (the local stand-in, answering
   with a recorded response) in the Wagtail admin, creates a contest under the contest
   index with a prize and the dataset linked, and publishes it.
2. Resident A enters from the contest page; resident B starts a team of their own;
   resident C joins A's team through the invitation link.
3. A submits the entry and edits it: two versions are kept.
4. The deadline passes while A's form is open: the save is refused with the closed
   message and nothing is stored.
5. The organizer grants A's team an extension with a reason (logged); A sees the reason
   and saves again: three versions.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from PIL import Image

from contests import ckan, services
from contests.models import ContestPage, Dataset, Submission, Team
from core.japan_time import in_tokyo
from core.models import ActivityLog
from tests.contests import factories as f
from tests.contests.catalog import StandInCatalog

from .conftest import assert_accessible, field, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PACKAGE = "t131083d0000000021"
DATASET_TITLE = "江東区 町丁別世帯数及び人口"
CONTEST_TITLE = "江東区 防災アプリ・チャレンジ"


@pytest.fixture
def catalog(settings, monkeypatch):
    # The stand-in listens on loopback, which the importer refuses unless it is named.
    settings.CKAN_PRIVATE_HOSTS = ["127.0.0.1"]
    monkeypatch.setattr(ckan, "CONNECT_TIMEOUT", 2.0)
    monkeypatch.setattr(ckan, "READ_TIMEOUT", 2.0)
    with StandInCatalog() as stand_in:
        stand_in.answer("package_show", "package_show.json")
        yield stand_in


def admin_datetime(moment) -> str:
    """What an organizer types in a Wagtail date-time box (Japan time)."""
    return in_tokyo(moment).strftime("%Y-%m-%d %H:%M")


def button(page, pattern):
    return page.locator("main").get_by_role("button", name=re.compile(pattern))


def answer_eligibility(page):
    page.get_by_label(re.compile("住んでいる|I live there")).check()
    page.locator("#id_ward").select_option(value=f.KOTO)


def add_inline(page, prefix):
    """One more child form of an InlinePanel. The first click may only close the date
    picker left open by the last date-time box."""
    for _attempt in range(3):
        page.locator(f"#id_{prefix}-ADD").click()
        try:
            page.locator(f"#id_{prefix}-0-id").wait_for(state="attached", timeout=2_000)
            return
        except Exception:
            continue
    raise AssertionError(f"the {prefix} inline panel did not add a form")


def organizer_creates_the_contest(page, url, organizer, catalog, index):
    log_in(page, url, organizer)

    # the dataset, from the catalog, through the admin's import page
    import_page = url + "/admin/contests/datasets/import/"
    page.goto(import_page)
    page.locator("#id_reference").fill(f"{catalog.url}/dataset/{PACKAGE}")
    page.get_by_role("button", name=re.compile("^(取り込む|Import)$")).click()
    page.wait_for_url(import_page)
    assert DATASET_TITLE in page.locator(".messages").inner_text()
    # Wagtail's message slides in; axe reads colours once it has settled.
    page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished))")
    # axe runs on this admin page (ours, in Wagtail's chrome) and finds nothing serious;
    # the rest of the Wagtail admin is Wagtail's and is not checked here.
    assert_accessible(page)
    dataset = Dataset.objects.get(ckan_id=PACKAGE)
    assert catalog.asked("package_show")

    # the contest, under the contest index
    now = timezone.now()
    page.goto(url + f"/admin/pages/add/contests/contestpage/{index.pk}/")
    page.locator("#id_title").fill(CONTEST_TITLE)
    page.locator("#id_ward").select_option(label="江東区")
    page.locator("#id_summary").fill("災害時に役立つアプリを、区のオープンデータで作ってください。")
    timeline = {
        "announced_at": now - timedelta(days=2),
        "entry_opens_at": now - timedelta(days=1),
        "entry_closes_at": now + timedelta(days=2),
        "submission_deadline": now + timedelta(days=3),
        "results_at": now + timedelta(days=20),
    }
    for name, moment in timeline.items():
        box = page.locator(f"#id_{name}")
        box.fill(admin_datetime(moment))
        box.press("Escape")
    # a prize
    add_inline(page, "prizes")
    page.locator("#id_prizes-0-name").fill("最優秀賞")
    page.locator("#id_prizes-0-amount").fill("300000")
    page.locator("#id_prizes-0-winners").fill("1")
    # the imported dataset, through the chooser
    add_inline(page, "dataset_links")
    page.locator(
        "#id_dataset_links-0-dataset-chooser button.action-choose, [data-chooser-action-choose]"
    ).first.click()
    modal = page.locator(".modal-dialog, [role=dialog]").filter(has_text=DATASET_TITLE).first
    modal.get_by_role("link", name=DATASET_TITLE).click()
    page.wait_for_function(
        "() => document.querySelector('#id_dataset_links-0-dataset').value !== ''"
    )
    # the slug, on the promote tab (a Japanese title gives none of its own)
    page.get_by_role("tab", name=re.compile("プロモート|Promote")).click()
    page.locator("#id_slug").fill("koto-bousai")
    # publish: from the footer's drop-up
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("^(公開する|公開|Publish)$")).click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{index.pk}/"))

    contest = ContestPage.objects.get(slug="koto-bousai")
    assert contest.live and contest.ward.code == f.KOTO
    assert contest.owner == organizer
    assert list(contest.prizes.values_list("name", "amount")) == [("最優秀賞", 300_000)]
    assert [link.dataset for link in contest.dataset_links.all()] == [dataset]
    return contest, dataset


@pytest.mark.parametrize("page", ["phone", "desktop"], indirect=True)
def test_a_contest_up_to_the_deadline_and_an_extension(
    page, second_page, live_server, catalog, tmp_path
):
    url = live_server.url
    index = f.contest_index()
    organizer = f.organizer(f.KOTO)
    resident_a = f.entrant(display_name="佐藤 花子")
    resident_b = f.entrant(display_name="鈴木 一郎")
    resident_c = f.entrant(display_name="高橋 美咲")

    # --- 1. the organizer publishes a contest with an imported dataset ------------------
    contest, dataset = organizer_creates_the_contest(page, url, organizer, catalog, index)

    # --- 2. teams ----------------------------------------------------------------------
    page.context.clear_cookies()
    log_in(page, url, resident_a)
    page.goto(url + f"/contests/{contest.pk}/")
    page.wait_for_url(re.compile(r".*/challenge/koto-bousai/$"))
    main = page.locator("main").inner_text()
    assert CONTEST_TITLE in main and "最優秀賞" in main and DATASET_TITLE in main
    assert_accessible(page)
    page.locator("main").get_by_role(
        "link", name=re.compile("エントリーする|Enter this contest")
    ).click()
    page.wait_for_url(re.compile(rf".*/contests/{contest.pk}/enter/$"))
    assert_accessible(page)
    field(page, "チーム名").fill("チーム防災マップ")
    answer_eligibility(page)
    button(page, "参加登録する|Enter the contest").click()
    page.wait_for_url(re.compile(r".*/contests/teams/\d+/$"))
    assert_accessible(page)
    team_a = Team.objects.get(contest=contest, leader=resident_a)
    assert team_a.name == "チーム防災マップ"
    invite_link = page.locator("#invite-link").input_value()
    assert team_a.invite_code in invite_link

    other = second_page
    other.context.clear_cookies()
    log_in(other, url, resident_b)
    other.goto(url + f"/contests/{contest.pk}/enter/")
    assert_accessible(other)
    field(other, "チーム名").fill("ひなんじょナビ")
    answer_eligibility(other)
    button(other, "参加登録する|Enter the contest").click()
    other.wait_for_url(re.compile(r".*/contests/teams/\d+/$"))
    assert Team.objects.get(contest=contest, leader=resident_b).name == "ひなんじょナビ"

    other.context.clear_cookies()
    log_in(other, url, resident_c)
    other.goto(invite_link)
    assert "チーム防災マップ" in other.locator("main").inner_text()
    assert_accessible(other)
    answer_eligibility(other)
    button(other, "チームに参加する|Join the team").click()
    other.wait_for_url(re.compile(rf".*/contests/teams/{team_a.pk}/$"))
    assert "高橋 美咲" in other.locator("main").inner_text()
    assert_accessible(other)
    assert other.js_errors == []

    # --- 3. A submits, then edits ------------------------------------------------------
    page.reload()
    page.locator("main").get_by_role("link", name=re.compile("作品を書く|Write the entry")).click()
    page.wait_for_url(re.compile(rf".*/contests/teams/{team_a.pk}/submission/$"))
    assert_accessible(page)
    page.locator("#id_title").fill("防災マップ江東")
    page.locator("#id_summary").fill("町丁別の人口から、避難所の混み具合を予測して地図に示します。")
    page.locator("#id_problem").fill("避難所ごとの収容人数と地域の人口が見比べにくい。")
    page.locator("#id_solution").fill("人口データと避難所を重ねた地図を作る。")
    page.get_by_label(DATASET_TITLE).check()
    page.locator("#id_repository_url").fill("https://github.com/example/bousai-map")
    page.locator("#id_licence").select_option(value="MIT")
    picture = tmp_path / "map.png"
    Image.new("RGB", (64, 40), "#2a6").save(picture)
    page.locator("#id_new_0").set_input_files(str(picture))
    page.locator("#id_new_0_alt").fill("江東区の地図に避難所が色分けして表示された画面")
    button(page, "作品を保存する|Save the entry").click()
    page.wait_for_url(re.compile(rf".*/contests/teams/{team_a.pk}/submission/$"))
    assert re.search("バージョン 1|version 1", page.locator(".messages").inner_text())
    assert_accessible(page)
    submission = Submission.objects.get(team=team_a)
    assert list(submission.datasets.all()) == [dataset]
    assert submission.screenshots.count() == 1

    page.locator("#id_summary").fill(
        "町丁別の人口から、避難所の混み具合を予測して地図に示します。徒歩ルートも案内します。"
    )
    button(page, "作品を保存する|Save the entry").click()
    page.wait_for_url(re.compile(rf".*/contests/teams/{team_a.pk}/submission/$"))
    assert submission.versions.count() == 2
    versions = page.locator("main").inner_text()
    assert re.search(r"(バージョン|[Vv]ersion)\s*2", versions) and re.search(
        r"(バージョン|[Vv]ersion)\s*1", versions
    )
    assert_accessible(page)

    # --- 4. the deadline passes while A's form is open ---------------------------------
    page.locator("#id_solution").fill("人口データと避難所を重ねた地図と、徒歩ルートの案内を作る。")
    ContestPage.objects.filter(pk=contest.pk).update(
        submission_deadline=timezone.now() - timedelta(seconds=1)
    )
    button(page, "作品を保存する|Save the entry").click()
    page.wait_for_load_state()
    with translation.override("ja"):
        closed_message = services.closed_message(team_a)
    assert closed_message in page.locator("main").inner_text()
    assert submission.versions.count() == 2
    assert_accessible(page)

    # --- 5. the organizer grants an extension ------------------------------------------
    org = second_page
    org.context.clear_cookies()
    log_in(org, url, organizer)
    org.goto(url + f"/contests/{contest.pk}/dashboard/")
    assert "チーム防災マップ" in org.locator("main").inner_text()
    assert_accessible(org)
    org.locator(f"a[href$='/contests/teams/{team_a.pk}/extension/']").click()
    org.wait_for_url(re.compile(rf".*/contests/teams/{team_a.pk}/extension/$"))
    assert_accessible(org)
    until = in_tokyo(timezone.now() + timedelta(days=1))
    org.locator("#id_until_date").fill(until.strftime("%Y-%m-%d"))
    org.locator("#id_until_time").fill(until.strftime("%H:%M"))
    reason = "区のデータカタログが一時停止していたため、1日延長します。"
    org.locator("#id_reason").fill(reason)
    button(org, "延長を認める|Grant the extension").click()
    org.wait_for_url(re.compile(rf".*/contests/{contest.pk}/dashboard/$"))
    assert "チーム防災マップ" in org.locator(".messages").inner_text()
    assert_accessible(org)
    assert ActivityLog.objects.filter(action="contests.extension_granted", actor=organizer).exists()

    page.goto(url + f"/contests/teams/{team_a.pk}/")
    assert reason in page.locator("main").inner_text()
    assert_accessible(page)
    page.locator("main").get_by_role(
        "link", name=re.compile("作品を編集する|Edit the entry")
    ).click()
    page.locator("#id_solution").fill("人口データと避難所を重ねた地図と、徒歩ルートの案内を作る。")
    button(page, "作品を保存する|Save the entry").click()
    page.wait_for_url(re.compile(rf".*/contests/teams/{team_a.pk}/submission/$"))
    assert submission.versions.count() == 3
    assert_accessible(page)

    # The late save answers 409 on purpose, which Chromium logs as a failed load. So does
    # Wagtail's autosave of the new contest while the organizer is still filling it in
    # (an incomplete page answers 400; the editor shows that it could not autosave yet).
    late_save = "the server responded with a status of 409 (Conflict)"
    autosave = re.compile(r"status of 400 .*/admin/pages/add/")
    assert [e for e in page.js_errors if late_save not in e and not autosave.search(e)] == []
    assert len([e for e in page.js_errors if late_save in e]) == 1
    assert org.js_errors == []
