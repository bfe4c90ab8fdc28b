"""The meeting book (Sitzungsmappe): one PDF with a cover page (board, meeting, date, time, place,
agenda) and then every PDF document its agenda names that the reader may see, in agenda order, with
bookmarks per agenda item and per document: the meeting's own documents and the minutes of an
earlier meeting up for approval under its item.

Each document is read within fixed limits (koss.core.pdfs), copied on its own and stripped of
actions, scripts and launch links before it is bound: a document that cannot be read or bound is
left out with a note on the cover, the others are bound. A book whose build fails all the same is
tried MAX_ATTEMPTS times with pauses, then given up (BookBuild.objects.failed(): readers get the
documents one by one, staff see it on the admin's start page).

A book is built once per set of document versions, by a background task, and kept in the storage
(the local disk or the object store) under a name derived from a hash of what is in it, like the
meeting ZIP: readers who see the same documents share a book, readers who see others get another.
The view never builds a book itself; with the immediate task backend (`make run`, the tests) the
task has run when enqueue() returns.
"""

import dataclasses
import datetime
import html
import io
import logging
import os
import tempfile

from django.conf import settings
from django.core.cache import cache
from django.db.models.fields.files import FieldFile
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from koss.core.links import public_url
from koss.core.pdfs import clean_copy, read_pdf, strip_actions
from koss.core.storage import BuiltFiles, copy_file

from .models import BookBuild, Document, Meeting

logger = logging.getLogger(__name__)

BOOKS = BuiltFiles(directory="board/books", suffix=".pdf")
# Part of every book's name: raise it when the layout changes, and every book is built anew.
BOOK_FORMAT = 4
# The PDF's information dictionary names the documents inside, so that a download of a stored
# book logs exactly those without reading its pages.
DOCUMENTS_KEY = "/KossDocuments"
# A failed build is tried again after these pauses; after the last attempt it is given up.
RETRY_PAUSES = [datetime.timedelta(minutes=1), datetime.timedelta(minutes=5)]
MAX_ATTEMPTS = len(RETRY_PAUSES) + 1


def meeting_book(meeting, documents, audience):
    """The stored book of these documents (a FieldFile) and the documents inside it, or
    (None, []) while it is not built.

    `documents` are those of the meeting's agenda the reader may see
    (Document.objects.visible_to().of_agenda()) with their agenda and approval items; `audience`
    only names the file, whose hash covers everything on its pages.
    """
    field = Document._meta.get_field("file")
    name = book_name(meeting, documents, audience)
    inside = BOOKS.read(field.storage, name, document_ids_in, unreadable=(PyPdfError,))
    if inside is None:
        return None, []
    return FieldFile(None, field, name), [d for d in documents if d.pk in inside]


def book_name(meeting, documents, audience):
    content = {
        "format": BOOK_FORMAT,
        "meeting": [meeting.pk, meeting.updated_at.isoformat()],
        "agenda": [[item.pk, item.position, item.title] for item in meeting.agenda_items.all()],
        "attendance": [
            [entry.person_id, entry.status, entry.represented_by]
            for entry in meeting.attendance.all()
        ],
        "documents": sorted(
            [
                d.pk,
                d.meeting_id,
                d.version,
                d.file.name,
                d.title,
                d.agenda_item_id,
                d.approval_item_id,
                d.content_type,
                d.approved_on and d.approved_on.isoformat(),
            ]
            for d in documents
        ),
    }
    return BOOKS.name(f"{meeting.pk}-{audience}", content)


def document_ids_in(handle):
    # Reads the trailer and the information dictionary only: a few ranged requests in object storage.
    listed = (PdfReader(handle).metadata or {}).get(DOCUMENTS_KEY, "")
    return {int(pk) for pk in str(listed).split()}


def ask_for_meeting_book(meeting, documents, audience):
    """Start building the book, unless a build of the same book was asked for in the last five
    minutes (a reader who asks again while a worker builds it starts no second build), waits for
    its next attempt or was given up."""
    name = book_name(meeting, documents, audience)
    build = BookBuild.objects.filter(name=name).first()
    if build is not None and build.failed_at is not None:
        return
    if build is not None and build.next_attempt_at and build.next_attempt_at > timezone.now():
        return
    if cache.add(f"meeting-book:{name}", True, 300):
        build_meeting_book.enqueue(meeting.pk, audience, [document.pk for document in documents])


