"""iCalendar feeds of board meetings (RFC 5545, via the icalendar package)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

DEFAULT_DURATION = datetime.timedelta(hours=3)
STATUS = {"geplant": "CONFIRMED", "stattgefunden": "CONFIRMED", "abgesagt": "CANCELLED"}


def meetings_calendar(request, meetings, name, *, with_agenda=False, replies=None):
    """The meetings as an iCalendar; `replies` maps meeting ids to the subscriber's own replies,
    which the personal feed shows in each event."""
    replies = replies or {}
    calendar = Calendar()
    calendar.add("prodid", "-//LIGA Thüringen//KOSS-Portal//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    host = request.get_host().split(":")[0]
    for meeting in meetings:
        event = Event()
        event.add("uid", f"beirat-sitzung-{meeting.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at or meeting.starts_at + DEFAULT_DURATION)
        summary = f"{meeting.board.name}: {meeting}"
        cancelled = meeting.status == meeting.Status.CANCELLED
        if cancelled:
            # Calendars that ignore STATUS:CANCELLED still show the word.
            summary = _("Abgesagt: %(summary)s") % {"summary": summary}
        event.add("summary", summary)
        event.add("location", meeting.location)
        event.add("status", STATUS[meeting.status])
        event.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
        description = [_("Die Sitzung ist abgesagt.")] if cancelled else []
        if meeting.pk in replies:
            description.append(
                _("Ihre Rückmeldung: %(reply)s") % {"reply": replies[meeting.pk].confirmation}
            )
        if meeting.public_summary:
            description.append(meeting.public_summary)
        if with_agenda:
            description += [
                f"TOP {item.position}: {item.title}" for item in meeting.agenda_items.all()
            ]
        if description:
            event.add("description", "\n".join(description))
        calendar.add_component(event)
    return calendar
