"""iCalendar feeds of board meetings (RFC 5545, via the icalendar package)."""

import datetime

from django.utils import timezone
from icalendar import Calendar, Event

DEFAULT_DURATION = datetime.timedelta(hours=3)
STATUS = {"geplant": "CONFIRMED", "stattgefunden": "CONFIRMED", "abgesagt": "CANCELLED"}


def meetings_calendar(request, meetings, name, *, with_agenda=False):
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
        event.add("summary", f"{meeting.board.name}: {meeting}")
        event.add("location", meeting.location)
        event.add("status", STATUS[meeting.status])
        event.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
        description = [meeting.shown_summary] if meeting.shown_summary else []
        if with_agenda:
            description += [
                f"TOP {item.position}: {item.title}" for item in meeting.agenda_items.all()
            ]
        if description:
            event.add("description", "\n".join(description))
        calendar.add_component(event)
    return calendar
