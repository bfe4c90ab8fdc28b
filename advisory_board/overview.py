"""What the Redaktion must do before the board's next meeting: the replies, the minutes that
wait for approval, overdue tasks and members without a login. The admin's start page shows it
(koss/dashboard.py); the rules live here, with the board."""

import dataclasses

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from .models import DatePoll, Document, Meeting, Membership, Outcome, Person


@dataclasses.dataclass
class NextMeeting:
    meeting: Meeting
    attending: list  # people who come themselves
    deputies: list  # (person, deputy's name): the seat is filled by somebody else
    declined: list
    waiting: list  # current members without a reply

    @property
    def coming_count(self):
        return len(self.attending) + len(self.deputies)


def next_meeting():
    """The next announced meeting with its replies: yes, a deputy (named), no, and which current
    members have not replied yet. Three queries, however many members."""
    meeting = Meeting.objects.announced().upcoming().select_related("board").first()
    if meeting is None:
        return None
    replies = list(
        meeting.replies.select_related("person").order_by("person__last_name", "person__first_name")
    )
    members = Membership.objects.current().filter(board=meeting.board_id)
    waiting = (
        Person.objects.filter(memberships__in=members)
        .exclude(replies__meeting=meeting)
        .distinct()
        .order_by("last_name", "first_name")
    )
    return NextMeeting(
        meeting=meeting,
        attending=[r.person for r in replies if r.answer == r.Answer.YES],
        deputies=[(r.person, r.deputy_name) for r in replies if r.answer == r.Answer.DEPUTY],
        declined=[r.person for r in replies if r.answer == r.Answer.NO],
        waiting=list(waiting),
    )


def prepared_meetings():
    """Upcoming meetings the Redaktion prepares and has not announced yet."""
    return Meeting.objects.in_preparation().upcoming().select_related("board")


def minutes_awaiting_approval():
    return Document.objects.awaiting_approval().select_related("meeting")


def overdue_tasks():
    return (
        Outcome.objects.overdue()
        .select_related("meeting", "responsible_person", "responsible_partner")
        .by_due_date()
    )


def members_without_login():
    """Current members who cannot sign in: never invited, or the invitation not yet accepted
    (no password set); `invited` tells which."""
    return (
        Person.objects.filter(memberships__in=Membership.objects.current())
        .filter(Q(user__isnull=True) | Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX))
        .annotate(invited=ExpressionWrapper(Q(user__isnull=False), output_field=BooleanField()))
        .distinct()
        .order_by("last_name", "first_name")
    )


def undecided_date_polls():
    """Date polls whose date is not chosen yet, with how many people answered: one query."""
    return (
        DatePoll.objects.filter(chosen_option__isnull=True)
        .annotate(answered_count=Count("options__answers__person", distinct=True))
        .order_by("answer_until", "pk")
    )
