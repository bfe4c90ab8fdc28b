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


def new_event(
    request, uid, *, summary, starts_at, ends_at=None, location="", url="", description=""
):
    """One event; its UID is unique on this host, so that a calendar updates it on import.
    Without a request (in a mail) the portal's public address stands for the host, which is the
    feed's too in production, so that both entries are one event."""
    if request is None:
        host, absolute = urlsplit(settings.KOSS_BASE_URL).hostname, public_url
    else:
        host, absolute = request.get_host().split(":")[0], request.build_absolute_uri
    event = Event()
    event.add("uid", f"{uid}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    if ends_at:
        event.add("dtend", ends_at)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if url:
        event.add("url", absolute(url))
    if description:
        event.add("description", description)
    return event


def ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
