"""Who opens which KPI page: ward administrators their ward only (another ward's is not
there: 404), all-ward moderators every ward, anonymous visitors go to log in; the open
data is public."""

import pytest

from tests.accounts.factories import UserFactory
from tests.insights.conftest import SETAGAYA, TAITO, all_ward_moderator, ward_moderator

pytestmark = pytest.mark.django_db

OPEN_DATA = [
    "/kpi/open-data/",
    "/kpi/open-data/kpi_wards.csv",
    "/kpi/open-data/kpi_wards.json",
    "/kpi/open-data/kpi_wards.schema.json",
    "/kpi/open-data/kpi_submissions_per_dataset.csv",
    "/kpi/open-data/kpi_submissions_per_dataset.schema.json",
]


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("setagaya", f"/kpi/wards/{SETAGAYA}/", 200),
        ("setagaya", f"/kpi/wards/{TAITO}/", 404),
        ("setagaya", "/kpi/wards/999999/", 404),
        ("all", f"/kpi/wards/{TAITO}/", 200),
        ("all", f"/kpi/wards/{SETAGAYA}/", 200),
        ("all", "/kpi/", 200),
        ("resident", "/kpi/", 403),
        ("resident", f"/kpi/wards/{SETAGAYA}/", 404),
    ],
)
def test_who_opens_which_ward(client, wards, who, url, status):
    # given
    user = {
        "setagaya": lambda: ward_moderator(SETAGAYA),
        "all": all_ward_moderator,
        "resident": UserFactory,
    }[who]()
    client.force_login(user)
    # when
    response = client.get(url)
    # then
    assert response.status_code == status


def test_a_ward_administrator_is_taken_to_their_ward(client, wards):
    client.force_login(ward_moderator(SETAGAYA))

    response = client.get("/kpi/")

    assert response.status_code == 302
    assert response["Location"] == f"/kpi/wards/{SETAGAYA}/"
    page = client.get(response["Location"]).content.decode()
    assert "世田谷区" in page
    assert "台東区" not in page  # nothing of another ward


def test_an_administrator_of_two_wards_chooses_one(client, wards):
    user = ward_moderator(SETAGAYA)
    from accounts import services as account_services
    from accounts.models import Role

    account_services.grant_role(user, Role.MODERATOR, ward=wards[TAITO])

    client.force_login(user)

    page = client.get("/kpi/")

    assert page.status_code == 200
    text = page.content.decode()
    assert f"/kpi/wards/{SETAGAYA}/" in text and f"/kpi/wards/{TAITO}/" in text
    assert "/kpi/wards/131016/" not in text  # 千代田区 is not theirs


def test_an_all_ward_moderator_sees_all_23_wards(client, wards):
    client.force_login(all_ward_moderator())

    page = client.get("/kpi/").content.decode()

    for ward in wards.values():
        assert f"/kpi/wards/{ward.code}/?year=" in page
        assert ward.name_ja in page


@pytest.mark.parametrize("url", ["/kpi/", f"/kpi/wards/{SETAGAYA}/", "/en/kpi/"])
def test_anonymous_visitors_are_sent_to_log_in(client, wards, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].split("?")[0] in ("/accounts/login/", "/en/accounts/login/")
    assert "next=" in response["Location"]


def test_a_moderator_without_a_second_factor_enrols_first(client, wards):
    from accounts import services as account_services
    from accounts.models import Role

    user = UserFactory()
    account_services.grant_role(user, Role.MODERATOR)
    client.force_login(user)

    response = client.get("/kpi/")

    assert response.status_code == 302
    assert "two-factor" in response["Location"]


@pytest.mark.parametrize("url", OPEN_DATA)
def test_the_open_data_is_public(client, wards, url):
    assert client.get(url).status_code == 200
