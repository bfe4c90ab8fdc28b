"""The site header on a phone: a quarter of the screen at most, a menu that folds and opens by
touch, keyboard and without JavaScript; on wide screens the menu stays in view."""

import re

import pytest
from playwright.sync_api import expect

from .test_audits import axe_report

# A quarter of an 844 px high screen.
MAX_HEADER_HEIGHT = 211


def menu_link(page, name):
    return page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name=name, exact=True
    )


def header_height(page):
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/partner/",
        "/aktuelles/",
        "/aktuelles/beirat-fuer-sozialplanung-konstituiert/",
        "/suche/",
    ],
)
def test_header_takes_at_most_a_quarter_of_a_phone_screen(phone_390_page, demo_live_server, path):
    page = phone_390_page
    page.goto(f"{demo_live_server.url}{path}")
    height = header_height(page)
    print(f"\nheader at 390 × 844 on {path}: {height} px")
    assert height <= MAX_HEADER_HEIGHT
    # Folded: the links wait behind the toggle; the page's own heading is on screen.
    expect(menu_link(page, "Partnernetzwerk")).to_be_hidden()
    expect(page.locator("main h1").first).to_be_in_viewport()


def test_menu_opens_by_keyboard_and_its_links_and_search_are_reachable(
    phone_390_page, demo_live_server
):
    page = phone_390_page
    page.goto(f"{demo_live_server.url}/")
    toggle = page.locator("summary", has_text="Menü")
    # The skip link, "Leichte Sprache", the logo, then the menu's toggle.
    for _ in range(4):
        page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("details.site-menu")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(page.get_by_role("searchbox", name="Website durchsuchen")).to_be_focused()
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(menu_link(page, "Partnernetzwerk")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/partner/")

    # Space folds it again, as a screen reader user would toggle it.
    for _ in range(4):
        page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("details.site-menu")).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(page.locator("details.site-menu")).not_to_have_attribute("open", "")


def test_menu_works_without_javascript(phone_page_without_javascript, demo_live_server):
    page = phone_page_without_javascript
    page.goto(f"{demo_live_server.url}/")
    page.get_by_text("Menü", exact=True).click()
    menu_link(page, "Aktuelles").click()
    page.wait_for_url("**/aktuelles/")
    expect(page.get_by_role("heading", level=1, name="Aktuelles")).to_be_visible()
    page.get_by_text("Menü", exact=True).click()
    page.get_by_role("searchbox", name="Website durchsuchen").fill("Beirat")
    page.get_by_role("button", name="Suchen", exact=True).click()
    page.wait_for_url("**/suche/?q=Beirat")


def test_folded_and_opened_menu_have_no_axe_violations(phone_390_page, demo_live_server):
    page = phone_390_page
    page.goto(f"{demo_live_server.url}/aktuelles/")
    count, report = axe_report(page)
    assert count == 0, report
    page.locator("summary", has_text="Menü").click()
    expect(menu_link(page, "Kontakt")).to_be_visible()
    count, report = axe_report(page)
    assert count == 0, report


def test_wide_screens_show_the_menu_and_search_without_a_toggle(page, demo_live_server):
    page.goto(f"{demo_live_server.url}/")
    expect(page.locator("summary", has_text="Menü")).to_be_hidden()
    expect(page.get_by_role("searchbox", name="Website durchsuchen")).to_be_visible()
    menu_link(page, "Beirat").click()
    page.wait_for_url("**/beirat/")


def test_logo_link_is_named_by_its_visible_text(page, demo_live_server):
    page.goto(f"{demo_live_server.url}/ueber-uns/")
    logo = page.locator("a.brand")
    visible = " ".join(logo.inner_text().split())
    assert "LIGA der Freien Wohlfahrtspflege in Thüringen e.V." in visible
    # The accessible name begins with everything the link shows (WCAG 2.5.3).
    expect(page.get_by_role("link", name=re.compile("^" + re.escape(visible)))).to_have_count(1)
