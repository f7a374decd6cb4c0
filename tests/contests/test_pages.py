"""The public contest pages: the index with its filters, a contest page, the home page."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contests.models import ContestDataset, ContestPage

from . import factories as f

pytestmark = pytest.mark.django_db

INDEX = "/challenge/"


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def card_titles(client, query="") -> list[str]:
    page = soup(client.get(INDEX + query))
    return [a.get_text(strip=True) for a in page.select(".contest-card__title a")]


def with_theme(page: ContestPage, theme) -> ContestPage:
    page.themes.add(theme)
    page.save()
    return page


def move_clock_past_deadline(page: ContestPage) -> None:
    """As if the contest's submission deadline passed a day ago (judging now)."""
    now = timezone.now()
    ContestPage.objects.filter(pk=page.pk).update(
        entry_opens_at=now - timedelta(days=30),
        entry_closes_at=now - timedelta(days=10),
        submission_deadline=now - timedelta(days=1),
        results_at=now + timedelta(days=20),
    )


# --- The index ------------------------------------------------------------------------


def test_index_lists_every_live_contest_with_its_state(client):
    # given
    f.contest(state="upcoming", title="告知中のチャレンジ")
    f.contest(state="entry_open", title="募集中のチャレンジ")
    f.contest(state="finished", title="終了したチャレンジ")
    draft = f.contest(state="entry_open", title="非公開のチャレンジ")
    draft.unpublish()

    # when
    page = soup(client.get(INDEX))

    # then
    cards = {
        card.select_one(".contest-card__title").get_text(strip=True): card
        for card in page.select(".contest-card")
    }
    assert set(cards) == {"告知中のチャレンジ", "募集中のチャレンジ", "終了したチャレンジ"}
    assert cards["募集中のチャレンジ"].select_one(".contest-state--entry_open") is not None
    assert cards["告知中のチャレンジ"].select_one(".contest-state--upcoming") is not None
    assert cards["終了したチャレンジ"].select_one(".contest-state--finished") is not None
    assert "江東区" in cards["募集中のチャレンジ"].get_text()
    assert "¥500,000" in cards["募集中のチャレンジ"].get_text()  # 300,000 + 2 × 100,000
    assert "該当するコンテスト: 3件" in page.select_one(".result-count").get_text()


def test_index_card_counts_teams(client):
    contest = f.contest(title="チーム数のチャレンジ")
    f.team(contest, name="一班")
    f.team(contest, name="二班")
    card = soup(client.get(INDEX)).select_one(".contest-card")
    assert card.select("dd")[-1].get_text(strip=True) == "2チーム"


def test_index_filters_by_state(client):
    f.contest(state="upcoming", title="告知中")
    f.contest(state="entry_open", title="募集中")
    f.contest(state="building", title="開発中")
    f.contest(state="judging", title="審査中")
    f.contest(state="finished", title="終了")
    assert card_titles(client, "?state=upcoming") == ["告知中"]
    assert card_titles(client, "?state=entry_open") == ["募集中"]
    assert card_titles(client, "?state=building") == ["開発中"]
    assert card_titles(client, "?state=judging") == ["審査中"]
    assert card_titles(client, "?state=finished") == ["終了"]


def test_index_filters_by_ward_theme_and_dataset(client):
    koto = with_theme(f.contest(title="江東のチャレンジ"), f.theme())
    f.contest(title="台東のチャレンジ", ward_code=f.TAITO)
    ContestDataset.objects.create(contest=koto, dataset=f.dataset(), sort_order=0)

    assert card_titles(client, f"?ward={f.ward(f.TAITO).pk}") == ["台東のチャレンジ"]
    assert card_titles(client, f"?theme={f.theme().pk}") == ["江東のチャレンジ"]
    assert card_titles(client, f"?dataset={f.dataset().pk}") == ["江東のチャレンジ"]


def test_index_filter_form_is_labelled_and_submitted_by_get(client):
    f.contest()
    page = soup(client.get(INDEX))
    form = page.select_one("form.filter-form")
    assert form["method"] == "get"
    for name in ("state", "ward", "theme", "dataset"):
        select = form.select_one(f"select[name={name}]")
        assert page.select_one(f"label[for={select['id']}]") is not None
    assert form.select_one("button[type=submit]") is not None


def test_index_paginates(client):
    index = f.contest_index()
    index.per_page = 2
    index.save_revision().publish()
    for number in range(5):
        f.contest(title=f"チャレンジ{number}")

    first, last = card_titles(client), card_titles(client, "?page=3")
    assert len(first) == 2 and len(last) == 1
    page = soup(client.get(INDEX))
    assert page.select_one("nav.pagination a[rel=next]")["href"] == "?page=2"


