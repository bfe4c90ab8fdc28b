"""The meeting cycle in the back office by keyboard alone: from the admin's start page to the
announced meeting with its documents, with Tab, Shift+Tab, Enter, Space and typing only."""

import pytest
from playwright.sync_api import expect

from advisory_board.models import Document, Meeting

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
