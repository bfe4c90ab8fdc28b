from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from ..factories import make_partner, region

pytestmark = pytest.mark.django_db(transaction=True)


def test_keyboard_user_focuses_a_district_sees_its_count_and_opens_it(live_server, page):
    make_partner("Stadtliga Jena", region=region("jena"))
    make_partner("Stadtliga Erfurt", region=region("erfurt"))
    page.goto(f"{live_server.url}/")
    page.mouse.move(0, 0)

    # Tab through the page until the district of Jena has the focus.
    jena = page.get_by_role("link", name="Jena: 1 mit Sitz, 1 tätig")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.ags") == "16053":
            break
    expect(jena).to_be_focused()
    # The focused district names itself visibly on the map.
    expect(page.locator('[data-label="16053"]')).to_be_visible()
    expect(page.locator('[data-label="16051"]')).to_be_hidden()

    page.keyboard.press("Enter")
    page.wait_for_url("**/partner/?region=jena#ergebnisse")
    expect(page.get_by_role("link", name="Stadtliga Jena")).to_be_visible()
    expect(page.get_by_role("link", name="Stadtliga Erfurt")).to_have_count(0)
    current = page.locator('.partner-map__district[aria-current="true"]')
    expect(current).to_have_attribute("data-ags", "16053")

    # From the filtered directory, a click on another district switches the filter.
    page.locator('.partner-map__district[data-ags="16051"]').click()
    assert parse_qs(urlsplit(page.url).query) == {"region": ["erfurt"]}
    expect(page.get_by_role("link", name="Stadtliga Erfurt")).to_be_visible()


def test_the_table_alternative_has_the_same_numbers(live_server, page):
    make_partner("Stadtliga Gera", region=region("gera"))
    page.goto(f"{live_server.url}/partner/")
    page.get_by_text("Die Zahlen als Tabelle").click()
    row = page.get_by_role("row", name="Gera 1 1")
    expect(row).to_be_visible()
