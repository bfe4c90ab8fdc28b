"""The open written votes of the members' area, shown first: `{% open_votes as votes %}`."""

from django import template

from koss.core.querysets import has_staff_rights

from ..models import WrittenVote, current_member

register = template.Library()


@register.simple_tag(takes_context=True)
def open_votes(context):
    """The votes the request's user may vote on now, the nearest deadline first, each with the
    user's own ballot (`own_choice`); for staff every open vote with its participation
    (`ballot_count`). Two queries at most, however many votes and members there are."""
    user = context["request"].user
    person, boards = current_member(user)
    votes = WrittenVote.objects.open().select_related("board").order_by("deadline")
    if has_staff_rights(user) and not boards:
        votes = list(votes.with_participation())
        for vote in votes:
            vote.for_staff = True
        return votes
    return list(votes.filter(board__in=boards).with_ballot_of(person))
