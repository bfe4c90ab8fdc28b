"""iCalendar files (RFC 5545, via the icalendar package): what the apps' calendars share."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from .links import public_url

PRODID = "-//LIGA Thüringen//KOSS-Portal//DE"


def new_calendar(name, *, method=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    if method:
        calendar.add("method", method)
    return calendar


def new_event(uid, *, summary, starts_at, ends_at=None, location="", url="", description=""):
    """One event; its UID is unique on the portal's public host (KOSS_BASE_URL), so that a
    calendar updates it on import, and the entry of a mail and the feed's are one event. Never
    the host of the request: whatever a client sends as Host would end up in others' calendars."""
    event = Event()
    event.add("uid", f"{uid}@{urlsplit(settings.KOSS_BASE_URL).hostname}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    if ends_at:
        event.add("dtend", ends_at)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if url:
        event.add("url", public_url(url))
    if description:
        event.add("description", description)
    return event


def ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
