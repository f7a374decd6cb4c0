"""The dashboard's figures: what a ward administrator reads for her ward and for all."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.japan_time import TOKYO
from insights import figures
from marketplace import services
from marketplace.models import Match
from tests.insights.conftest import SETAGAYA, TAITO, all_ward_moderator, matched, ward_moderator
from tests.marketplace import factories as f

pytestmark = pytest.mark.django_db


def test_fiscal_years_run_from_april_to_march_in_japan_time():
    # 31 March 23:59 in Tokyo is still the year before; 1 April 00:00 starts the next.
    assert figures.fiscal_year_of(datetime(2027, 3, 31, 23, 59, tzinfo=TOKYO)) == 2026
    assert figures.fiscal_year_of(datetime(2027, 4, 1, 0, 0, tzinfo=TOKYO)) == 2027
    # 2027-03-31 15:00 UTC is already 1 April in Tokyo.
    assert figures.fiscal_year_of(datetime(2027, 3, 31, 15, 0, tzinfo=UTC)) == 2027


def test_matches_count_in_the_ward_of_the_task_with_the_cross_ward_share(board, wards):
    # given: 台東区's shop matched a 世田谷区 resident and a 台東区 resident

    # when
    data = figures.compute()

    # then
    taito = data.row_for(wards[TAITO])
    assert taito.matches == 2
    assert taito.cross_ward_matches == 1
    assert taito.cross_ward_share == 0.5
    assert data.row_for(wards[SETAGAYA]).matches == 0
    assert data.total.matches == 2
    assert sum(month["matches"] for month in data.months) == 2


def test_registered_users_are_residents_by_home_ward_and_members_by_organization(board, wards):
    data = figures.compute()

    assert data.row_for(wards[SETAGAYA]).residents == 1
    assert data.row_for(wards[TAITO]).residents == 1
    # The shop's owner and the moderator who verified it have no profile: the owner
    # counts in the shop's ward, the moderator (no organization) nowhere.
    assert data.row_for(wards[TAITO]).organization_members == 1
    assert data.row_for(wards[TAITO]).registered_users == 2
    assert data.total.registered_users == sum(row.registered_users for row in data.rows)


def test_completion_rate_median_days_and_verified_hours(board, wards):
    # given: the cross-ward match completes with 4.5 confirmed hours; the local one is cancelled
    cross, local = board["cross"], board["local"]
    member = board["shop"].memberships.first().user
    entry = services.log_hours(
        cross.resident, cross, date=timezone.localdate(), hours=Decimal("4.5"), note="投稿"
    )
    services.decide_hours(member, entry, confirm=True)
    Match.objects.filter(pk=cross.pk).update(status="completed")
    Match.objects.filter(pk=local.pk).update(status="cancelled")
    # the tasks were published 3 days before the matches
    for match in (cross, local):
        type(match.task).objects.filter(pk=match.task_id).update(
            published_at=match.created_at - timedelta(days=3, hours=1)
        )

    # when
    taito = figures.compute().row_for(wards[TAITO])

    # then
    assert taito.completion_rate == 0.5
    assert taito.median_days_to_match == 3
    assert taito.verified_hours == Decimal("4.5")
    assert taito.volunteers_with_verified_hours == 1


def test_a_match_of_last_fiscal_year_is_not_in_this_years_figures(board, wards):
    last_year = figures.fiscal_year_of() - 1
    Match.objects.filter(pk=board["local"].pk).update(
        created_at=datetime(last_year + 1, 3, 31, 23, 0, tzinfo=TOKYO)
    )

    assert figures.compute().row_for(wards[TAITO]).matches == 1
    assert figures.compute(last_year).row_for(wards[TAITO]).matches == 1


def test_the_ward_page_shows_the_wards_figures_with_a_chart_and_a_table(client, board, wards):
    client.force_login(ward_moderator(TAITO))

    page = client.get(f"/kpi/wards/{TAITO}/").content.decode()

    assert "台東区" in page
    assert 'role="img"' in page and "<table" in page
    assert "<script" not in page.split("</main>")[0].split("<main")[1]  # server-drawn
    assert "50%" in page or "50.0%" in page  # the cross-ward share


def test_the_dashboard_renders_in_english(client, board, wards):
    client.force_login(all_ward_moderator())

    page = client.get("/en/kpi/").content.decode()

    assert "KPI dashboard: all 23 wards" in page
    assert "Taito City" in page
    assert 'lang="en"' in page


def test_the_dashboard_asks_a_fixed_number_of_queries(
    client, board, wards, django_assert_max_num_queries
):
    client.force_login(all_ward_moderator())
    client.get("/kpi/")
    from django.core.cache import cache

    cache.clear()
    for _ in range(3):  # more matches do not add queries
        matched(board["shop"], f.resident(ward_code="131016"))
    with django_assert_max_num_queries(30):
        assert client.get("/kpi/").status_code == 200
