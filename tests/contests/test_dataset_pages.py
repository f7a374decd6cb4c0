"""The open dataset pages: the list, and each dataset with what uses it."""

import pytest
from bs4 import BeautifulSoup

from contests import services
from contests.models import ContestDataset, Resource

from . import factories as f

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def with_resource(dataset, **fields):
    Resource.objects.create(
        dataset=dataset,
        ckan_id=fields.pop("ckan_id", "r1"),
        name=fields.pop("name", "駐輪場一覧（CSV）"),
        format=fields.pop("format", "CSV"),
        url=fields.pop("url", "https://catalog.example.jp/dataset/koto/resource/r1.csv"),
        size=fields.pop("size", 2_500_000),
        last_modified=fields.pop("last_modified", f.tokyo(2026, 4, 1, 9, 0)),
        **fields,
    )
    return dataset


def test_dataset_page_shows_the_catalogs_facts_and_resources(client):
    # given
    dataset = with_resource(f.dataset())
    dataset.publisher = "江東区 都市整備部"
    dataset.licence_url = "https://creativecommons.org/licenses/by/4.0/deed.ja"
    dataset.tags = ["自転車", "駐輪場"]
    dataset.save()

    # when
    page = soup(client.get(f"/contests/datasets/{dataset.pk}/"))
    text = page.get_text(" ", strip=True)

    # then
    assert page.h1.get_text(strip=True) == "江東区 自転車駐車場一覧"
    assert "江東区 都市整備部" in text and "自転車" in text and "駐輪場" in text
    licence = page.find("a", string="クリエイティブ・コモンズ 表示")
    assert licence["href"] == "https://creativecommons.org/licenses/by/4.0/deed.ja"
    assert page.select_one('a[href="https://catalog.example.jp/dataset/koto-bicycle-parking"]')
    row = page.select_one(".resource-table tbody tr").get_text(" ", strip=True)
    assert "駐輪場一覧（CSV）" in row and "CSV" in row
    assert "2.4\xa0MB" in row
    assert "2026年4月1日(水) 09:00 日本時間 (UTC+09:00)" in row
    assert page.select_one(
        '.resource-table a[href="https://catalog.example.jp/dataset/koto/resource/r1.csv"]'
    )


def test_dataset_page_lists_contests_and_public_entries_using_it(client):
    # given: a contest suggests the dataset; one public and one private entry used it
    dataset = f.dataset()
    contest = f.contest(title="駐輪チャレンジ", slug="bicycles")
    ContestDataset.objects.create(contest=contest, dataset=dataset, sort_order=0)
    f.contest(title="関係のないチャレンジ")
    public = services.save_submission(
        (leader := f.entrant()),
        f.team(contest, leader, name="公開チーム"),
        f.SUBMISSION | {"title": "公開の作品"},
        datasets=[dataset],
    )
    private_leader = f.entrant()
    services.save_submission(
        private_leader,
        f.team(contest, private_leader, name="非公開チーム"),
        f.SUBMISSION | {"title": "非公開の作品", "is_public": False},
        datasets=[dataset],
    )

    # when
    page = soup(client.get(f"/contests/datasets/{dataset.pk}/"))

    # then
    contests = page.select_one("#contests-title").parent
    assert contests.select_one('a[href="/challenge/bicycles/"]').get_text() == "駐輪チャレンジ"
    assert "関係のないチャレンジ" not in contests.get_text()
    entries = page.select_one("#submissions-title").parent
    assert entries.select_one(f'a[href="/contests/submissions/{public.pk}/"]')
    assert "公開の作品" in entries.get_text()
    assert "非公開の作品" not in page.get_text()


def test_dataset_page_leaves_out_unpublished_contests(client):
    dataset = f.dataset()
    contest = f.contest(title="非公開のチャレンジ")
    ContestDataset.objects.create(contest=contest, dataset=dataset, sort_order=0)
    contest.unpublish()
    assert (
        "非公開のチャレンジ" not in client.get(f"/contests/datasets/{dataset.pk}/").content.decode()
    )


def test_unknown_dataset_is_404(client):
    assert client.get("/contests/datasets/999999/").status_code == 404


def test_dataset_list_paginates(client):
    for number in range(25):
        f.dataset(title=f"データセット{number:02d}", ckan_id=f"set-{number}")
    first = soup(client.get("/contests/datasets/"))
    second = soup(client.get("/contests/datasets/?page=2"))
    assert len(first.select(".item-list > li")) == 20
    assert len(second.select(".item-list > li")) == 5
    assert first.select_one("nav.pagination a[rel=next]")["href"] == "?page=2"
    assert "データセット: 25件" in first.get_text()


def test_dataset_list_counts_the_contests_linking_each(client):
    dataset = f.dataset()
    ContestDataset.objects.create(contest=f.contest(), dataset=dataset, sort_order=0)
    ContestDataset.objects.create(contest=f.contest(), dataset=dataset, sort_order=0)
    item = soup(client.get("/contests/datasets/")).select_one(".item-list > li")
    assert item.select("dd")[-1].get_text(strip=True) == "2"  # the last fact: contests
