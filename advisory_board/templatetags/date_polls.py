"""The open date polls of the reader's boards, for the members' area
(templates/advisory_board/includes/_open_polls.html)."""

from django import template

from ..models import DatePoll

register = template.Library()


@register.simple_tag(takes_context=True)
def open_date_polls(context):
    """The open polls of the boards the page's person (the members' area's `person`) currently
    belongs to, the nearest deadline first, each marked `answered`. One query, however many
    polls; none without a person."""
    person = context.get("person")
    if person is None:
        return []
    return list(DatePoll.objects.open_for(person))