def meeting_book_given_up(meeting, documents, audience):
    """Whether every attempt at this book failed (the reader gets the documents one by one)."""
    name = book_name(meeting, documents, audience)
    return BookBuild.objects.failed().filter(name=name).exists()


@task(takes_context=True)
def build_meeting_book(context, meeting_id, audience, document_ids):
    """Build and store the book of these documents of the meeting, unless it is stored already.

    The view passes the ids of the documents the reader may see; a document changed or deleted
    since then gives a book under another name, and the next request asks for the right one.
    Each attempt is counted before it begins, so that a worker killed by a file counts too.
    """
    meeting = Meeting.objects.select_related("board").filter(pk=meeting_id).first()
    if meeting is None:
        return
    documents = list(
        Document.objects.of_agenda(meeting)
        .filter(pk__in=document_ids)
        .select_related("agenda_item", "approval_item")
        .defer("text", "search_vector")
    )
    storage = Document._meta.get_field("file").storage
    name = book_name(meeting, documents, audience)
    if storage.exists(name):
        return  # another request asked for the same book
    build, _created = BookBuild.objects.get_or_create(name=name, defaults={"meeting": meeting})
    if build.failed_at is not None:
        return
    if build.attempts >= MAX_ATTEMPTS:
        # The last attempt never came back: its worker was killed.
        build.failed_at = timezone.now()
        build.save(update_fields=["failed_at"])
        return
    build.attempts += 1
    build.next_attempt_at = None
    build.save(update_fields=["attempts", "next_attempt_at"])
    try:
        BOOKS.store(
            storage,
            name,
            lambda target: write_book(target, meeting, documents),
            partial=partial_prefix(context.task_result.id),
        )
    except Exception as error:
        record_failure(build, error, [meeting.pk, audience, document_ids])
        return
    build.delete()
    BOOKS.prune(storage, f"{meeting.pk}-{audience}", keep=name)


def record_failure(build, error, arguments):
    """Try the book again after a pause, or give it up after the last attempt."""
    logger.exception("Meeting book %s failed (attempt %s)", build.name, build.attempts)
    build.last_error = f"{type(error).__name__}: {error}"[:2000]
    if build.attempts >= MAX_ATTEMPTS:
        build.failed_at = timezone.now()
    else:
        pause = RETRY_PAUSES[build.attempts - 1]
        build.next_attempt_at = timezone.now() + pause
        if build_meeting_book.get_backend().supports_defer:
            build_meeting_book.using(run_after=build.next_attempt_at).enqueue(*arguments)
            # The retry waits in the queue: readers asking meanwhile start none of their own.
            cache.set(f"meeting-book:{build.name}", True, pause.total_seconds() + 300)
        # Otherwise (tasks at once, `make run`) the next reader after the pause asks again.
    build.save(update_fields=["last_error", "failed_at", "next_attempt_at"])


def partial_prefix(task_id):
    """The start of the name of the book's temporary file on the local disk: it names the task, so
    that `manage.py recover_tasks` can remove what a killed worker left (remove_partial_book)."""
    return f".{task_id}-"


def remove_partial_book(task_id):
    """Delete the temporary file of the book task `task_id`, left by a worker killed while it wrote
    it."""
    BOOKS.remove_partial(Document._meta.get_field("file").storage, partial_prefix(task_id))


@dataclasses.dataclass
class Entry:
    """A document in the book: its pages, or why it has none."""

    document: Document
    item: object = None  # the agenda item it belongs to in this meeting, or None
    reader: PdfReader | None = None
    problem: str = ""
    first_page: int = 0  # counted from 1, once the cover's length is known

    @property
    def bookmark(self):
        title = self.document.title
        if self.document.is_minutes_draft:
            title += " (" + _("Entwurf") + ")"
        return title


