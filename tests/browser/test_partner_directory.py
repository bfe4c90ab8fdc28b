from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from partners.models import Partner

from ..factories import make_partner, make_topic, region

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def network():
    planning = make_topic("Kommunale Sozialplanung", slug="kommunale-sozialplanung")
    liga = make_partner(
        "LIGA der Freien Wohlfahrtspflege in Thüringen e.V.",
        slug="liga-thueringen",
        kind=Partner.Kind.WELFARE_ASSOCIATION,
    )
    make_partner(
        "Stadtliga Erfurt",
        slug="stadtliga-erfurt",
        kind=Partner.Kind.LEAGUE,
        level=Partner.Level.MUNICIPAL,
        region=region("erfurt"),
        parent=liga,
        topics=[planning],
        cooperation="KOSS berät die Stadtliga zur kommunalen Sozialplanung.",
    )
    make_partner(
        "Stadtliga Jena",
        slug="stadtliga-jena",
        kind=Partner.Kind.LEAGUE,
        level=Partner.Level.MUNICIPAL,
        region=region("jena"),
        parent=liga,
    )
    make_partner("Verein für Sozialplanung e.V.", region=region("bundesweit"))


def test_visitor_filters_the_directory_shares_the_url_and_opens_a_partner(
    live_server, page, network
):
    page.goto(f"{live_server.url}/partner/")
    expect(page.get_by_role("heading", name="4 Partner")).to_be_visible()

    page.get_by_label("Art", exact=True).select_option(label="Kreis- oder Stadtliga")
    page.get_by_label("Region", exact=True).select_option(label="Erfurt")
    page.get_by_role("button", name="Anzeigen").click()

    expect(page.get_by_role("heading", name="1 Partner passt zu Ihrer Auswahl")).to_be_visible()
    query = urlsplit(page.url).query
    assert "kind=liga" in query and "region=erfurt" in query

    # The filtered URL is shareable: a fresh visitor opening it sees the same selection.
    shared = page.context.new_page()
    shared.goto(page.url)
    expect(shared.get_by_role("link", name="Stadtliga Erfurt")).to_be_visible()
    expect(shared.get_by_role("link", name="Stadtliga Jena")).to_have_count(0)
    shared.close()

    page.get_by_role("link", name="Stadtliga Erfurt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stadtliga Erfurt")
    expect(page.get_by_text("KOSS berät die Stadtliga")).to_be_visible()
    page.get_by_role(
        "link", name="LIGA der Freien Wohlfahrtspflege in Thüringen e.V.", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Zugehörige Organisationen")).to_be_visible()
    expect(page.get_by_role("link", name="Stadtliga Jena")).to_be_visible()


def test_search_by_name_and_keyboard_use_on_a_phone(live_server, phone_page, network):
    page = phone_page
    page.goto(f"{live_server.url}/partner/")
    # The first Tab reaches the skip link, which leads to the main content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    page.keyboard.press("Enter")
    assert urlsplit(page.url).fragment == "inhalt"

    page.get_by_label("Name", exact=True).fill("jena")
    page.get_by_label("Name", exact=True).press("Enter")
    expect(page.get_by_role("link", name="Stadtliga Jena")).to_be_visible()
    expect(page.get_by_role("link", name="Stadtliga Erfurt")).to_have_count(0)
    # Nothing overflows horizontally at 320 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
