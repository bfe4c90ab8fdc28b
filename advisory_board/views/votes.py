"""The pages of a written vote: the motion and the ballot for the board's current members, who
voted how for them and staff once it is counted, the result for everyone once staff publish it;
and its documents."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from koss.core.access import MembersOnly
from koss.core.cache import public_page
from koss.core.files import file_response
from koss.core.querysets import has_staff_rights

from ..emails import cast_vote
from ..models import Person, VoteDocument, WrittenVote, current_member

# The section of the page with the ballot: where the mail's link and every message lead.
BALLOT_SECTION = "abstimmen"


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Ihre Stimme"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Bitte wählen Sie Ihre Stimme.")},
    )
    deputy_name = forms.CharField(
        label=gettext_lazy("Entschieden hat meine Vertretung (Name, freiwillig)"),
        max_length=200,
        required=False,
    )

    def __init__(self, vote, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = vote.choices()
        self.fields["choice"].error_messages["invalid_choice"] = _(
            "Bitte wählen Sie eine der angebotenen Stimmen."
        )
        if not vote.deputies_may_vote:
            del self.fields["deputy_name"]


@public_page
def vote_detail(request, pk):
    return vote_page(request, pk)


def vote_page(request, pk, form=None, status=200):
    """The vote's page; with `form`, what the member sent, with its errors."""
    user = request.user
    vote = WrittenVote.objects.visible_to(user).select_related("board").filter(pk=pk).first()
    if vote is None:
        raise MembersOnly
    person, boards = current_member(user)
    staff = has_staff_rights(user)
    is_member = vote.is_started and vote.board_id in boards
    insider = is_member or staff
    context = {"vote": vote, "insider": insider, "staff": staff, "is_member": is_member}
    if insider:
        context |= insider_context(vote, person if is_member else None, staff, form)
    response = render(request, "advisory_board/votes/detail.html", context, status=status)
    if insider:
        # What members and staff see stays out of every cache, the browser's included.
        add_never_cache_headers(response)
    return response


def insider_context(vote, person, staff, form):
    """What the board's members and staff see: documents, their own ballot and the form while the
    vote is open, and who voted (how, once it is counted)."""
    own = vote.current_ballots().filter(person=person).first() if person else None
    can_vote = person is not None and vote.is_open()
    if form is None and can_vote:
        initial = {"choice": own.choice, "deputy_name": own.deputy_name} if own else {}
        form = BallotForm(vote, initial=initial)
    ballots = []
    waiting = []
    # Until the vote is counted nobody sees how anyone voted; staff see who has voted.
    if vote.is_closed or (staff and vote.is_started):
        ballots = list(
            vote.current_ballots()
            .select_related("person")
            .order_by("person__last_name", "person__first_name")
        )
        voted = {ballot.person_id for ballot in ballots}
        waiting = list(
            Person.objects.filter(pk__in=vote.electorate_ids(vote.closed_at))
            .exclude(pk__in=voted)
            .order_by("last_name", "first_name")
        )
    return {
        "documents": vote.documents.all(),
        "own_ballot": own,
        "can_vote": can_vote,
        "form": form if can_vote else None,
        "ballots": ballots,
        "show_choices": vote.is_closed,
        "waiting": waiting,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def vote_cast(request, pk):
    """A member's vote; a link to this address (GET) leads to the ballot on the vote's page."""
    vote = WrittenVote.objects.of_boards_of(request.user).filter(pk=pk).first()
    if vote is None:
        raise MembersOnly
    person, boards = current_member(request.user)
    if request.method != "POST":
        return redirect(vote.get_absolute_url() + "#" + BALLOT_SECTION)
    if vote.board_id not in boards:
        raise Http404
    form = BallotForm(vote, request.POST)
    if not form.is_valid():
        return vote_page(request, pk, form=form, status=400)
    try:
        ballot = cast_vote(
            vote,
            person,
            form.cleaned_data["choice"],
            user=request.user,
            deputy_name=form.cleaned_data.get("deputy_name", ""),
        )
    except ValidationError as error:
        if vote.is_open():
            form.add_error(None, error)
            return vote_page(request, pk, form=form, status=400)
        messages.error(request, " ".join(error.messages))
        return redirect(vote.get_absolute_url() + "#" + BALLOT_SECTION)
    if vote.is_closed:
        messages.success(
            request,
            _(
                "Danke! Ihre Stimme „%(choice)s“ ist gezählt. Alle haben abgestimmt: das Ergebnis "
                "steht fest."
            )
            % {"choice": ballot.get_choice_display()},
        )
    else:
        deadline = localtime(vote.deadline)
        messages.success(
            request,
            _(
                "Danke! Ihre Stimme „%(choice)s“ ist gespeichert. Sie können sie bis %(date)s, "
                "%(time)s Uhr, ändern."
            )
            % {
                "choice": ballot.get_choice_display(),
                "date": date_format(deadline, "j. F Y"),
                "time": date_format(deadline, "H:i"),
            },
        )
    return redirect(vote.get_absolute_url() + "#" + BALLOT_SECTION)


@never_cache
def vote_document(request, pk, doc):
    """A document of a vote, for its board's members and staff."""
    document = (
        VoteDocument.objects.filter(pk=doc, vote__pk=pk)
        .filter(vote__in=WrittenVote.objects.of_boards_of(request.user))
        .first()
    )
    if document is None:
        raise MembersOnly
    return file_response(
        document.file,
        content_type=document.content_type,
        public=False,
        filename=document.download_name,
    )
