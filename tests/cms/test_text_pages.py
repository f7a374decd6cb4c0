import pytest

from cms import demo
from core.demo import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    demo.seed(DemoContext())


def test_terms_and_privacy_pages_in_both_languages(client, seeded):
    assert "<h1>利用規約</h1>" in client.get("/terms/").content.decode()
    assert "<h1>プライバシーポリシー</h1>" in client.get("/privacy/").content.decode()
    assert "<h1>Terms of use</h1>" in client.get("/en/terms/").content.decode()
    english_privacy = client.get("/en/privacy/").content.decode()
    assert "<h1>Privacy policy</h1>" in english_privacy
    assert 'aria-current="page">Privacy policy' in english_privacy  # breadcrumb


def test_footer_links_to_the_pages_shown_in_menus(client, seeded):
    html = client.get("/").content.decode()
    assert 'href="/terms/">利用規約</a>' in html
    assert 'href="/guide/">はじめての方へ</a>' in html
    assert 'href="/en/terms/">Terms of use</a>' in client.get("/en/").content.decode()


def test_signup_form_links_to_the_terms(client, seeded):
    html = client.get("/accounts/signup/").content.decode()
    assert '<a href="/terms/">利用規約</a>' in html
    assert '<a href="/privacy/">プライバシーポリシー</a>' in html


def _queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm the site cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_text_page_queries_do_not_grow_with_the_menu(client, seeded):
    from cms.models import HomePage, StandardPage

    before = _queries(client, "/guide/")
    home = HomePage.objects.get(locale__language_code="ja")
    for n in range(3):
        page = StandardPage(title=f"よくある質問 {n}", slug=f"faq-{n}", show_in_menus=True)
        home.add_child(instance=page)
        page.save_revision().publish()

    assert _queries(client, "/guide/") == before <= 12
    assert "よくある質問 2" in client.get("/guide/").content.decode()
