"""What the admin builds in the browser reads in German too: the topic picker, the editor's
menu, and the slug filled in as a name is typed."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ..factories import make_partner, make_topic
from ..test_admin_language import english_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_topic_picker_reads_in_german(live_server, staff_page):
    partner = make_partner("Kreisliga Gotha", topics=[make_topic("Sozialraumorientierung")])
    make_topic("Demografischer Wandel")
    staff_page.goto(live_server.url + reverse("admin:partners_partner_change", args=[partner.pk]))
    picker = staff_page.locator(".field-topics .selector")
    expect(picker).to_be_visible()
    assert english_in(picker.evaluate("element => element.outerHTML")) == []
    expect(
        picker.get_by_role("button", name="Alle Themen der Zusammenarbeit auswählen")
    ).to_be_attached()
    expect(
        picker.get_by_role("button", name="Alle Themen der Zusammenarbeit entfernen")
    ).to_be_attached()


def test_the_editor_menu_reads_in_german(live_server, staff_page):
    staff_page.goto(live_server.url + reverse("admin:news_article_add"))
    menu = staff_page.locator(".prose-menubar").first
    expect(menu).to_be_visible()
    # Material icons are drawn from their names ("format_bold"); buttons are named in German.
    html = menu.evaluate(
        """element => {
            const menu = element.cloneNode(true)
            for (const icon of menu.querySelectorAll(".material-icons")) icon.textContent = ""
            return menu.outerHTML
        }"""
    )
    assert english_in(html) == []
    titles = menu.locator("button[title]").evaluate_all(
        "buttons => buttons.map(button => button.title)"
    )
    assert {"Absatz", "Fett", "Kursiv", "Link einfügen", "Rückgängig"} <= set(titles)
    options = menu.locator(".prose-menubar__option").all_text_contents()
    assert options == ["Überschrift 2", "Überschrift 3", "Absatz"]
    # The block type in use shows as the dropdown's button, named in German too.
    menu.locator(".prose-menubar__selected").click()
    menu.get_by_role("button", name="Überschrift 2").click()
    expect(menu.locator(".prose-menubar__selected button")).to_have_attribute(
        "title", "Überschrift 2"
    )


def test_a_slug_is_filled_in_the_german_way(live_server, staff_page):
    staff_page.goto(live_server.url + reverse("admin:partners_topic_add"))
    staff_page.locator("#id_name").press_sequentially("Übergänge in Sömmerda gestalten")
    expect(staff_page.locator("#id_slug")).to_have_value("uebergaenge-in-soemmerda-gestalten")
