"""iCalendar feeds of board meetings (koss.core.calendars)."""

import datetime

from koss.core.calendars import new_calendar, new_event

DEFAULT_DURATION = datetime.timedelta(hours=3)
STATUS = {"geplant": "CONFIRMED", "stattgefunden": "CONFIRMED", "abgesagt": "CANCELLED"}


def meetings_calendar(request, meetings, name, *, with_agenda=False):
    """The meetings as a calendar; without a request (in a mail) with the portal's public
    address (koss.core.calendars.new_event)."""
    calendar = new_calendar(name, method="PUBLISH" if request is None else None)
    for meeting in meetings:
        description = [meeting.public_summary] if meeting.public_summary else []
        if with_agenda:
            description += [
                f"TOP {item.position}: {item.title}" for item in meeting.agenda_items.all()
            ]
        event = new_event(
            request,
            f"beirat-sitzung-{meeting.pk}",
            summary=f"{meeting.board.name}: {meeting}",
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at or meeting.starts_at + DEFAULT_DURATION,
            location=meeting.location,
            url=meeting.get_absolute_url(),
            description="\n".join(description),
        )
        event.add("status", STATUS[meeting.status])
        calendar.add_component(event)
    return calendar
