"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

There is no skip here on purpose: if Chromium cannot start, the tests fail.
"""

import os

import pytest
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

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
def live_server(collected_static):
    """pytest-django's live server, but static files come through WhiteNoise, as in production.

    Django's test static handler looks files up by their source names and cannot serve the hashed
    names that the production storage writes into the pages.
    """
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


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
