"""The meeting book (Sitzungsmappe): one PDF with a cover page (board, meeting, date, time, place,
agenda) and then every PDF document the reader may see, in agenda order, with bookmarks per agenda
item and per document.

A book is built once per set of document versions, by a background task, and kept in the storage
(the local disk or the object store) under a name derived from a hash of what is in it, like the
meeting ZIP: readers who see the same documents share a book, readers who see others get another.
The view never builds a book itself; with the immediate task backend (`make run`, the tests) the
task has run when enqueue() returns.
"""

import dataclasses
import datetime
import hashlib
import html
import io
import json
import logging
import os
import posixpath
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
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
from koss.core.storage import on_local_disk, open_seekable

from .models import Document, Meeting

logger = logging.getLogger(__name__)

BOOK_DIRECTORY = "board/books"
# Part of every book's name: raise it when the layout changes, and every book is built anew.
BOOK_FORMAT = 3
# The PDF's information dictionary names the documents inside, so that a download of a stored
# book logs exactly those without reading its pages.
DOCUMENTS_KEY = "/KossDocuments"
# A build takes seconds; a temporary file this old was left by a crashed one.
ABANDONED_AFTER = datetime.timedelta(hours=1)
COPY_CHUNK = 1024 * 1024


def meeting_book(meeting, documents, audience):
    """The stored book of these documents (a FieldFile) and the documents inside it, or
    (None, []) while it is not built.

    `documents` are those the reader may see (Document.objects.visible_to()) with their agenda
    items; `audience` only names the file, whose hash covers everything on its pages.
    """
    field = Document._meta.get_field("file")
    name = book_name(meeting, documents, audience)
    try:
        inside = stored_document_ids(field.storage, name)
    except (FileNotFoundError, PyPdfError):
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
                d.version,
                d.file.name,
                d.title,
                d.agenda_item_id,
                d.content_type,
                d.approved_on and d.approved_on.isoformat(),
            ]
            for d in documents
        ),
    }
    digest = hashlib.sha256(json.dumps(content).encode()).hexdigest()[:32]
    return f"{BOOK_DIRECTORY}/{meeting.pk}-{audience}-{digest}.pdf"


def stored_document_ids(storage, name):
    # Reads the trailer and the information dictionary only: a few ranged requests in object storage.
    with open_seekable(storage, name) as handle:
        listed = (PdfReader(handle).metadata or {}).get(DOCUMENTS_KEY, "")
    return {int(pk) for pk in str(listed).split()}


def ask_for_meeting_book(meeting, documents, audience):
    """Start building the book, unless a build of the same book was asked for in the last five
    minutes: a reader who asks again while a worker builds it starts no second build."""
    if cache.add(f"meeting-book:{book_name(meeting, documents, audience)}", True, 300):
        build_meeting_book.enqueue(meeting.pk, audience, [document.pk for document in documents])


@task()
def build_meeting_book(meeting_id, audience, document_ids):
    """Build and store the book of these documents of the meeting, unless it is stored already.

    The view passes the ids of the documents the reader may see; a document changed or deleted
    since then gives a book under another name, and the next request asks for the right one.
    """
    meeting = Meeting.objects.select_related("board").filter(pk=meeting_id).first()
    if meeting is None:
        return
    documents = list(
        Document.objects.filter(meeting=meeting, pk__in=document_ids)
        .select_related("agenda_item")
        .defer("text", "search_vector")
    )
    storage = Document._meta.get_field("file").storage
    name = book_name(meeting, documents, audience)
    if storage.exists(name):
        return  # another request asked for the same book
    store_book(storage, name, meeting, documents)
    prune_books(storage, f"{meeting.pk}-{audience}-", keep=name)


@dataclasses.dataclass
class Entry:
    """A document in the book: its pages, or why it has none."""

    document: Document
    reader: PdfReader | None = None
    problem: str = ""
    first_page: int = 0  # counted from 1, once the cover's length is known


def store_book(storage, name, meeting, documents):
    """Write the book into a temporary file and store it when complete, so that a concurrent
    request finds the whole book or none (as the meeting ZIP does)."""
    if on_local_disk(storage):
        path = Path(storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=".", suffix=".part", delete=False
        ) as temporary:
            try:
                write_book(temporary, meeting, documents)
            except BaseException:
                os.unlink(temporary.name)
                raise
        os.chmod(temporary.name, storage.file_permissions_mode or 0o644)
        os.replace(temporary.name, path)
        return
    with tempfile.TemporaryFile() as temporary:
        write_book(temporary, meeting, documents)
        temporary.seek(0)
        stored = storage.save(name, File(temporary, name=posixpath.basename(name)))
        if stored != name:
            # A concurrent build stored the same book (the name is its content's hash).
            storage.delete(stored)


def write_book(target, meeting, documents):
    with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryDirectory() as sources:
        agenda = list(meeting.agenda_items.all())
        attendance = list(meeting.attendance.for_list())
        entries = [read_document(document, sources) for document in in_agenda_order(documents)]
        cover = render_cover(meeting, agenda, entries, attendance)
        writer = PdfWriter()
        writer.append(PdfReader(io.BytesIO(cover)))
        writer.add_outline_item(title=_("Deckblatt und Tagesordnung"), page_number=0)
        parents = {}
        for entry in entries:
            if entry.reader is None:
                continue
            item = entry.document.agenda_item
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
            writer.add_outline_item(
                title=entry.document.title, page_number=page, parent=parents[item]
            )
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


def in_agenda_order(documents):
    """Documents by their agenda item's position, then those of no item, each in upload order."""
    return sorted(
        documents,
        key=lambda d: (d.agenda_item is None, d.agenda_item.position if d.agenda_item else 0, d.pk),
    )


def read_document(document, directory):
    """The document's pages, read from a local copy (the object store's file is copied once)."""
    entry = Entry(document)
    if document.content_type != "application/pdf":
        entry.problem = _("liegt nicht als PDF vor – einzeln herunterladen")
        return entry
    path = os.path.join(directory, f"{document.pk}.pdf")
    try:
        with document.file.open("rb") as source, open(path, "wb") as copy:
            shutil.copyfileobj(source, copy, COPY_CHUNK)
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PyPdfError("encrypted")
        if not reader.pages:
            raise PyPdfError("no pages")
    except (FileNotFoundError, PyPdfError, ValueError, KeyError) as error:
        # The others still get their book; operators learn of the broken file.
        logger.error("Document %s left out of the meeting book: %s", document.pk, error)
        entry.problem = _("konnte nicht eingebunden werden – einzeln herunterladen")
        return entry
    entry.reader = reader
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
        by_item.setdefault(entry.document.agenda_item_id, []).append(entry)
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


def prune_books(storage, prefix, *, keep):
    """Delete the books of the same meeting and audience that `keep` superseded, and what an
    interrupted build left behind."""
    abandoned_before = timezone.now() - ABANDONED_AFTER
    for filename in storage.listdir(BOOK_DIRECTORY)[1]:
        name = f"{BOOK_DIRECTORY}/{filename}"
        superseded = filename.startswith(prefix) and filename.endswith(".pdf") and name != keep
        abandoned = filename.endswith(".part") and (
            storage.get_modified_time(name) < abandoned_before
        )
        if superseded or abandoned:
            storage.delete(name)
