"""The personal calendar address on a phone: one tap subscribes, a button copies the address,
and without JavaScript the whole address can be selected."""

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ..factories import make_board, make_member
from .test_members_area import account, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("KOSS_SCREENSHOTS")


@pytest.fixture
def member(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    board = make_board(is_current=True)
    make_member(board, account("mitglied@example.org"), first_name="Maria", last_name="Mitglied")


def phone(browser, live_server, **options):
    context = browser.new_context(locale="de-DE", viewport=PHONE, **options)
    violations = []
    context.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page, violations


def test_copy_button_copies_the_address_and_the_page_passes_axe(browser, live_server, member):
    context, page, violations = phone(browser, live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server, "mitglied@example.org")
    page.get_by_role("button", name="Kalender-Link erzeugen").click()
    subscribe = page.get_by_role("link", name="Im Kalender abonnieren")
    expect(subscribe).to_have_attribute("href", re.compile(r"^webcal://.+\.ics$"))
    address = page.locator("#calendar-url").inner_text()
    assert address.startswith("http") and address.endswith(".ics")
    assert subscribe.get_attribute("href") == "webcal://" + address.split("://", 1)[1]

    page.get_by_role("button", name="Adresse kopieren").click()
    expect(page.get_by_role("status").filter(has_text="Adresse")).to_have_text(
        "Die Adresse ist kopiert. Fügen Sie sie in Ihrem Kalenderprogramm ein."
    )
    assert page.evaluate("navigator.clipboard.readText()") == address

    page.get_by_text("Google Kalender", exact=True).click()
    expect(page.get_by_text("„Per URL“", exact=False)).to_be_visible()
    if SHOTS:
        page.locator("#calendar-heading").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/calendar-phone.png", full_page=True)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    context.close()
    assert violations == []


def test_without_javascript_the_whole_address_is_selectable_text(browser, live_server, member):
    context, page, violations = phone(browser, live_server, java_script_enabled=False)
    log_in(page, live_server, "mitglied@example.org")
    page.get_by_role("button", name="Kalender-Link erzeugen").click()
    expect(page.get_by_role("button", name="Adresse kopieren")).to_be_hidden()
    code = page.locator("#calendar-url")
    expect(code).to_be_visible()
    box = code.bounding_box()
    # Not cut off: the address wraps inside the page's width.
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert code.evaluate("element => element.scrollWidth <= element.clientWidth")
    if SHOTS:
        code.scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/calendar-phone-no-js.png")
    context.close()
    assert violations == []


def test_after_making_the_link_the_phone_shows_it_and_the_message_has_the_focus(
    browser, live_server, member
):
    context, page, violations = phone(browser, live_server)
    log_in(page, live_server, "mitglied@example.org")
    page.get_by_role("button", name="Kalender-Link erzeugen").click()
    subscribe = page.get_by_role("link", name="Im Kalender abonnieren")
    expect(subscribe).to_be_in_viewport()
    assert page.url.endswith("/beirat/intern/#kalender")
    expect(page.locator("#calendar-url")).to_be_in_viewport()
    # The section has the focus, described by the message: a screen reader reads both out.
    section = page.get_by_role("region", name="Persönlicher Sitzungskalender")
    expect(section).to_be_focused()
    expect(section).to_have_accessible_description(
        "Ihr persönlicher Kalender-Link ist bereit. Ein früherer Link gilt nicht mehr."
    )
    # Further down the page than the top, where it used to open.
    assert page.evaluate("window.scrollY") > 0
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    context.close()
    assert violations == []
