"""The open date polls of the reader's boards, for the members' area
(templates/advisory_board/includes/_open_polls.html)."""

from django import template

from ..models import DatePoll, current_member

register = template.Library()


@register.simple_tag(takes_context=True)
def open_date_polls(context):
    """The open polls of the boards the logged-in person belongs to, the nearest deadline
    first, each marked `answered`. Two queries, however many polls."""
    person, boards = current_member(context["request"].user)
    if person is None:
        return []
    return list(DatePoll.objects.for_members_of(boards, person))
