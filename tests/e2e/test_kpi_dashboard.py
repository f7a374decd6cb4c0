"""DOMAIN.md flow 8 on a phone: a 台東区 administrator opens the KPI dashboard from My
page, reads the figures in the table beside the charts and downloads the open data CSV;
a 世田谷区 administrator cannot open 台東区's ward view. axe checks each page."""

import csv
import io
import re

import pytest

from tests.insights.conftest import SETAGAYA, TAITO, matched, ward_moderator
from tests.marketplace import factories as f

from .conftest import assert_accessible, log_in, outside_the_browser_loop

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_ward_administrator_reads_her_wards_figures_and_downloads_the_csv(
    page, second_page, live_server
):
    url = live_server.url

    def board():
        shop = f.organization()  # 台東区
        matched(shop, f.resident(display_name="世田谷の区民"), title="SNSの発信")
        return ward_moderator(TAITO, display_name="台東区 担当"), ward_moderator(SETAGAYA)

    taito_admin, setagaya_admin = outside_the_browser_loop(board)

    log_in(page, live_server, taito_admin)
    page.goto(url + "/dashboard/")
    page.get_by_role("link", name="KPIダッシュボードを開く").click()
    page.wait_for_url(re.compile(rf".*/kpi/wards/{TAITO}/$"))
    assert "台東区" in page.get_by_role("heading", level=1).inner_text()
    details = page.get_by_role("region", name="同じ数値の内訳")
    row = details.get_by_role("row", name=re.compile("マッチング成立件数"))
    assert row.get_by_role("cell").first.inner_text().strip() == "1"
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("オープンデータ")).first.click()
    page.wait_for_url(re.compile(r".*/kpi/open-data/$"))
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"CSV")).first.click()
    content = open(download_info.value.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Japanese Excel
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows  # the header and the 23 wards' total at least

    log_in(second_page, live_server, setagaya_admin)
    response = second_page.goto(url + f"/kpi/wards/{TAITO}/")
    assert response.status == 404
    response = second_page.goto(url + "/kpi/")
    second_page.wait_for_url(re.compile(rf".*/kpi/wards/{SETAGAYA}/$"))
    assert "世田谷区" in second_page.get_by_role("heading", level=1).inner_text()
