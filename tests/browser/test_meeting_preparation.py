"""The Redaktion prepares the next quarterly meeting, publishes and announces it: counted in
clicks, text entries and screens, as a staff member does it at 1280 px."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from advisory_board.models import AgendaItem, Document, Meeting

from ..factories import (
    current_totp_code,
    make_board,
    make_meeting,
    make_member,
    make_staff,
    make_user,
)

pytestmark = pytest.mark.django_db(transaction=True)

BERLIN = ZoneInfo("Europe/Berlin")
STANDING_ITEMS = [
    "Begrüßung und Feststellung der Tagesordnung",
    "Bericht aus dem Kompetenzzentrum",
    "Leitfrage des Quartals",
    "Verschiedenes",
]
# The goal of the journey: at most 8 clicks, and one screen of work plus the confirmation.
# The same journey on the admin before the meeting tools, counted the same way: 13 clicks,
# 22 entries, 6 page loads (list, add form, change form to tie the documents to their items,
# list to choose the action, confirmation, list), with the meeting page 1,456 px wide.
MAX_CLICKS = 8


class Counted:
    """The staff member's page, counting what they do: clicks, text entries (typing, choosing
    from a list, picking a file) and screens (every page the browser loads)."""

    def __init__(self, page):
        self.page, self.clicks, self.entries, self.screens = page, 0, 0, []
        page.on(
            "framenavigated",
            lambda frame: frame == page.main_frame and self.screens.append(frame.url),
        )

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def fill(self, locator, value):
        self.entries += 1
        locator.fill(value)

    def choose(self, locator, label):
        self.entries += 1
        locator.select_option(label=label)

    def upload(self, locator, name, content):
        self.entries += 1
        locator.set_input_files({"name": name, "mimeType": "application/pdf", "buffer": content})


@pytest.fixture
def quarter():
    """The board, a member to notify, and its 8th meeting a quarter ago with its agenda."""
    board = make_board(is_current=True)
    member = make_user("mitglied@example.org")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    make_member(board, member, first_name="Maria", last_name="Mitglied")
    held = timezone.now() - datetime.timedelta(weeks=10)
    previous = make_meeting(
        board,
        number=8,
        starts_at=held.astimezone(BERLIN).replace(hour=14, minute=0, second=0, microsecond=0),
        location="Erfurt, Thüringer Staatskanzlei",
        status=Meeting.Status.HELD,
    )
    for position, title in enumerate(STANDING_ITEMS, 1):
        AgendaItem.objects.create(meeting=previous, position=position, title=title)
    return board, previous


def log_in(page, live_server):
    make_staff()
    page.goto(f"{live_server.url}/verwaltung/")
    page.fill("#id_login", "redaktion@example.org")
    page.fill("#id_password", "correct-horse-battery")
    page.get_by_role("button", name="Anmelden").click()
    page.locator("#id_code").fill(current_totp_code())
    page.locator("#id_code").press("Enter")
    page.wait_for_url("**/verwaltung/")


def test_staff_prepare_publish_and_announce_the_next_meeting_in_few_steps(
    live_server, page, quarter
):
    board, previous = quarter
    log_in(page, live_server)
    staff = Counted(page)

    # From the admin's start page to the meetings, and the next one prepared from the last.
    staff.click(page.get_by_role("link", name="Sitzungen", exact=True))
    staff.click(page.get_by_role("button", name="Nächste Sitzung vorbereiten"))
    expect(page.locator(".messagelist")).to_contain_text("Die 9. Sitzung")
    expect(page.locator("#id_number")).to_have_value("9")
    expect(page.locator("#id_location")).to_have_value("Erfurt, Thüringer Staatskanzlei")
    expect(page.locator("#id_starts_at_1")).to_have_value("14:00:00")

    # The standing items are there; this quarter's question replaces the placeholder.
    staff.fill(page.locator("#id_agenda_items-2-title"), "Leitfrage: Pflege im ländlichen Raum")

    # Two documents, each tied to its agenda item by number, in the same save.
    add_document = page.locator("#documents-group .add-row a")
    for index, (kind, title, top) in enumerate(
        [("Einladung", "Einladung zur 9. Sitzung", "1"), ("Präsentation", "Bericht KOSS", "2")]
    ):
        staff.click(add_document)
        staff.choose(page.locator(f"#id_documents-{index}-kind"), kind)
        staff.fill(page.locator(f"#id_documents-{index}-title"), title)
        staff.fill(page.locator(f"#id_documents-{index}-top"), top)
        staff.upload(
            page.locator(f"#id_documents-{index}-file"),
            f"dokument-{index}.pdf",
            b"%PDF-1.4 " + title.encode(),
        )
    # The agenda rows and the documents stay within the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    staff.click(page.get_by_role("button", name="Sichern und veröffentlichen …"))
    expect(page.get_by_text("Benachrichtigt wird 1 Mitglied:")).to_be_visible()
    # Saved, not yet announced: the confirmation announces it.
    assert Meeting.objects.get(board=board, number=9).announced_at is None
    expect(page.get_by_text("Die Sitzung ist in Vorbereitung.")).to_be_visible()
    expect(page.get_by_text("Maria Mitglied")).to_be_visible()
    staff.click(page.get_by_role("button", name="Veröffentlichen und benachrichtigen"))
    expect(page.locator(".messagelist")).to_contain_text(
        "bekanntgegeben, 2 Dokumente veröffentlicht, 1 Benachrichtigung wird versandt."
    )

    meeting = Meeting.objects.get(board=board, number=9)
    assert meeting.status == Meeting.Status.PLANNED
    assert meeting.announced_at is not None
    assert (
        meeting.starts_at.astimezone(BERLIN).weekday()
        == previous.starts_at.astimezone(BERLIN).weekday()
    )
    assert [item.title for item in meeting.agenda_items.all()] == [
        STANDING_ITEMS[0],
        STANDING_ITEMS[1],
        "Leitfrage: Pflege im ländlichen Raum",
        STANDING_ITEMS[3],
    ]
    documents = {d.title: d for d in Document.objects.filter(meeting=meeting)}
    assert documents["Einladung zur 9. Sitzung"].agenda_item.position == 1
    assert documents["Bericht KOSS"].agenda_item.position == 2
    assert all(d.published_at and d.notified_at for d in documents.values())
    (notice,) = mail.outbox
    assert notice.to == ["mitglied@example.org"] and notice.attachments[0][0].endswith(".ics")

    paths = [url.removeprefix(live_server.url) for url in staff.screens]
    work = [path for path in paths if "/change/" in path or "/veroeffentlichen/" in path]
    print(
        f"prepare, publish and notify: {staff.clicks} clicks, {staff.entries} entries, "
        f"{len(paths)} page loads {paths}"
    )
    assert staff.clicks <= MAX_CLICKS
    # One screen to work on (the new meeting) plus the confirmation; the list before and after.
    assert work == [
        f"/verwaltung/advisory_board/meeting/{meeting.pk}/change/",
        f"/verwaltung/advisory_board/meeting/{meeting.pk}/veroeffentlichen/",
    ]
    assert staff.entries == 9
