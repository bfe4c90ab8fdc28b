"""The board's pages: the public board and meeting pages, the members' area, and the forms on
them (replies, comments on draft minutes)."""

from collections import defaultdict
from functools import cache

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from koss.core.access import MembersOnly
from koss.core.cache import KeptCountPaginator, kept_for_person, public_page
from koss.core.collation import german_sort_key
from koss.core.links import public_url
from koss.core.querysets import has_staff_rights

from ..forms import MinutesCommentForm, ReplyForm
from ..models import (
    Board,
    Document,
    DocumentVersion,
    Meeting,
    Membership,
    MinutesComment,
    Outcome,
    Reply,
    current_member,
    current_person,
)

NEW_DOCUMENTS_LIMIT = 10
MINUTES_DRAFTS_LIMIT = 5
PAST_MEETINGS_PER_PAGE = 12


# The section of the members' area with the personal calendar address.
CALENDAR_SECTION = "kalender"

# Addresses of forms: a link to one (a GET) leads to the form on its page.
with_form = require_http_methods(["GET", "HEAD", "POST"])


@public_page(query=["page"])
def board_index(request):
    board = Board.objects.current()
    if board is None:
        raise Http404

    # Read only when the page's content is not among the kept parts of pages.
    @cache
    def memberships():
        return sorted(
            board.memberships.current().public().select_related("person", "partner"),
            key=lambda membership: (
                membership.role_rank,
                german_sort_key(membership.person.last_name),
                german_sort_key(membership.person.first_name),
            ),
        )

    past = KeptCountPaginator(
        board.meetings.announced().past().with_public_summary(),
        PAST_MEETINGS_PER_PAGE,
        vary=["past-meetings", board.pk],
    )
    return render(
        request,
        "advisory_board/index.html",
        {
            "board": board,
            "memberships": memberships,
            "upcoming": board.meetings.announced().upcoming(),
            "page_obj": past.get_page(request.GET.get("page")),
        },
    )


@public_page
def meeting_detail(request, pk):
    person, boards = visiting_member(request)
    return kept_for_person(
        request,
        [person.seen_until if person else None],
        lambda: meeting_page(request, pk, member=(person, boards)),
    )


def visiting_member(request):
    """The board person behind the request's login and their current boards, with the visit
    recorded: wherever it begins, so that what is marked new is new since the previous visit
    ended, as in the members' area."""
    person, boards = current_member(request.user)
    if person is not None:
        person.record_visit(request.session.session_key, timezone.now())
    return person, boards


def meeting_page(request, pk, reply_form=None, comment_form=None, status=200, member=None):
    """The meeting page; with `reply_form` or `comment_form`, what the member sent, with its
    errors. `member`: visiting_member(), when already known."""
    user = request.user
    person, boards = member or visiting_member(request)
    meeting = get_object_or_404(
        Meeting.objects.visible_to(user)
        .select_related("board")
        .defer("search_vector", "search_stems")
        .with_public_summary()
        .with_reply_of(person),
        pk=pk,
    )
    is_member = meeting.board_id in boards
    staff = has_staff_rights(user)
    may_see_agenda = is_member or staff
    # Members and staff see the agenda, and with it the minutes of earlier meetings that are up
    # for approval here.
    of_meeting = (
        Document.objects.of_agenda(meeting)
        if may_see_agenda
        else Document.objects.filter(meeting=meeting)
    )
    documents, submitted = [], defaultdict(list)
    for document in (
        of_meeting.visible_to(user)
        .select_related("agenda_item", "approval_item__meeting")
        .defer(
            "text",
            "search_vector",
            "search_stems",
            "approval_item__meeting__search_vector",
            "approval_item__meeting__search_stems",
        )
    ):
        if document.meeting_id == meeting.pk:
            documents.append(document)
        else:
            submitted[document.approval_item_id].append(document)
    if not is_member:
        person = None
    reply = meeting.reader_reply if person else None
    if reply_form is None:
        reply_form = ReplyForm(instance=reply)
    # Members and staff find the minutes in their own section, with status and comments.
    minutes = [document for document in documents if document.is_minutes and may_see_agenda]
    by_item = defaultdict(list)
    for document in documents:
        if not (document.is_minutes and may_see_agenda):
            by_item[document.agenda_item_id if may_see_agenda else None].append(document)
    agenda = []
    if may_see_agenda:
        agenda = [
            (item, by_item.get(item.pk, []), submitted.get(item.pk, []))
            for item in meeting.agenda_items.all()
        ]
    if minutes:
        with_comments(user, minutes, staff)
    response = render(
        request,
        "advisory_board/meeting_detail.html",
        {
            "meeting": meeting,
            "is_member": is_member,
            "agenda": agenda,
            "general_documents": by_item.get(None, []),
            "has_documents": bool(documents),
            "reply": reply,
            "reply_form": reply_form,
            "minutes": minutes,
            "comment_form": (comment_form or MinutesCommentForm()) if person else None,
            "can_reply": is_member and person is not None and meeting.is_upcoming,
            "staff": staff,
            "replies": meeting.replies.select_related("person") if staff else None,
            "seen_until": person.seen_until if person else None,
            **meeting_record(meeting, user, may_see_agenda),
        },
        status=status,
    )
    if may_see_agenda:
        # Member-only content stays out of every cache, the browser's included.
        add_never_cache_headers(response)
    return response


