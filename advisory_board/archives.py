"""The meeting ZIP: built once per set of document versions and kept in the storage (the local disk
or the object store), so that a download costs no more than sending a file (nginx sends it from
the local disk when X-Accel-Redirect is on)."""

import logging
import zipfile

from django.db.models.fields.files import FieldFile
from django.utils import timezone

from koss.core.storage import BuiltFiles, copy_file

from .models import Document

logger = logging.getLogger(__name__)

ZIPS = BuiltFiles(directory="board/zips", suffix=".zip")


def meeting_archive(meeting, documents, audience):
    """The stored ZIP of the documents (a FieldFile) and the documents it holds.

    Staff, members and the public see different documents of a meeting, so each `audience`
    (used only to name the file) has its archive; the name's hash covers every document's
    version, file and name in the ZIP, so a change leads to a new archive. The documents need
    their meeting loaded (for the names in the ZIP). None if no document's file could be read.
    """
    field = Document._meta.get_field("file")
    storage = field.storage
    name = archive_name(meeting, documents, audience)
    names = stored_names(storage, name)
    if names is None:
        names = build_archive(storage, name, documents)
        if not names:
            return None, []
        ZIPS.prune(storage, f"{meeting.pk}-{audience}", keep=name)
    return FieldFile(None, field, name), [d for d in documents if d.download_name in names]


def archive_name(meeting, documents, audience):
    content = sorted(
        [document.pk, document.version, document.file.name, document.download_name]
        for document in documents
    )
    return ZIPS.name(f"{meeting.pk}-{audience}", [meeting.pk, content])


def stored_names(storage, name):
    """The names in the stored archive, or None if there is none (or none that can be read)."""
    return ZIPS.read(storage, name, names_in, unreadable=(zipfile.BadZipFile,))


def names_in(handle):
    # Only the archive's directory is read, from the object store too.
    with zipfile.ZipFile(handle) as archive:
        return set(archive.namelist())


def build_archive(storage, name, documents):
    """Write and store the ZIP (atomically: BuiltFiles.store) and return the names in it; nothing
    is stored if no file could be read. Documents are stored without compression: PDFs, office
    files and images are compressed already (deflate saved 1.5–3 % on sample PDFs at about
    40 MB/s).
    """
    return ZIPS.store(storage, name, lambda target: write_archive(target, documents), keep=bool)


def write_archive(target, documents):
    names = set()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for document in documents:
            if add_document(archive, document):
                names.add(document.download_name)
    return names


def add_document(archive, document):
    try:
        source = document.file.open("rb")
    except FileNotFoundError:
        # The others still get the other documents; operators learn of the lost file.
        logger.error("File of document %s is missing: %s", document.pk, document.file.name)
        return False
    info = zipfile.ZipInfo(
        document.download_name,
        date_time=timezone.localtime(document.changed_at).timetuple()[:6],
    )
    with source, archive.open(info, "w") as target:
        copy_file(source, target)
    return True
