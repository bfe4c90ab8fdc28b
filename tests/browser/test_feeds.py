"""A visitor who opens a feed in the browser sees a German page, not raw XML."""

import pytest
from playwright.sync_api import expect

from ..factories import make_article
from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from .test_audits import axe_report

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def feed_browser(playwright):
    """Chromium without its own banner about XSLT's deprecation: the banner is the browser's
    markup, styled inline, and would be reported against our Content-Security-Policy; what is
    tested is the page the feed's stylesheet makes."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--disable-features=GenerateXSLTWarningBanner"],
    )
    yield browser
    browser.close()


@pytest.mark.parametrize("path", ["/aktuelles/feed/", "/aktuelles/atom/"])
def test_feed_opened_in_the_browser_explains_itself_in_german(live_server, feed_browser, path):
    make_article("Fachtag Sozialraumorientierung in Gera")
    context = feed_browser.new_context(locale="de-DE", viewport=PHONE)
    console = []
    context.on("console", lambda message: console.append(message.text))
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Aktuelles von KOSS als Feed abonnieren"
    )
    expect(page.get_by_role("heading", name="Was ist ein Feed?")).to_be_visible()
    expect(page.get_by_text(f"{live_server.url}{path}")).to_be_visible()
    page.get_by_role("link", name="Fachtag Sozialraumorientierung in Gera").click()
    page.wait_for_url("**/aktuelles/beitrag-*/")
    page.go_back()
    # Back on the feed, the stylesheet has made its page again.
    expect(page.get_by_role("heading", name="Was ist ein Feed?")).to_be_visible()
    page.wait_for_load_state()
    # The site's stylesheet applies; nothing broke the Content-Security-Policy.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        == "rgb(0, 80, 110)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    count, report = axe_report(page)
    assert count == 0, report
    context.close()
    assert [text for text in console if "Content Security Policy" in text] == []
