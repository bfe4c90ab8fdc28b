"""The board's files, each for those who may read it: documents and their earlier versions, a
meeting's ZIP and its meeting book; every download is logged."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from koss.core.access import MembersOnly
from koss.core.files import file_response
from koss.core.querysets import has_staff_rights
from koss.core.validators import document_content_type

from ..archives import meeting_archive
from ..meeting_book import (
    ask_for_meeting_book,
    in_agenda_order,
    meeting_book,
    meeting_book_given_up,
)
from ..models import (
    Audience,
    Document,
    DocumentVersion,
    DownloadLog,
    Meeting,
)


@never_cache
def document_download(request, pk):
    # The same answer for a forbidden and for a missing document.
    document = Document.objects.visible_to(request.user).select_related("meeting").filter(pk=pk)
    document = document.first()
    if document is None:
        raise MembersOnly
    # Raises 404 for a missing file, before anything is logged.
    response = file_response(
        document.file,
        content_type=document.content_type,
        public=False,
        filename=document.download_name,
    )
    log_downloads(request, [document])
    return response


@never_cache
def document_version(request, pk, version):
    """An earlier version of a document, for staff only; everyone else gets the current one."""
    if not has_staff_rights(request.user):
        raise MembersOnly
    earlier = get_object_or_404(
        # document__pk, unlike document, turns an out-of-range number into no match.
        DocumentVersion.objects.select_related("document__meeting"),
        document__pk=pk,
        version=version,
    )
    try:
        with earlier.file.open("rb") as handle:
            content_type = document_content_type(handle) or "application/octet-stream"
    except FileNotFoundError:
        raise Http404 from None
    response = file_response(
        earlier.file,
        content_type=content_type,
        public=False,
        filename=earlier.download_name(content_type),
    )
    log_downloads(request, [earlier.document], version=earlier.version)
    return response


def log_downloads(request, documents, **kinds):
    """Record the documents of a response that sends them; a HEAD request sends no file."""
    if request.method != "HEAD":
        DownloadLog.objects.record(documents, request.user, **kinds)


def send_built_file(
    request, file, documents, *, content_type, filename, via_zip=False, via_book=False
):
    """A built file (the meeting ZIP or book) as a download, logged for the documents inside."""
    response = file_response(file, content_type=content_type, public=False, filename=filename)
    log_downloads(request, documents, via_zip=via_zip, via_book=via_book)
    return response


@never_cache
def meeting_zip(request, pk):
    meeting = Meeting.objects.visible_to(request.user).filter(pk=pk).first()
    if meeting is None:
        raise MembersOnly
    audience = meeting.audience_of(request.user)
    # As on the meeting page: who sees the agenda gets the minutes it puts up for approval too.
    of_meeting = (
        Document.objects.filter(meeting=meeting)
        if audience == Audience.PUBLIC
        else Document.objects.of_agenda(meeting)
    )
    documents = list(
        of_meeting.visible_to(request.user)
        .select_related("meeting")
        .defer("text", "search_vector", "meeting__search_vector")
    )
    if not documents:
        raise MembersOnly
    archive, included = meeting_archive(meeting, documents, audience)
    if not included:
        raise Http404
    return send_built_file(
        request,
        archive,
        included,
        content_type="application/zip",
        filename=f"{meeting.file_stem}.zip",
        via_zip=True,
    )


@login_required
@never_cache
def meeting_book_download(request, pk):
    """The meeting book of what the reader may see, for the board's current members and staff."""
    meeting = Meeting.objects.visible_to(request.user).select_related("board").filter(pk=pk).first()
    audience = meeting.audience_of(request.user) if meeting else Audience.PUBLIC
    if audience == Audience.PUBLIC:
        raise MembersOnly
    documents = list(
        Document.objects.of_agenda(meeting)
        .visible_to(request.user)
        .select_related("agenda_item", "approval_item")
        .defer("text", "search_vector")
    )
    if not documents:
        raise Http404
    book, included = meeting_book(meeting, documents, audience)
    if book is None:
        ask_for_meeting_book(meeting, documents, audience)
        # Built by now when tasks run at once (make run); otherwise a worker builds it soon.
        book, included = meeting_book(meeting, documents, audience)
    if book is None and meeting_book_given_up(meeting, documents, audience):
        # Every attempt failed: the reader gets the documents one by one.
        return render(
            request,
            "advisory_board/meeting_book_failed.html",
            {"meeting": meeting, "documents": in_agenda_order(documents, meeting)},
        )
    if book is None:
        response = render(
            request, "advisory_board/meeting_book_pending.html", {"meeting": meeting}, status=202
        )
        response["Retry-After"] = "10"
        return response
    return send_built_file(
        request,
        book,
        included,
        content_type="application/pdf",
        filename=f"{meeting.file_stem}-sitzungsmappe.pdf",
        via_book=True,
    )
