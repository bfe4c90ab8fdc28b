"""The open written votes of the members' area, shown first: `{% open_votes as votes %}`."""

from django import template

from koss.core.querysets import has_staff_rights

from ..models import Membership, WrittenVote

register = template.Library()


@register.simple_tag(takes_context=True)
def open_votes(context):
    """The votes the request's user may vote on now, the nearest deadline first, each with the
    user's own ballot (`own_choice`); for staff outside the boards every open vote with its
    participation (`ballot_count`). One query, however many votes and members there are."""
    user = context["request"].user
    votes = WrittenVote.objects.open().select_related("board").order_by("deadline")
    boards = Membership.objects.current_of(user).values("board_id")
    if has_staff_rights(user):
        votes = list(votes.with_participation())
        for vote in votes:
            vote.for_staff = True
        return votes
    return list(votes.filter(board__in=boards).with_ballot_of_user(user))