def write_book(target, meeting, documents):
    with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryDirectory() as sources:
        agenda = list(meeting.agenda_items.all())
        attendance = list(meeting.attendance.for_list())
        entries = [
            read_document(document, sources, meeting)
            for document in in_agenda_order(documents, meeting)
        ]
        cover = render_cover(meeting, agenda, entries, attendance)
        writer = PdfWriter()
        writer.append(PdfReader(io.BytesIO(cover)))
        writer.add_outline_item(title=_("Deckblatt und Tagesordnung"), page_number=0)
        parents = {}
        for entry in entries:
            if entry.reader is None:
                continue
            item = entry.item
            page = len(writer.pages)
            # A bookmark can point only at a page that is in the book already.
            writer.append(entry.reader, import_outline=False)
            if item not in parents:
                title = (
                    _("TOP %(position)s: %(title)s")
                    % {"position": item.position, "title": item.title}
                    if item
                    else _("Weitere Unterlagen")
                )
                parents[item] = writer.add_outline_item(title=title, page_number=page)
            writer.add_outline_item(title=entry.bookmark, page_number=page, parent=parents[item])
        strip_actions(writer)
        writer.page_mode = "/UseOutlines"
        writer.add_metadata(
            {
                "/Title": _("Sitzungsmappe: %(meeting)s") % {"meeting": meeting},
                "/Author": meeting.board.name,
                "/Creator": "KOSS-Portal",
                DOCUMENTS_KEY: " ".join(str(e.document.pk) for e in entries if e.reader),
            }
        )
        writer.compress_identical_objects()
        writer.write(target)


def agenda_item_in(meeting, document):
    """The item of the meeting's agenda that names the document: its own item, or for minutes of
    an earlier meeting the item that puts them up for approval."""
    return document.agenda_item if document.meeting_id == meeting.pk else document.approval_item


def in_agenda_order(documents, meeting):
    """Documents by their agenda item's position, then those of no item, each in upload order."""

    def position(document):
        item = agenda_item_in(meeting, document)
        return (item is None, item.position if item else 0, document.pk)

    return sorted(documents, key=position)


def read_document(document, directory, meeting):
    """The document's pages, read from a local copy (the object store's file is copied once),
    within fixed limits, and copied on their own without actions or scripts. Whatever goes wrong
    leaves this document out, with a note on the cover."""
    entry = Entry(document, item=agenda_item_in(meeting, document))
    if document.content_type != "application/pdf":
        entry.problem = _("liegt nicht als PDF vor – einzeln herunterladen")
        return entry
    path = os.path.join(directory, f"{document.pk}.pdf")
    try:
        with document.file.open("rb") as source, open(path, "wb") as copy:
            copy_file(source, copy)
        entry.reader = clean_copy(read_pdf(path))
    except Exception as error:  # RecursionError, MemoryError, pypdf's and any other
        # The others still get their book; operators learn of the broken file.
        logger.error("Document %s left out of the meeting book: %r", document.pk, error)
        entry.reader = None
        entry.problem = _("konnte nicht eingebunden werden – einzeln herunterladen")
    return entry


def escape(text):
    """Text for ReportLab's paragraph markup."""
    return html.escape(str(text), quote=False)


STYLES = {
    "title": ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=22, leading=27),
    "board": ParagraphStyle("board", fontName="Helvetica", fontSize=13, leading=17),
    "heading": ParagraphStyle(
        "heading", fontName="Helvetica-Bold", fontSize=13, leading=17, spaceBefore=6, spaceAfter=4
    ),
    "fact": ParagraphStyle("fact", fontName="Helvetica", fontSize=11, leading=15),
    "item": ParagraphStyle("item", fontName="Helvetica-Bold", fontSize=11, leading=15),
    "document": ParagraphStyle(
        "document", fontName="Helvetica", fontSize=10, leading=13, leftIndent=12
    ),
    "note": ParagraphStyle("note", fontName="Helvetica-Oblique", fontSize=9, leading=12),
}


def render_cover(meeting, agenda, entries, attendance):
    """The cover as PDF bytes. It lists each document with its first page in the book, which
    depends on the cover's own length: rendered until that length holds (twice, as a rule). Larger
    page numbers never shorten the cover, so the length only grows and the loop ends."""
    cover_pages = 1
    while True:
        page = cover_pages + 1
        for entry in entries:
            if entry.reader is not None:
                entry.first_page = page
                page += len(entry.reader.pages)
        output = io.BytesIO()
        template = SimpleDocTemplate(
            output,
            pagesize=A4,
            leftMargin=22 * mm,
            rightMargin=22 * mm,
            topMargin=22 * mm,
            bottomMargin=22 * mm,
            title=_("Sitzungsmappe: %(meeting)s") % {"meeting": meeting},
            author=meeting.board.name,
            lang=settings.LANGUAGE_CODE,
        )
        template.build(cover_flowables(meeting, agenda, entries, attendance))
        rendered = len(PdfReader(io.BytesIO(output.getvalue())).pages)
        if rendered == cover_pages:
            return output.getvalue()
        cover_pages = rendered


