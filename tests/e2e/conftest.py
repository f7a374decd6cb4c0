"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Chromium is the system one (/usr/bin/chromium); Playwright never downloads a browser
here. Background networking is off because this machine has no outside network.
"""

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make between browser steps are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def browser(django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Once Playwright's sync API runs an event loop in this thread, Django's connection
    # handler (an asgiref Local) hands the test a new connection object per context, and
    # the serialized database that serialized_rollback restores from stays on the old one.
    # Keep it and hand it to the connection the tests see once the loop runs. Being a
    # session-scoped autouse fixture, this runs before the first test's database restore.
    serialized = {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all()
        if hasattr(conn, "_test_serialized_contents")
    }

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run the README's test command, which installs it."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        yield browser
        browser.close()


def _new_page(browser, request, viewport):
    # bypass_csp lets the test inject axe-core; the site itself still sends its policy.
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport=viewport, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # pytest-django's live server speaks WSGI only, so the header's event socket cannot
    # open there. Tests that run the site under daphne (tests/servers.py) set
    # page.sockets_expected and every socket error counts again.
    page.sockets_expected = False

    def console(message):
        if message.type != "error":
            return
        if not page.sockets_expected and message.text.startswith("WebSocket connection to"):
            return
        # A blocked script or style (Content-Security-Policy) shows up as a console error.
        # The address says which load failed when the text alone does not.
        where = (message.location or {}).get("url")
        errors.append(f"{message.text} [{where}]" if where else message.text)

    page.on("console", console)
    page.js_errors = errors
    return context, page


@pytest.fixture
def page(browser, request, live_server):
    """A fresh browser tab, desktop-sized unless parametrized indirectly with "phone"."""
    context, page = _new_page(browser, request, VIEWPORTS[getattr(request, "param", "desktop")])
    yield page
    _save_on_failure(request, page)
    context.close()


def _save_on_failure(request, page, suffix=""):
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]", "_", request.node.nodeid) + suffix
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _axe_results(page, attempts=3):
    # A click that navigates returns before the next document exists; a script
    # put into the document being replaced is lost with it. Axe runs again on
    # the page the test arrived at once it has loaded.
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(attempts):
        page.wait_for_load_state("load")
        try:
            if not page.evaluate("typeof window.axe !== 'undefined'"):
                page.add_script_tag(path=str(AXE_JS))
            return page.evaluate(
                """async () => await axe.run(document, {
                    runOnly: {type: 'tag', values: [
                        'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
                })"""
            )
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
            page.wait_for_timeout(200)


def assert_accessible(page, *, impacts=("serious", "critical")):
    """Run axe-core (from npm) on the current page; fail on serious or critical issues."""
    results = _axe_results(page)
    violations = [v for v in results["violations"] if v["impact"] in impacts]
    summary = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in violations
    ]
    assert not violations, f"axe found issues on {page.url}:\n" + json.dumps(
        summary, ensure_ascii=False, indent=2
    )


@pytest.fixture
def second_page(browser, request, live_server):
    """Another person's browser, beside `page` (a phone, as most residents use one)."""
    context, page = _new_page(browser, request, VIEWPORTS["phone"])
    yield page
    _save_on_failure(request, page, "-second")
    context.close()


def field(page, label):
    """A form control by its visible label (which may end with the 必須 badge)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s*必須)?$"))


def log_in(page, server, user):
    """Give the browser a session for `user` without the login form.

    `server` is pytest-django's live_server or the base URL of a daphne process.
    """
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    url = getattr(server, "url", server)
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": url}])


def outside_the_browser_loop(function, *args):
    """Run a service that broadcasts (async_to_sync) away from Playwright's event loop."""
    from django.db import connection

    def run():
        try:
            return function(*args)
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@pytest.fixture(autouse=True)
def _user_events_away_from_the_browser_loop(monkeypatch):
    """Every e-mail a service sends is also a notice pushed to the person's sockets
    (core.realtime.send_user_event, async_to_sync). Set-up code between browser steps
    runs in Playwright's event loop thread, where async_to_sync cannot run; the push
    goes out from a thread of its own instead, as it does from a view."""
    import asyncio

    from core import realtime

    original = realtime.group_send

    def group_send(group, event):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return original(group, event)
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(original, group, event).result()

    monkeypatch.setattr(realtime, "group_send", group_send)