def test_index_says_when_nothing_matches(client):
    f.contest(state="entry_open")
    page = soup(client.get(INDEX + "?state=finished"))
    assert not page.select(".contest-card")
    assert "条件に合うコンテストはありません。" in page.select_one(".empty-state").get_text()


def _index_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX)
    assert response.status_code == 200
    return len(queries)


def test_index_queries_do_not_grow_with_the_page(client):
    # given: a warm site cache, then 3 contests and then 12, each with teams and themes
    index = f.contest_index()
    index.per_page = 12
    index.save_revision().publish()
    client.get(INDEX)

    def add(count):
        for _ in range(count):
            contest = with_theme(f.contest(), f.theme())
            f.team(contest, name=f"チーム{ContestPage.objects.count()}")

    add(3)
    with_three = _index_queries(client)
    add(9)
    with_twelve = _index_queries(client)

    # then
    assert len(card_titles(client)) == 12
    assert with_twelve == with_three


# --- A contest page -------------------------------------------------------------------


def test_contest_page_shows_times_in_japan_time_with_the_offset(client):
    contest = f.contest(deadline=f.tokyo(2027, 3, 1, 23, 59), slug="march")
    assert contest.submission_deadline.second == 59  # stored to the end of the minute
    page = soup(client.get("/challenge/march/"))
    timeline = page.select_one(".timeline").get_text(" ", strip=True)
    assert "2027年3月1日(月) 23:59 日本時間 (UTC+09:00)" in timeline
    assert " JST" not in page.get_text()


def test_contest_page_shows_what_an_entrant_needs(client):
    # given
    contest = with_theme(f.contest(slug="full", summary="駅前の放置自転車を減らす。"), f.theme())
    ContestDataset.objects.create(contest=contest, dataset=f.dataset(), sort_order=0)

    # when
    page = soup(client.get("/challenge/full/"))
    text = page.get_text(" ", strip=True)

    # then
    assert page.h1.get_text(strip=True) == contest.title
    assert "江東区" in text and "放置自転車対策" in text and "駅前の放置自転車を減らす。" in text
    prizes = page.select_one(".prize-table").get_text(" ", strip=True)
    assert "最優秀賞" in prizes and "¥300,000" in prizes and "¥100,000" in prizes
    assert "¥500,000" in page.select_one(".prize-table tfoot").get_text()
    assert page.select_one(f'a[href="/contests/datasets/{f.dataset().pk}/"]') is not None
    assert page.select_one(f'a[href="/contests/{contest.pk}/calendar.ics"]') is not None
    current = page.select('.timeline [aria-current="step"]')
    assert len(current) == 1
    assert current[0]["data-phase"] == "entry_opens_at"  # entry opened, closes in ten days


def test_contest_page_countdown_comes_from_the_server(client):
    f.contest(state="entry_open", slug="clock")
    page = soup(client.get("/challenge/clock/"))
    left = page.select_one("[data-countdown]")
    assert left["aria-live"] == "off"
    seconds = int(left["data-seconds"])
    assert 9 * 86400 < seconds <= 10 * 86400  # entry closes in ten days
    assert left.get_text(strip=True)  # readable without JavaScript
    assert "%(days)s" in left["data-text-days"]
    assert page.select_one('script[src$="countdown.js"]') is not None


def test_anonymous_visitor_is_sent_to_log_in_before_entering(client):
    contest = f.contest(state="entry_open", slug="open")
    action = soup(client.get("/challenge/open/")).select_one(".contest-action")
    button = action.find("a", string="エントリーする")
    assert button["href"] == f"/accounts/login/?next=%2Fcontests%2F{contest.pk}%2Fenter%2F"


def test_signed_in_visitor_enters_directly(client):
    contest = f.contest(state="entry_open", slug="open")
    client.force_login(f.entrant())
    action = soup(client.get("/challenge/open/")).select_one(".contest-action")
    assert action.find("a", string="エントリーする")["href"] == f"/contests/{contest.pk}/enter/"


def test_entrant_with_a_team_is_sent_to_the_team_and_the_entry(client):
    contest = f.contest(state="entry_open", slug="mine")
    team = f.team(contest, name="チーム駐輪ナビ")
    client.force_login(team.leader)
    action = soup(client.get("/challenge/mine/")).select_one(".contest-action")
    assert "チーム駐輪ナビ" in action.get_text()
    assert action.find("a", string="エントリーする") is None
    assert action.select_one(f'a[href="/contests/teams/{team.pk}/"]') is not None
    assert action.select_one(f'a[href="/contests/teams/{team.pk}/submission/"]') is not None