def cover_flowables(meeting, agenda, entries, attendance):
    starts = timezone.localtime(meeting.starts_at)
    time = dateformat.format(starts, "H:i")
    if meeting.ends_at:
        time += "–" + dateformat.format(timezone.localtime(meeting.ends_at), "H:i")
    facts = [
        (_("Datum"), dateformat.format(starts, "l, j. F Y")),
        (_("Uhrzeit"), _("%(time)s Uhr") % {"time": time}),
        (_("Ort"), meeting.location),
    ]
    if meeting.status == Meeting.Status.CANCELLED:
        facts.append((_("Status"), meeting.get_status_display()))
    flowables = [
        Paragraph(escape(_("Sitzungsmappe")), STYLES["title"]),
        Spacer(0, 3 * mm),
        Paragraph(escape(meeting.board.name), STYLES["board"]),
        Paragraph(escape(_("%(number)s. Sitzung") % {"number": meeting.number}), STYLES["heading"]),
    ]
    flowables += [
        Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", STYLES["fact"])
        for label, value in facts
    ]
    flowables += [Spacer(0, 6 * mm), Paragraph(escape(_("Tagesordnung")), STYLES["heading"])]
    by_item = {}
    for entry in entries:
        by_item.setdefault(entry.item.pk if entry.item else None, []).append(entry)
    items = []
    for item in agenda:
        items.append(
            ListItem(
                [Paragraph(escape(item.title), STYLES["item"])]
                + [document_line(entry) for entry in by_item.pop(item.pk, [])],
                value=item.position,
            )
        )
    if items:
        flowables.append(
            ListFlowable(
                items,
                bulletType="1",
                bulletFormat="TOP %s",
                bulletFontName="Helvetica-Bold",
                bulletFontSize=11,
                leftIndent=16 * mm,
            )
        )
    # Documents of no agenda item, and of an item no longer on the agenda.
    others = [entry for group in by_item.values() for entry in group]
    if others:
        flowables.append(Paragraph(escape(_("Weitere Unterlagen")), STYLES["heading"]))
        flowables += [document_line(entry) for entry in others]
    if attendance:
        flowables.append(Paragraph(escape(_("Anwesenheit")), STYLES["heading"]))
        flowables += [
            Paragraph(escape(attendance_line(entry)), STYLES["document"]) for entry in attendance
        ]
    flowables += [
        Spacer(0, 8 * mm),
        Paragraph(
            escape(
                _(
                    "Zusammengestellt am %(date)s für die Mitglieder des Beirats. Die Mappe "
                    "enthält die Dokumente, die Sie im KOSS-Portal sehen dürfen; bitte geben Sie "
                    "sie nicht weiter."
                )
                % {"date": dateformat.format(timezone.localtime(), "j. F Y")}
            ),
            STYLES["note"],
        ),
    ]
    return flowables


def attendance_line(entry):
    line = f"{entry.person.full_name} – {entry.get_status_display()}"
    if entry.represented_by:
        line += ", " + _("vertreten durch %(name)s") % {"name": entry.represented_by}
    return line


def document_line(entry):
    document = entry.document
    kind = str(document.get_kind_display())
    # "Präsentation: Präsentation …" says nothing twice.
    title = (
        document.title if kind.lower() in document.title.lower() else f"{kind}: {document.title}"
    )
    if document.is_minutes_draft:
        title += " – " + _("Entwurf, noch nicht genehmigt")
    title = escape(title)
    if entry.reader is not None:
        where = _("ab Seite %(page)s") % {"page": entry.first_page}
        return Paragraph(f"{title} – {escape(where)}", STYLES["document"])
    link = html.escape(public_url(document.get_absolute_url()))
    return Paragraph(
        f"{title} ({escape(str(document.type_label))}) – <i>{escape(entry.problem)}</i>: "
        f'<link href="{link}" color="blue"><u>{link}</u></link>',
        STYLES["document"],
    )
