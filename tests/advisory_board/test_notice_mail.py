"""The notice of new documents: formal German with date, time, place and links, and the meeting
as a calendar entry (.ics) that is stored with the queued mail."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail

from advisory_board.models import AgendaItem
from koss.models import Mail

from ..factories import login_as, make_document, publish_and_notify

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def announced(client, world, settings):
    settings.KOSS_BASE_URL = "https://koss.example.org"
    meeting = world["meeting"]
    meeting.starts_at = datetime.datetime(2027, 1, 16, 14, 0, tzinfo=BERLIN)
    meeting.location = "Erfurt, Thüringer Staatskanzlei"
    meeting.save()
    AgendaItem.objects.create(meeting=meeting, position=1, title="Begrüßung")
    make_document(meeting, "Einladung zur 5. Sitzung", released=False)
    login_as(client, world["users"]["staff"])
    publish_and_notify(client, meeting)
    (message,) = mail.outbox
    return meeting, message


def test_the_notice_names_date_time_place_and_links_in_formal_german(announced):
    meeting, message = announced
    assert message.subject == "[KOSS-Portal] Neue Unterlagen zur 5. Sitzung am 16.01.2027"
    body = message.body
    assert "Samstag, 16. Januar 2027 um 14:00 Uhr, Ort: Erfurt, Thüringer Staatskanzlei" in body
    assert f"https://koss.example.org{meeting.get_absolute_url()}" in body
    assert "Einladung zur 5. Sitzung" in body
    assert "im Anhang (beirat-sitzung-05.ics)" in body
    # Grammar: the board's name is never put into a wrong genitive.
    assert "des Beirat " not in body and "des Beirat " not in message.subject
    assert " du " not in body and " dein" not in body.lower()


def test_the_notice_carries_the_meeting_as_a_calendar_entry(announced):
    meeting, message = announced
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == ("beirat-sitzung-05.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == meeting.starts_at
    assert str(event["summary"]) == "Beirat für Sozialplanung: 5. Sitzung am 16.01.2027"
    assert str(event["location"]) == "Erfurt, Thüringer Staatskanzlei"
    assert str(event["url"]) == f"https://koss.example.org{meeting.get_absolute_url()}"
    # The same event as in the calendar feed, so that a calendar does not show it twice.
    assert str(event["uid"]) == f"beirat-sitzung-{meeting.pk}@koss.example.org"
    assert "TOP 1: Begrüßung" in str(event["description"])


@pytest.mark.usefixtures("announced")
def test_the_calendar_entry_is_stored_with_the_queued_mail():
    (queued,) = Mail.objects.all()
    assert [a["filename"] for a in queued.attachments] == ["beirat-sitzung-05.ics"]
