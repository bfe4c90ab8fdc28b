"""The three staff journeys in the back office by keyboard alone, with Tab, Shift+Tab, Enter,
Space and typing only: from the admin's start page to the announced meeting with its documents,
to a published press release on /aktuelles/ and to a published partner on /partner/."""

import pytest
from playwright.sync_api import expect

from advisory_board.models import Document, Meeting
from news.models import Article
from partners.models import Partner

from ..factories import make_topic, restore_migration_data
from .test_meeting_preparation import log_in, quarter  # noqa: F401 – the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, backwards=False, limit=120):
    """Press Tab (or Shift+Tab) until the element has the focus; fail if it is not reached."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(locator):
            return
    raise AssertionError(f"{locator} not reached with {limit} × {key}")


def test_staff_prepare_and_announce_a_meeting_by_keyboard_alone(live_server, page, quarter):  # noqa: F811
    board, _previous = quarter
    log_in(page, live_server)

    tab_to(page, page.get_by_role("link", name="Sitzungen", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/advisory_board/meeting/")
    tab_to(page, page.get_by_role("button", name="Nächste Sitzung vorbereiten"))
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Die 9. Sitzung", timeout=20_000)

    # This quarter's question replaces the placeholder of the third agenda item.
    tab_to(page, page.locator("#id_agenda_items-2-title"))
    page.keyboard.press("Control+A")
    page.keyboard.type("Leitfrage: Pflege im ländlichen Raum")

    # A document in the same save: a new row, its kind chosen by typing, its file by Space.
    add_document = page.locator("#documents-group .add-row a")
    tab_to(page, add_document)
    page.keyboard.press("Enter")
    tab_to(page, page.locator("#id_documents-0-kind"), backwards=True)
    page.keyboard.type("Einladung")
    expect(page.locator("#id_documents-0-kind")).to_have_value("einladung")
    page.keyboard.press("Tab")
    expect(page.locator("#id_documents-0-title")).to_be_focused()
    page.keyboard.type("Einladung zur 9. Sitzung")
    tab_to(page, page.locator("#id_documents-0-top"), limit=5)
    page.keyboard.type("1")
    tab_to(page, page.locator("#id_documents-0-file"), limit=10)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        {"name": "einladung.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 Einladung"}
    )

    tab_to(page, page.get_by_role("button", name="Sichern und veröffentlichen …"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Die Sitzung ist in Vorbereitung.")).to_be_visible(timeout=20_000)
    tab_to(page, page.get_by_role("button", name="Veröffentlichen und benachrichtigen"))
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("bekanntgegeben", timeout=20_000)

    meeting = Meeting.objects.get(board=board, number=9)
    assert meeting.announced_at is not None
    assert meeting.agenda_items.get(position=3).title == "Leitfrage: Pflege im ländlichen Raum"
    document = Document.objects.get(meeting=meeting)
    assert document.title == "Einladung zur 9. Sitzung" and document.kind == "einladung"
    assert document.agenda_item.position == 1 and document.published_at is not None


def choose_action(page, row, action, limit=10):
    """Select the list's row by Space, the action by the arrow keys (typing finds no "ä": a
    select's type-ahead gets no key for it), and run it by Enter."""
    tab_to(page, row.locator("input.action-select"))
    page.keyboard.press("Space")
    select = page.locator("select[name=action]")
    tab_to(page, select, backwards=True)
    for _ in range(limit):
        page.keyboard.press("ArrowDown")
        if select.evaluate("select => select.selectedOptions[0].text") == action:
            break
    else:
        raise AssertionError(f"{action} not reached with {limit} × ArrowDown")
    tab_to(page, page.get_by_role("button", name="Ausführen"), limit=5)
    page.keyboard.press("Enter")


