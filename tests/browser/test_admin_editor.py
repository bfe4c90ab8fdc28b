"""The rich-text editor's menu for staff who use a screen reader: a button that cannot act at the
moment (undo with nothing to undo) says so, and stays exempt from the contrast rule for inactive
controls, also while the icon font is still loading and the icons show as their names."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_menu_button_that_cannot_act_says_so_while_the_icon_font_loads(live_server, staff_page):
    # The icon font never arrives, as on a slow line before it has loaded.
    refused = []

    def refuse(route):
        refused.append(route.request.url)
        route.abort()

    staff_page.route("**/*.woff2", refuse)
    staff_page.goto(live_server.url + reverse("admin:news_article_add"))
    editor = staff_page.locator(".prose-editor", has=staff_page.locator("#id_body"))
    menu = editor.locator(".prose-menubar")
    undo = menu.get_by_role("button", name="Rückgängig")
    bold = menu.get_by_role("button", name="Fett")
    expect(undo).to_have_class(re.compile(r"\bdisabled\b"))
    expect(undo).to_have_attribute("aria-disabled", "true")
    expect(bold).to_have_attribute("aria-disabled", "false")
    assert any("material-icons" in url for url in refused), refused

    results = Axe().run(staff_page, context=".field-body", options={"preload": False})
    assert results.violations_count == 0, results.generate_report()

    area = editor.get_by_role("textbox", name="Text")
    area.click()
    area.press_sequentially("Neu")
    expect(area).to_contain_text("Neu")
    expect(undo).to_have_attribute("aria-disabled", "false")