def meeting_record(meeting, user, may_see_agenda):
    """What became of a meeting: its decisions and tasks, and from the meeting's day the
    attendance, for members and staff; for everyone else, once the meeting's results are public
    (Meeting.results_are_public), how many attended and the names of those who agreed to be
    named. Before that, attendance would tell who replied yes."""
    if may_see_agenda:
        attendance = list(meeting.attendance.for_list()) if meeting.takes_attendance else []
        return {
            "outcomes": Outcome.objects.visible_to(user).filter(meeting=meeting).for_list(),
            "attendance": attendance,
            "attended_count": sum(entry.attended for entry in attendance),
        }
    if not meeting.results_are_public:
        return {}
    attended = list(meeting.attendance.attended().with_public_consent().for_list())
    return {
        "attended_count": len(attended),
        "attended_names": [entry.person.full_name for entry in attended if entry.named_in_public],
    }


def with_comments(user, minutes, staff):
    """Attach the comments the user may read to each minutes document, and for staff the earlier
    versions: one query each, however many there are."""
    comments = defaultdict(list)
    for comment in (
        MinutesComment.objects.visible_to(user)
        .filter(document__in=minutes)
        .select_related("person")
    ):
        comments[comment.document_id].append(comment)
    versions = defaultdict(list)
    if staff:
        for version in DocumentVersion.objects.filter(document__in=minutes):
            versions[version.document_id].append(version)
    for document in minutes:
        document.visible_comments = comments.get(document.pk, [])
        document.earlier_versions = versions.get(document.pk, [])


@login_required
@never_cache
def members_area(request):
    user = request.user
    memberships = list(Membership.objects.current_of(user).select_related("person"))
    person = memberships[0].person if memberships else current_person(user)
    boards = {membership.board_id for membership in memberships}
    joined_on = {}
    for membership in memberships:
        joined_on[membership.board_id] = min(
            membership.starts_on, joined_on.get(membership.board_id, membership.starts_on)
        )
    if has_staff_rights(user):
        boards |= set(Board.objects.filter(is_current=True).values_list("pk", flat=True))
    context = {"person": person, "is_member": bool(boards), "former_member": False}
    if not boards:
        context["former_member"] = Membership.objects.filter(person__user=user).exists()
        return render(request, "advisory_board/members.html", context)

    first_visit = person is not None and person.last_visit_at is None
    if person:
        person.record_visit(request.session.session_key, timezone.now())
    seen_until = person.seen_until if person else None
    show_all = request.GET.get("alle") == "1"
    context.update({"first_visit": first_visit, "seen_until": seen_until, "show_all": show_all})
    return kept_for_person(
        request,
        [first_visit, seen_until, show_all],
        lambda: render_members_area(request, context, person, boards, joined_on),
    )


