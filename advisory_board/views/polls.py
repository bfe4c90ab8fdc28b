"""The date poll as members answer it: every proposed date on one page, "passt / notfalls /
passt nicht" for each, from the link in the mail."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koss.core.access import MembersOnly
from koss.core.querysets import has_staff_rights

from ..models import DatePoll, DatePollAnswer, current_member


@require_http_methods(["GET", "HEAD", "POST"])
def date_poll(request, pk):
    """Members of the poll's board answer; staff see the dates and are led to the table."""
    person, boards = current_member(request.user)
    staff = has_staff_rights(request.user)
    poll = DatePoll.objects.select_related("board", "chosen_option").filter(pk=pk).first()
    if poll is None or not (poll.board_id in boards or staff):
        raise MembersOnly
    is_member = poll.board_id in boards
    options = list(poll.options.all())
    given = poll.answers_of(person) if is_member else {}
    errors, status = [], 200
    if request.method == "POST":
        if not is_member:
            raise MembersOnly
        valid = DatePollAnswer.Answer.values
        posted = {
            option.pk: request.POST.get(f"termin-{option.pk}")
            for option in options
            if request.POST.get(f"termin-{option.pk}") in valid
        }
        try:
            poll.answer(person, posted)
        except ValidationError as error:
            # The page again, with what the member chose kept.
            errors, status, given = error.messages, 400, posted
        else:
            messages.success(
                request, _("Danke! Ihre Antwort zur Terminabstimmung ist gespeichert.")
            )
            return redirect(reverse("advisory_board:date_poll", args=[poll.pk]))
    for option in options:
        option.given = given.get(option.pk)
    response = render(
        request,
        "advisory_board/polls/date_poll.html",
        {
            "poll": poll,
            "options": options,
            "answers": DatePollAnswer.Answer.choices,
            "is_member": is_member,
            "answered": bool(given) and not errors,
            "errors": errors,
            "staff": staff,
            "can_answer": is_member and poll.is_open,
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response
