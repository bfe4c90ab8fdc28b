"""On a 390 × 844 phone, a map tap or a filter leads straight to the results, which show their
count and the filters in force; the map and the form stay one tap away. With and without
JavaScript."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from partners.models import Partner

from ..factories import make_article, make_partner, region
from .conftest import _watched_page

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def phone(browser, request):
    context, page, violations = _watched_page(browser, PHONE)
    if not request.param:
        context.close()
        context = browser.new_context(locale="de-DE", viewport=PHONE, java_script_enabled=False)
        page = context.new_page()
        page.set_default_timeout(10_000)
    yield page
    context.close()
    assert violations == [], violations


@pytest.fixture
def network():
    liga = make_partner("LIGA der Freien Wohlfahrtspflege", kind=Partner.Kind.WELFARE_ASSOCIATION)
    make_partner("Kreisliga Nordhausen", kind=Partner.Kind.LEAGUE, region=region("nordhausen"))
    community = make_partner(
        "Regionale Planungsgemeinschaft Nordthüringen",
        kind=Partner.Kind.PLANNING_COMMUNITY,
        region=region("kyffhaeuserkreis"),
    )
    community.districts.set(community.default_districts())
    for number in range(12):
        make_partner(f"Stadtliga {number:02}", region=region("erfurt"), parent=liga)


def in_viewport(locator):
    box = locator.bounding_box()
    return (
        box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 120) <= PHONE["height"]
    )


def test_tapping_a_district_shows_its_first_result_on_screen(live_server, phone, network):
    phone.goto(f"{live_server.url}/partner/")
    # The map is below the header and the introduction; the results far below it.
    assert not in_viewport(phone.locator("#ergebnisse"))

    phone.locator('.partner-map__district[data-ags="16062"]').click()
    phone.wait_for_url("**/partner/?region=nordhausen#ergebnisse")
    expect(
        phone.get_by_role("heading", name="3 Partner passen zu Ihrer Auswahl")
    ).to_be_in_viewport()
    expect(
        phone.get_by_role("link", name="Filter Region: Nordhausen entfernen")
    ).to_be_in_viewport()
    first = phone.locator("#ergebnisse .card").first
    expect(first).to_contain_text("Kreisliga Nordhausen")
    assert in_viewport(first), first.bounding_box()
    print(f"\nFirst result after a tap at 390 × 844: y = {first.bounding_box()['y']:.0f} px")
    expect(
        phone.get_by_role(
            "heading", name="1 Partner mit Sitz anderswo ist auch im Landkreis Nordhausen tätig"
        )
    ).to_be_visible()

    # The map is one tap away, and from there the next district.
    phone.get_by_role("link", name="Karte anzeigen").click()
    expect(phone.locator(".partner-map__svg")).to_be_in_viewport()
    phone.locator('.partner-map__district[data-ags="16051"]').click()
    phone.wait_for_url("**/partner/?region=erfurt#ergebnisse")
    assert in_viewport(phone.locator("#ergebnisse .card").first)


def test_a_filter_leads_to_the_results_and_a_chip_removes_it(live_server, phone, network):
    phone.goto(f"{live_server.url}/partner/")
    phone.get_by_label("Art", exact=True).select_option(label="Kreis- oder Stadtliga")
    phone.get_by_label("Region", exact=True).select_option(label="Nordhausen")
    phone.get_by_role("button", name="Anzeigen").click()
    phone.wait_for_url("**#ergebnisse")
    assert parse_qs(urlsplit(phone.url).query) == {"kind": ["liga"], "region": ["nordhausen"]}
    expect(
        phone.get_by_role("heading", name="1 Partner passt zu Ihrer Auswahl")
    ).to_be_in_viewport()
    assert in_viewport(phone.locator("#ergebnisse .card").first)

    phone.get_by_role("link", name="Filter Art: Kreis- oder Stadtliga entfernen").click()
    phone.wait_for_url("**/partner/?region=nordhausen#ergebnisse")
    expect(
        phone.get_by_role("heading", name="3 Partner passen zu Ihrer Auswahl")
    ).to_be_in_viewport()
    phone.get_by_role("link", name="Filter ändern").click()
    expect(phone.get_by_label("Region", exact=True)).to_be_in_viewport()
    expect(phone.get_by_label("Region", exact=True)).to_have_value("nordhausen")


def test_news_filter_leads_to_the_results(live_server, phone):
    for number in range(4):
        make_article(f"Meldung {number}", kind="meldung")
    make_article("Die Pressemitteilung", kind="pressemitteilung")
    phone.goto(f"{live_server.url}/aktuelles/")
    phone.get_by_label("Art", exact=True).select_option(label="Pressemitteilung")
    phone.get_by_role("button", name="Anzeigen").click()
    phone.wait_for_url("**#ergebnisse")
    expect(phone.get_by_role("heading", name="1 Beitrag")).to_be_in_viewport()
    expect(
        phone.get_by_role("link", name="Filter Art: Pressemitteilung entfernen")
    ).to_be_in_viewport()
    assert in_viewport(phone.locator("#ergebnisse .card").first)
    phone.get_by_role("link", name="Filter Art: Pressemitteilung entfernen").click()
    expect(phone.get_by_role("heading", name="5 Beiträge")).to_be_in_viewport()
