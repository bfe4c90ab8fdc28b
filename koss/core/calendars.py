"""iCalendar files (RFC 5545, via the icalendar package): what the apps' calendars share."""

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//LIGA Thüringen//KOSS-Portal//DE"


def new_calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    return calendar


def new_event(
    request, uid, *, summary, starts_at, ends_at=None, location="", url="", description=""
):
    """One event; its UID is unique on this host, so that a calendar updates it on import."""
    event = Event()
    event.add("uid", f"{uid}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    if ends_at:
        event.add("dtend", ends_at)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if url:
        event.add("url", request.build_absolute_uri(url))
    if description:
        event.add("description", description)
    return event


def ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
