"""The board's calendars: public, per meeting and personal (behind the secret address a member
makes in the members' area)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from koss.core.cache import public_page
from koss.core.calendars import ics_response

from ..calendars import meetings_calendar
from ..models import (
    Board,
    Meeting,
    Person,
    current_member,
)


@public_page
def public_calendar(request):
    board = Board.objects.current()
    if board is None:
        raise Http404
    meetings = board.meetings.announced().select_related("board").with_public_summary()
    return ics_response(
        meetings_calendar(request, meetings, _("Beirat für Sozialplanung – Sitzungen")),
        "beirat.ics",
    )


@public_page
def meeting_calendar(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("board").with_public_summary(),
        pk=pk,
    )
    return ics_response(
        meetings_calendar(request, [meeting], str(meeting)),
        f"{meeting.file_stem}.ics",
    )


@never_cache
def personal_calendar(request, token):
    person = get_object_or_404(
        Person, calendar_token=token, user__isnull=False, user__is_active=True
    )
    _person, boards = current_member(person.user)
    if not boards:
        raise Http404
    meetings = (
        Meeting.objects.announced()
        .filter(board__in=boards)
        .select_related("board")
        .prefetch_related("agenda_items")
        .with_public_summary()
    )
    replies = {reply.meeting_id: reply for reply in person.replies.filter(meeting__in=meetings)}
    return ics_response(
        meetings_calendar(
            request, meetings, _("Beirat für Sozialplanung"), with_agenda=True, replies=replies
        ),
        "beirat-persoenlich.ics",
    )