def render_members_area(request, context, person, boards, joined_on):
    user, seen_until, show_all = request.user, context["seen_until"], context["show_all"]
    # Members see a meeting once it is announced, as everyone else does: no link to a page they
    # cannot open, no reply to a date that may still move.
    meetings = (
        Meeting.objects.announced()
        .filter(board__in=boards)
        .select_related("board")
        .defer("search_vector", "search_stems")
    )
    next_meeting = meetings.upcoming().with_reply_of(person).first()
    documents = (
        Document.objects.visible_to(user)
        .select_related("meeting")
        .defer(
            "text",
            "search_vector",
            "search_stems",
            "meeting__search_vector",
            "meeting__search_stems",
        )
    )
    new_documents = documents.new_since(seen_until, joined_on)
    if not show_all:
        # One more than shown tells whether there are more, without counting them.
        new_documents = new_documents[: NEW_DOCUMENTS_LIMIT + 1]
    new_documents = list(new_documents)
    context.update(
        {
            "next_meeting": next_meeting,
            "next_reply": next_meeting.reader_reply if next_meeting else None,
            "open_tasks": Outcome.objects.visible_to(user)
            .tasks()
            .open()
            .filter(meeting__board__in=boards)
            .for_list()
            .by_due_date(),
            "next_agenda": next_meeting.agenda_items.all() if next_meeting else [],
            "more_new_documents": len(new_documents) > NEW_DOCUMENTS_LIMIT and not show_all,
            "new_by_meeting": by_meeting(
                new_documents if show_all else new_documents[:NEW_DOCUMENTS_LIMIT]
            ),
            "past_meetings": meetings.past().order_by("-starts_at")[:8],
            "minutes_drafts": documents.minutes_drafts()
            .filter(meeting__board__in=boards)
            .annotate(comment_count=Count("comments"))
            .order_by("-meeting__starts_at")[:MINUTES_DRAFTS_LIMIT],
        }
    )
    if person and person.calendar_token:
        url = public_url(reverse("advisory_board:personal_calendar", args=[person.calendar_token]))
        # webcal:// hands the address to the calendar app, which fetches it over https.
        context.update({"calendar_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]})
    # What was done to the calendar address is said beside it, where the page opens and the
    # focus goes, not above the page; the other messages stay where every page shows them.
    shown = list(messages.get_messages(request))
    context["calendar_messages"] = [m for m in shown if CALENDAR_SECTION in m.extra_tags.split()]
    context["messages"] = [m for m in shown if m not in context["calendar_messages"]]
    return render(request, "advisory_board/members.html", context)


def by_meeting(documents):
    """The documents grouped by meeting: (meeting, documents) in the order of the documents."""
    groups = {}
    for document in documents:
        groups.setdefault(document.meeting, []).append(document)
    return list(groups.items())


@login_required
@with_form
def meeting_reply(request, pk):
    meeting = get_object_or_404(Meeting.objects.announced(), pk=pk)
    person, boards = current_member(request.user)
    if meeting.board_id not in boards:
        raise Http404
    if request.method != "POST":
        return redirect(meeting.get_absolute_url() + "#reply-heading")
    if not meeting.is_upcoming:
        messages.error(request, _("Für diese Sitzung sind keine Rückmeldungen mehr möglich."))
        return redirect(meeting)
    reply = Reply.objects.filter(meeting=meeting, person=person).first()
    form = ReplyForm(request.POST, instance=reply or Reply(meeting=meeting, person=person))
    if not form.is_valid():
        return meeting_page(request, pk, reply_form=form, status=400)
    reply = form.save()
    messages.success(request, _("Danke! %(reply)s") % {"reply": reply.confirmation})
    return redirect(meeting)


@login_required
@with_form
def minutes_comment(request, pk):
    """A member's comment on a draft of the minutes of their board."""
    document = (
        Document.objects.visible_to(request.user)
        .select_related("meeting")
        .filter(pk=pk, kind=Document.Kind.MINUTES)
        .first()
    )
    if document is None:
        raise MembersOnly
    person, boards = current_member(request.user)
    if request.method != "POST" and (
        document.meeting.board_id in boards or has_staff_rights(request.user)
    ):
        return redirect(document.meeting.get_absolute_url() + "#protokoll")
    if document.meeting.board_id not in boards:
        raise Http404
    form = MinutesCommentForm(request.POST)
    if not document.is_minutes_draft:
        messages.error(
            request,
            _("Dieses Protokoll ist bereits genehmigt. Kommentare sind nicht mehr möglich."),
        )
    elif not form.is_valid():
        # The page again, with the text as written and what is wrong with it.
        return meeting_page(request, document.meeting_id, comment_form=form, status=400)
    elif not ratelimit.consume(request, action="minutes_comment", user=request.user):
        # Per person, in the cache allauth counts failed logins in (ACCOUNT_RATE_LIMITS).
        form.add_error(
            "text",
            _(
                "Sie haben in kurzer Zeit sehr viele Kommentare geschrieben. Bitte warten Sie "
                "einige Minuten und senden Sie diesen Kommentar dann noch einmal; Ihr Text "
                "steht weiter im Feld."
            ),
        )
        return meeting_page(request, document.meeting_id, comment_form=form, status=429)
    else:
        form.instance.document = document
        form.instance.person = person
        form.instance.version = document.version
        form.save()
        messages.success(
            request,
            _("Danke! Ihr Kommentar zum Protokollentwurf ist gespeichert."),
        )
    return redirect(document.meeting.get_absolute_url() + "#protokoll")


@login_required
@with_form
def calendar_token(request):
    """Make or revoke the personal calendar address, then back to it in the members' area: the
    message is shown beside it, where the page opens."""
    person, boards = current_member(request.user)
    if not boards:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "widerrufen":
        person.calendar_token = None
        person.save(update_fields=["calendar_token"])
        messages.success(
            request,
            _("Der Kalender-Link ist widerrufen und funktioniert nicht mehr."),
            extra_tags=CALENDAR_SECTION,
        )
    elif request.method == "POST":
        person.new_calendar_token()
        messages.success(
            request,
            _("Ihr persönlicher Kalender-Link ist bereit. Ein früherer Link gilt nicht mehr."),
            extra_tags=CALENDAR_SECTION,
        )
    return redirect(reverse("advisory_board:members") + "#" + CALENDAR_SECTION)
