"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

There is no skip here on purpose: if Chromium cannot start, the tests fail.
"""

import os
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from ..conftest import FAST_PASSWORD_HASHERS
from ..factories import restore_migration_data

CHROMIUM = os.environ.get("KOSS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def site_server(collected_static, django_db_setup):
    """pytest-django's live server, but static files come through WhiteNoise, as in production.

    Django's test static handler looks files up by their source names and cannot serve the hashed
    names that the production storage writes into the pages. The test database comes first: with
    SQLite in memory, the server takes over the connection to it.
    """
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server(site_server):
    """The live server for a test that makes its own data: by this name pytest-django makes the
    test transactional and empties the database after it."""
    return site_server


def _uses_database(item):
    """Whether pytest-django creates the test database for this test (see django_db_setup)."""
    from django.test import TransactionTestCase

    cls = getattr(item, "cls", None)
    return bool(
        (cls and issubclass(cls, TransactionTestCase))
        or item.get_closest_marker("django_db")
        or {"db", "transactional_db", "live_server"} & set(item.fixturenames)
    )


@pytest.fixture(scope="session")
def _demo_database(request, django_db_setup, django_db_blocker):
    """pytest-django creates the test database only for a session with a test it sees using one;
    a session of tests on the shared demo content alone gets it here."""
    from django.test.utils import setup_databases, teardown_databases

    if any(_uses_database(item) for item in request.session.items):
        yield
        return
    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="module")
def _demo_site(_demo_database, site_server, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once for the module's tests that only read it (see
    demo_live_server). It is committed, as the live server's own connection must see it; after
    the module's last test the database is emptied, as after a transactional test. Settings as
    every test has them (tests/conftest.py): its files in a directory of their own, fast hashing.
    """
    media_root = tmp_path_factory.mktemp("demo-media")
    with (
        override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
        django_db_blocker.unblock(),
    ):
        restore_migration_data()
        call_command("load_demo_content", "--force", verbosity=0)
    yield SimpleNamespace(server=site_server, media_root=media_root)
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
        # As after a transactional test: the test database can be dropped at the end.
        for connection in connections.all(initialized_only=True):
            connection.close()


@pytest.fixture
def demo_live_server(request, _demo_site, django_db_blocker, settings):
    """The live server with the demo content, shared by the module's tests that use this fixture:
    loading the content costs seconds, such a test a few page visits. These tests may log in
    (a session, the time of the last login) but change no content; they run after the
    transactional tests (pytest-django sorts them with the tests without a database). A test
    here must not also be transactional: the database would be emptied after it."""
    from django.conf import settings as django_settings
    from django.core.cache import caches

    assert not request.node.get_closest_marker("django_db"), (
        "a test on the shared demo content must not be marked django_db"
    )
    assert not {"transactional_db", "live_server"} & set(request.fixturenames), (
        "a test on the shared demo content must not be transactional"
    )
    settings.MEDIA_ROOT = _demo_site.media_root
    server = _demo_site.server
    with django_db_blocker.unblock():
        # As tests/conftest.py's empty_cache does for a test with the database: rate limits and
        # used codes of the module's earlier tests are gone.
        for alias in django_settings.CACHES:
            caches[alias].clear()
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()


@pytest.fixture(scope="session")
def playwright():
    """One Playwright per process: its sync API runs one event loop, which a second would meet."""
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _watched_page(browser, viewport, **options):
    """A page whose Content-Security-Policy violations fail the test that caused them."""
    context = browser.new_context(locale="de-DE", viewport=viewport, **options)
    violations = []
    context.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append(f"{message.page.url if message.page else ''}: {message.text}")
        ),
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page, violations


@pytest.fixture
def page(browser):
    context, page, violations = _watched_page(browser, {"width": 1280, "height": 900})
    yield page
    context.close()
    assert violations == [], violations


@pytest.fixture
def phone_page(browser):
    context, page, violations = _watched_page(browser, {"width": 320, "height": 640})
    yield page
    context.close()
    assert violations == [], violations


# The phone most visitors hold: 390 × 844 CSS pixels.
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_390_page(browser):
    context, page, violations = _watched_page(browser, PHONE)
    yield page
    context.close()
    assert violations == [], violations


@pytest.fixture
def phone_page_without_javascript(browser):
    context, page, violations = _watched_page(browser, PHONE, java_script_enabled=False)
    yield page
    context.close()
    assert violations == [], violations


@pytest.fixture
def staff_page(live_server, page):
    """The page, logged in as staff who passed the second factor (without typing a code)."""
    from django.conf import settings
    from django.test import Client

    from ..factories import login_staff, make_staff, restore_migration_data

    restore_migration_data()
    client = Client()
    login_staff(client, make_staff())
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page
