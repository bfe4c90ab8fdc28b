""" "Neue Dokumente seit Ihrem letzten Besuch": new means appeared after the previous visit ended
(a visit is a login session, or ends after 30 minutes without a page) and not before the member
joined the board; the list shows the ten newest, grouped by meeting, with a link to all."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisory_board.models import Document, Membership

from ..factories import login_as, make_document, make_meeting

pytestmark = pytest.mark.django_db

URL = reverse("advisory_board:members")
NOTHING_NEW = "Seit Ihrem letzten Besuch gibt es keine neuen Dokumente"


def new_section(response):
    """The part of the page with the new documents."""
    content = response.content.decode()
    start = content.index('id="new-heading"')
    return content[start : content.index("</section>", start)]


def new_session(world):
    return login_as(Client(), world["users"]["member"])


@pytest.fixture
def start():
    return timezone.now() + datetime.timedelta(minutes=1)


def test_a_new_login_session_ends_the_previous_visit(world, start):
    with time_machine.travel(start, tick=False):
        assert "Protokoll für Mitglieder" in new_section(new_session(world).get(URL))
    # Five minutes later, in a new session (logged in again, or on another device).
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        assert NOTHING_NEW in new_section(new_session(world).get(URL))


def test_documents_stay_new_on_every_page_of_the_same_visit(world, start):
    client = new_session(world)
    for minutes in (0, 2, 10):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            assert "Protokoll für Mitglieder" in new_section(client.get(URL))


def test_the_previous_visit_ends_with_its_last_page_not_its_first(world, start):
    client = new_session(world)
    with time_machine.travel(start, tick=False):
        client.get(URL)
    # Released while the member is still browsing, and shown on a later page of the visit.
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        seen = make_document(world["meeting"], "Gesehene Vorlage")
    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        assert seen.title in new_section(client.get(URL))
    # Released after the last page of the visit.
    with time_machine.travel(start + datetime.timedelta(minutes=25), tick=False):
        unseen = make_document(world["meeting"], "Nachgereichte Vorlage")
    with time_machine.travel(start + datetime.timedelta(days=1), tick=False):
        section = new_section(new_session(world).get(URL))
    assert unseen.title in section
    assert seen.title not in section
    assert "Protokoll für Mitglieder" not in section


def test_a_document_released_after_the_visit_is_new_though_uploaded_before(world, start):
    draft = make_document(world["meeting"], "Vorab hochgeladenes Protokoll", released=False)
    with time_machine.travel(start, tick=False):
        assert draft.title not in new_section(new_session(world).get(URL))
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        Document.objects.filter(pk=draft.pk).update(published_at=timezone.now())
    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        client = new_session(world)
        assert draft.title in new_section(client.get(URL))
        # The meeting page marks it as new, too.
        page = client.get(world["meeting"].get_absolute_url()).content.decode()
        entry = page[page.index(draft.title) :]
        assert "badge--new" in entry[: entry.index("</li>")]


def test_documents_from_before_the_membership_began_are_not_new(world, start):
    Membership.objects.filter(person=world["people"]["member"]).update(
        starts_on=datetime.date(2020, 1, 1)
    )
    old = make_document(world["meeting"], "Protokoll aus alter Zeit")
    Document.objects.filter(pk=old.pk).update(
        changed_at=timezone.make_aware(datetime.datetime(2019, 12, 31, 12, 0)),
        published_at=timezone.make_aware(datetime.datetime(2019, 12, 31, 12, 0)),
    )
    with time_machine.travel(start, tick=False):
        section = new_section(new_session(world).get(URL))
    # On the very first visit, too.
    assert "Neu seit Beginn Ihrer Mitgliedschaft" in section
    assert "Protokoll für Mitglieder" in section
    assert old.title not in section


def test_the_ten_newest_grouped_by_meeting_and_a_link_to_all(world, start):
    earlier = make_meeting(world["board"], number=4, days_ahead=-90)
    for n in range(12):
        with time_machine.travel(start + datetime.timedelta(minutes=n), tick=False):
            make_document(earlier if n < 6 else world["meeting"], f"Unterlage Nr. {n:02d}")
    with time_machine.travel(start + datetime.timedelta(minutes=30), tick=False):
        client = new_session(world)
        section = new_section(client.get(URL))
        # The world's two documents are older than these twelve, and two of them miss the ten.
        shown = [n for n in range(12) if f"Unterlage Nr. {n:02d}" in section]
        assert shown == list(range(2, 12))
        assert "Protokoll für Mitglieder" not in section
        # The newest meeting's group comes first, each meeting once.
        assert section.count(str(world["meeting"])) == 1
        assert section.count(str(earlier)) == 1
        assert section.index(str(world["meeting"])) < section.index(str(earlier))
        assert f"{URL}?alle=1" in section

        everything = new_section(client.get(URL, {"alle": "1"}))
    assert all(f"Unterlage Nr. {n:02d}" in everything for n in range(12))
    assert "Protokoll für Mitglieder" in everything
    assert "?alle=1" not in everything
    assert "Nur die zehn neuesten anzeigen" in everything


def test_no_link_to_all_when_everything_is_shown(login, world):
    section = new_section(login("member").get(URL))
    assert "?alle=1" not in section
    assert "Protokoll für Mitglieder" in section


def new_on_meeting_page(response, title):
    """Whether the meeting page marks the document of that title as new."""
    content = response.content.decode()
    start = content.index(f">{title}</a>")
    # The badge follows the link in its list item, or in its heading among the minutes.
    end = min(content.find(tag, start) % len(content) for tag in ("</li>", "</h3>"))
    return 'badge--new">neu<' in content[start:end]


def test_a_visit_that_begins_on_a_meeting_page_counts_as_a_visit(world, start):
    """From a mail straight to the meeting: that visit ends the previous one as well."""
    with time_machine.travel(start, tick=False):
        new_session(world).get(URL)
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        make_document(world["meeting"], "Vorlage zwischen den Besuchen")
    with time_machine.travel(start + datetime.timedelta(days=1), tick=False):
        new_session(world).get(world["meeting"].get_absolute_url())
    # The next visit: what the meeting page showed yesterday is no longer new.
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        assert NOTHING_NEW in new_section(new_session(world).get(URL))


def test_the_meeting_page_marks_what_is_new_since_the_previous_visit(world, start):
    with time_machine.travel(start, tick=False):
        new_session(world).get(URL)
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        make_document(world["meeting"], "Vorlage zwischen den Besuchen")
    with time_machine.travel(start + datetime.timedelta(hours=3), tick=False):
        client = new_session(world)
        page = client.get(world["meeting"].get_absolute_url())
        assert new_on_meeting_page(page, "Vorlage zwischen den Besuchen")
        assert not new_on_meeting_page(page, "Protokoll für Mitglieder")
        # On every page of that visit, in the members' area as on the meeting page.
        section = new_section(client.get(URL))
        assert "Vorlage zwischen den Besuchen" in section
        assert "Protokoll für Mitglieder" not in section
    with time_machine.travel(start + datetime.timedelta(hours=3, minutes=5), tick=False):
        assert new_on_meeting_page(
            client.get(world["meeting"].get_absolute_url()), "Vorlage zwischen den Besuchen"
        )
