"""Contests for a resident (issue #22): those they may enter, their own wards' first,
none they already entered; shown on My page with the reasons."""

import pytest
from django.urls import reverse

from contests.services.recommendations import contests_for
from tests.marketplace import factories as mf

from . import factories as f

pytestmark = pytest.mark.django_db

SETAGAYA = "131121"


@pytest.fixture
def designer():
    return mf.resident(display_name="デザイナー 花子", ward_code=SETAGAYA)


def _titles(recommendations):
    return [r.contest.title for r in recommendations]


def test_her_wards_contest_first_and_another_wards_own_contest_never(designer):
    f.contest(title="23区 チャレンジ", ward_code=f.KOTO)
    f.contest(title="江東区民限定 チャレンジ", ward_code=f.KOTO, eligibility_area="ward")
    f.contest(title="世田谷区 チャレンジ", ward_code=SETAGAYA, eligibility_area="ward")
    found = contests_for(designer)
    assert _titles(found) == ["世田谷区 チャレンジ", "23区 チャレンジ"]
    assert found[0].reasons[0] == "世田谷区のコンテスト（あなたの区）"
    assert found[1].reasons[0] == "江東区"
    assert found[0].reasons[1].startswith("エントリー締切: ")


def test_a_contest_she_entered_or_that_no_longer_takes_entries_is_not_offered(designer):
    entered = f.contest(title="参加済み チャレンジ")
    f.team(entered, leader=designer)
    f.contest(title="受付前 チャレンジ", state="upcoming")
    f.contest(title="制作中 チャレンジ", state="building")
    assert contests_for(designer) == []


def test_my_page_shows_them_and_no_empty_section_without_any(client, designer):
    client.force_login(designer)
    assert "応募できるシビックテック・チャレンジ" not in client.get(
        reverse("marketplace:dashboard")
    ).content.decode()
    f.contest(title="世田谷区 チャレンジ", ward_code=SETAGAYA)
    page = client.get(reverse("marketplace:dashboard")).content.decode()
    assert "応募できるシビックテック・チャレンジ" in page
    assert "世田谷区 チャレンジ" in page
    assert "世田谷区のコンテスト（あなたの区）" in page
