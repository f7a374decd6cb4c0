import pytest

from cms import demo
from core.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_fresh_site_serves_the_japanese_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "区を越えて、あなたのスキルを地域へ" in html
    assert "台東区" in html and "江戸川区" in html  # the 23 wards
    assert 'href="#main"' in html  # skip link


def test_english_translation_is_served_under_en():
    demo.seed(DemoContext())
    from django.test import Client

    html = Client().get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Bring your skills to the neighbourhood" in html
    assert "Taito City" in html


def test_home_page_without_english_translation_falls_back_to_japanese_content(client):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "区を越えて、あなたのスキルを地域へ" in html


def test_seeded_home_page_has_features_and_signup_link(client):
    demo.seed(DemoContext())
    html = client.get("/").content.decode()
    assert "区を越えた協力" in html
    assert 'href="/accounts/signup/"' in html


def test_home_page_query_count_is_fixed(client, django_assert_max_num_queries):
    demo.seed(DemoContext())
    client.get("/")  # warm Wagtail's site cache
    with django_assert_max_num_queries(12):
        client.get("/")
