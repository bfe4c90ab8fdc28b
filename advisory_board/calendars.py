"""iCalendar feeds of board meetings (koss.core.calendars)."""

import datetime

from django.utils.translation import gettext as _

from koss.core.calendars import new_calendar, new_event

DEFAULT_DURATION = datetime.timedelta(hours=3)
STATUS = {"geplant": "CONFIRMED", "stattgefunden": "CONFIRMED", "abgesagt": "CANCELLED"}


def meetings_calendar(request, meetings, name, *, with_agenda=False, replies=None):
    """The meetings as an iCalendar, at the portal's public address (koss.core.calendars.new_event);
    without a request (in a mail) to be published into the reader's calendar. `replies` maps meeting ids to the subscriber's own
    replies, which the personal feed shows in each event."""
    replies = replies or {}
    calendar = new_calendar(name, method="PUBLISH" if request is None else None)
    for meeting in meetings:
        summary = f"{meeting.board.name}: {meeting}"
        cancelled = meeting.status == meeting.Status.CANCELLED
        if cancelled:
            # Calendars that ignore STATUS:CANCELLED still show the word.
            summary = _("Abgesagt: %(summary)s") % {"summary": summary}
        description = [_("Die Sitzung ist abgesagt.")] if cancelled else []
        if meeting.pk in replies:
            description.append(
                _("Ihre Rückmeldung: %(reply)s") % {"reply": replies[meeting.pk].confirmation}
            )
        # Held meetings' summaries wait for approved minutes (Meeting.shown_summary).
        if meeting.shown_summary:
            description.append(meeting.shown_summary)
        if with_agenda:
            description += [
                f"TOP {item.position}: {item.title}" for item in meeting.agenda_items.all()
            ]
        event = new_event(
            f"beirat-sitzung-{meeting.pk}",
            summary=summary,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at or meeting.starts_at + DEFAULT_DURATION,
            location=meeting.location,
            url=meeting.get_absolute_url(),
            description="\n".join(description),
        )
        event.add("status", STATUS[meeting.status])
        calendar.add_component(event)
    return calendar