def test_entrant_sees_the_organizers_announcements_and_others_do_not(client):
    from contests import services

    contest = f.contest(state="entry_open", slug="news")
    team = f.team(contest)
    services.send_announcement(f.organizer(), contest, "説明会のお知らせ", "12月5日に開きます。")
    client.force_login(team.leader)
    assert "説明会のお知らせ" in client.get("/challenge/news/").content.decode()
    client.force_login(f.entrant())
    assert "説明会のお知らせ" not in client.get("/challenge/news/").content.decode()


def test_after_the_deadline_the_page_says_entries_are_closed(client):
    # given: a team entered, then the deadline passed
    contest = f.contest(state="entry_open", slug="closed")
    team = f.team(contest)
    f.submit(team)
    move_clock_past_deadline(contest)

    # then: anonymous and the team both read that entries are closed
    for user in (None, team.leader):
        if user:
            client.force_login(user)
        action = soup(client.get("/challenge/closed/")).select_one(".contest-action")
        assert "作品の受付は締め切りました。" in action.get_text()
        assert action.find("a", string="エントリーする") is None
        assert action.select_one(f'a[href="/contests/teams/{team.pk}/submission/"]') is None


def test_public_entries_are_listed_and_private_ones_are_not(client):
    contest = f.contest(state="entry_open", slug="entries")
    public = f.submit(f.team(contest, name="公開チーム"), title="公開の作品")
    f.submit(f.team(contest, name="非公開チーム"), title="非公開の作品", is_public=False)
    page = soup(client.get("/challenge/entries/"))
    entries = page.select_one("#submissions-title").parent.get_text()
    assert "公開の作品" in entries and "非公開の作品" not in entries
    assert page.select_one(f'a[href="/contests/submissions/{public.pk}/"]') is not None


def test_english_page_shows_english_labels(client):
    f.contest(deadline=f.tokyo(2027, 3, 1, 23, 59), slug="english")
    html = client.get("/en/challenge/english/").content.decode()
    assert '<html lang="en">' in html
    assert "Timeline" in html and "Prizes" in html and "Who may enter" in html
    assert "Mon 1 March 2027, 23:59 Japan time (UTC+09:00)" in html
    assert "Koto City" in html


def test_english_index_lists_contests_not_yet_translated(client):
    f.contest(title="江東区 オープンデータ・チャレンジ 2027")
    page = soup(client.get("/en/challenge/"))
    assert [a.get_text(strip=True) for a in page.select(".contest-card__title a")] == [
        "江東区 オープンデータ・チャレンジ 2027"
    ]
    assert "Contests found: 1" in page.get_text(" ", strip=True)


def test_stable_link_redirects_to_the_live_page(client):
    contest = f.contest(slug="stable")
    response = client.get(f"/contests/{contest.pk}/")
    assert response.status_code == 302 and response["Location"] == "/challenge/stable/"
    contest.unpublish()
    assert client.get(f"/contests/{contest.pk}/").status_code == 404


# --- The home page and the menu -------------------------------------------------------


def test_home_page_lists_open_contests_and_not_finished_ones(client):
    f.contest(state="entry_open", title="募集中のチャレンジ")
    f.contest(state="building", title="開発中のチャレンジ")
    f.contest(state="finished", title="終了したチャレンジ")
    page = soup(client.get("/"))
    section = page.select_one(".home-contests")
    titles = [a.get_text(strip=True) for a in section.select(".contest-card__title a")]
    assert titles == ["開発中のチャレンジ", "募集中のチャレンジ"]  # soonest deadline first
    assert section.select_one(f'a[href="{INDEX}"]') is not None


def test_home_page_shows_at_most_three_contests(client):
    for number in range(4):
        f.contest(state="entry_open", title=f"募集中{number}")
    page = soup(client.get("/"))
    assert len(page.select(".home-contests .contest-card")) == 3


def test_home_page_without_open_contests_has_no_contest_section(client):
    f.contest(state="finished")
    assert soup(client.get("/")).select_one(".home-contests") is None


def test_menu_links_to_the_contest_index(client):
    f.contest_index().save_revision().publish()
    nav = soup(client.get("/")).select_one("nav.site-nav")
    assert nav.select_one(f'a[href="{INDEX}"]') is not None
