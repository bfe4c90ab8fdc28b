"""Accessibility (axe-core) and privacy audits of every page type, in a real browser."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PUBLIC_PAGES = [
    "/",
    "/partner/",
    "/partner/?region=erfurt&kind=liga",
    "/partner/?region=nordhausen",
    "/partner/?kind=unbekannt&page=abc",
    "/partner/stabsstelle-strategische-sozialplanung/",
    "/partner/liga-thueringen/",
    "/ueber-uns/",
    "/kontakt/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/leichte-sprache/koss/",
    "/leichte-sprache/kontakt/",
    "/glossar/",
    "/aktuelles/",
    "/aktuelles/?year=abcd",
    "/aktuelles/?kind=pressemitteilung",
    "/aktuelles/abonnieren/",
    "/aktuelles/beirat-fuer-sozialplanung-konstituiert/",
    "/beirat/",
    "/beirat/sitzungen/1/",
    "/suche/?q=Sozialplanung",
    "/suche/?q=Sozialplanung&typ=partner",
    "/suche/?q=",
    "/suche/?q=" + "x" * 300,
    "/gibt-es-nicht/",
]


def axe_report(page):
    results = Axe().run(page)
    return results.violations_count, results.generate_report()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_axe_violations_and_no_cookies_or_foreign_requests(
    page, demo_live_server, path
):
    hosts, failed = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on(
        "response",
        lambda r: (
            r.status >= 400 and r.request.resource_type != "document" and failed.append(r.url)
        ),
    )
    page.goto(f"{demo_live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    # The audit is only worth something with the stylesheet applied.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        == "rgb(0, 80, 110)"
    )
    assert failed == []

    count, report = axe_report(page)
    assert count == 0, report
    assert page.context.cookies() == []
    assert hosts == {urlsplit(demo_live_server.url).netloc}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/partner/",
        "/partner/?region=nordhausen&kind=planungsgemeinschaft",
        "/partner/liga-thueringen/",
        "/ueber-uns/",
        "/leichte-sprache/",
        "/glossar/",
        "/aktuelles/abonnieren/",
    ],
)
def test_layout_holds_at_320_px(phone_page, demo_live_server, path):
    phone_page.goto(f"{demo_live_server.url}{path}")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 320
    count, report = axe_report(phone_page)
    assert count == 0, report


@pytest.mark.parametrize("path", ["/konto/login/", "/konto/password/reset/", "/konto/signup/"])
def test_account_pages_have_no_axe_violations(page, demo_live_server, path):
    page.goto(f"{demo_live_server.url}{path}")
    count, report = axe_report(page)
    assert count == 0, report


MEMBER_PAGES = [
    "/beirat/intern/",
    "/suche/?q=Protokoll",
    "/beirat/sitzungen/9/",
    # The draft of the minutes with its comments and the comment form.
    "/beirat/sitzungen/8/",
    "/beirat/sitzungen/1/",
    "/konto/password/change/",
    "/konto/2fa/",
    "/konto/logout/",
]


@pytest.mark.parametrize("email", ["mitglied@example.org", "ehemalig@example.org"])
def test_members_pages_have_no_axe_violations(page, demo_live_server, email):
    page.goto(f"{demo_live_server.url}/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill("demo-koss-2014")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/beirat/intern/")
    for path in MEMBER_PAGES:
        page.goto(f"{demo_live_server.url}{path}")
        count, report = axe_report(page)
        assert count == 0, f"{path}: {report}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("template", "status"), [("500.html", 500), ("503.html", 503)])
def test_error_pages_have_no_axe_violations(live_server, page, template, status):
    from django.template.loader import render_to_string

    # Rendered as the server renders them in an emergency: without the request.
    html = render_to_string(template)
    url = f"{live_server.url}/fehlerseite/"
    page.route(
        url,
        lambda route: route.fulfill(
            status=status, body=html, content_type="text/html; charset=utf-8"
        ),
    )
    page.goto(url)
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        == "rgb(0, 80, 110)"
    )
    count, report = axe_report(page)
    assert count == 0, report


# One page of every type, public and for members: none scrolls sideways on a 320 px screen
# (WCAG 1.4.10), also with long German words in titles and texts.
REFLOW_PUBLIC_PAGES = [
    "/",
    "/partner/",
    "/partner/?region=erfurt",
    "/partner/liga-thueringen/",
    "/ueber-uns/",
    "/datenschutz/",
    "/aktuelles/",
    "/aktuelles/fachtag-sozialraumorientierung-demo/",
    "/aktuelles/beirat-fuer-sozialplanung-konstituiert/",
    "/beirat/",
    "/beirat/sitzungen/1/",
    "/suche/?q=Sozialplanung",
    "/gibt-es-nicht/",
    "/konto/login/",
    "/konto/password/reset/",
    "/konto/signup/",
]
REFLOW_MEMBER_PAGES = [
    "/beirat/intern/",
    "/beirat/sitzungen/9/",
    "/beirat/sitzungen/8/",
    "/konto/password/change/",
    "/konto/2fa/",
    "/konto/email/",
]


def test_no_page_type_scrolls_sideways_at_320_px(phone_page, demo_live_server):
    widths = {}
    for path in REFLOW_PUBLIC_PAGES:
        phone_page.goto(f"{demo_live_server.url}{path}")
        widths[path] = phone_page.evaluate("document.documentElement.scrollWidth")
    phone_page.goto(f"{demo_live_server.url}/konto/login/")
    phone_page.get_by_label("E-Mail-Adresse").fill("mitglied@example.org")
    phone_page.get_by_label("Passwort").fill("demo-koss-2014")
    phone_page.get_by_role("button", name="Anmelden").click()
    phone_page.wait_for_url("**/beirat/intern/")
    for path in REFLOW_MEMBER_PAGES:
        phone_page.goto(f"{demo_live_server.url}{path}")
        # Logged in: the member's pages, not the login form.
        assert "/konto/login/" not in phone_page.url, path
        widths[path] = phone_page.evaluate("document.documentElement.scrollWidth")
    assert {path: width for path, width in widths.items() if width > 320} == {}
    assert len(widths) == len(REFLOW_PUBLIC_PAGES) + len(REFLOW_MEMBER_PAGES)


def test_keyboard_reaches_the_first_partner_past_the_map_by_skip_link(page, demo_live_server):
    page.goto(f"{demo_live_server.url}/partner/")
    first = page.locator("#ergebnisse .card__title a").first
    # "Zum Inhalt springen", then the page's own jump to the partners, then the first partner.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    page.keyboard.press("Enter")
    presses = 1
    while page.evaluate("document.activeElement.textContent") != "Zu den Partnern springen":
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 3, "the skip link to the partners does not follow the main content's"
    page.keyboard.press("Enter")
    while not first.evaluate("link => link === document.activeElement"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 6, "the first partner is not reached by the skip link"
    # Without them, the header, 22 districts of the map and the filters come first.
    assert presses <= 6


def test_phone_names_the_districts_beside_the_map(phone_390_page, demo_live_server):
    phone_390_page.goto(f"{demo_live_server.url}/partner/")
    names = phone_390_page.locator(".partner-map__names a")
    expect(names).to_have_count(22)
    expect(names.first).to_be_visible()
    expect(phone_390_page.get_by_role("link", name="Erfurt", exact=True)).to_be_visible()