def test_staff_write_and_publish_a_press_release_by_keyboard_alone(live_server, page):
    log_in(page, live_server)

    tab_to(page, page.get_by_role("link", name="Beiträge", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/news/article/")
    tab_to(page, page.get_by_role("link", name="Beitrag hinzufügen"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/news/article/add/")

    tab_to(page, page.locator("#id_kind"))
    page.keyboard.type("Pressemitteilung")
    expect(page.locator("#id_kind")).to_have_value("pressemitteilung")
    tab_to(page, page.locator("#id_title"), limit=5)
    page.keyboard.type("Beirat berät über Pflege")
    expect(page.locator("#id_slug")).to_have_value("beirat-beraet-ueber-pflege")
    tab_to(page, page.locator("#id_teaser"), limit=5)
    page.keyboard.type("Der Beirat berät in Erfurt über die Pflege im ländlichen Raum.")
    # The rich-text editor: its toolbar first, then the text.
    tab_to(page, page.locator(".ProseMirror[contenteditable=true]"), limit=40)
    page.keyboard.type("Die Sitzung ist öffentlich.")
    tab_to(page, page.get_by_role("button", name="Sichern", exact=True).last)
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("erfolgreich hinzugefügt", timeout=20_000)

    row = page.locator("#result_list tr", has_text="Beirat berät über Pflege")
    choose_action(page, row, "Ausgewählte Beiträge jetzt veröffentlichen")
    expect(page.locator(".messagelist")).to_contain_text("1 Beitrag veröffentlicht", timeout=20_000)

    article = Article.objects.get()
    assert article.kind == "pressemitteilung" and article.is_public
    assert "Die Sitzung ist öffentlich." in article.body
    page.goto(f"{live_server.url}/aktuelles/")
    expect(page.get_by_role("link", name="Beirat berät über Pflege")).to_be_visible()


def test_staff_add_and_publish_a_partner_by_keyboard_alone(live_server, page):
    restore_migration_data()
    make_topic("Pflege")
    log_in(page, live_server)

    tab_to(page, page.get_by_role("link", name="Partner", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/partners/partner/")
    tab_to(page, page.get_by_role("link", name="Partner hinzufügen"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/partners/partner/add/")

    tab_to(page, page.locator("#id_name"))
    page.keyboard.type("Seniorenbeirat Erfurt")
    tab_to(page, page.locator("#id_kind"))
    page.keyboard.type("Verein")
    tab_to(page, page.locator("#id_level"), limit=5)
    page.keyboard.type("Kommunal")
    # The seat: select2's box opens by Enter, a typed name finds the region, Enter chooses it.
    tab_to(page, page.locator("#id_region + .select2 .select2-selection"), limit=10)
    page.keyboard.press("Enter")
    page.keyboard.type("Erfurt")
    expect(page.locator(".select2-results__option--highlighted")).to_have_text("Erfurt")
    page.keyboard.press("Enter")
    expect(page.locator("#id_region option:checked")).to_have_text("Erfurt")
    # A topic: the chooser's filter field moves the first match across by Enter.
    tab_to(page, page.locator("#id_topics_input"))
    page.keyboard.type("Pflege")
    page.keyboard.press("Enter")
    expect(page.locator("#id_topics_to option")).to_have_text(["Pflege"])
    tab_to(page, page.locator("#id_summary"))
    page.keyboard.type("Die Stimme der älteren Menschen in Erfurt.")
    tab_to(page, page.get_by_role("button", name="Sichern", exact=True).last)
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("erfolgreich hinzugefügt", timeout=20_000)

    row = page.locator("#result_list tr", has_text="Seniorenbeirat Erfurt")
    choose_action(page, row, "Ausgewählte Partner veröffentlichen")
    expect(page.locator(".messagelist")).to_contain_text("1 Partner veröffentlicht", timeout=20_000)

    partner = Partner.objects.get(name="Seniorenbeirat Erfurt")
    assert partner.is_published and partner.region.name == "Erfurt"
    assert [topic.name for topic in partner.topics.all()] == ["Pflege"]
    page.goto(f"{live_server.url}/partner/")
    expect(page.get_by_role("link", name="Seniorenbeirat Erfurt")).to_be_visible()
