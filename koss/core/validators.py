import math
import os
import struct
import warnings
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf.errors import PyPdfError

from .pdfs import MAX_PAGES, PdfLimitExceeded, read_pdf

# Formats a browser shows safely as an <img>; SVG is excluded because it can carry script.
ALLOWED_IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
# A few kilobytes can announce gigapixels, which decoding would hold in memory. 40 megapixels
# is more than any photo or logo of the site needs, and below Pillow's own warning (89 MP).
MAX_IMAGE_PIXELS = 40_000_000
# Office documents are ZIP archives of a few hundred parts; more is a trap for the parser.
MAX_ZIP_ENTRIES = 10_000
# ODF's `mimetype` member holds one short media type; nothing more of it is ever read.
_MIMETYPE_BYTES = 200


def _check_size(upload, limit):
    if upload.size == 0:
        raise ValidationError(_("Die Datei ist leer."))
    if upload.size > limit:
        raise ValidationError(
            _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )


def validate_image_upload(upload):
    """Accept only real PNG, JPEG or WebP images (judged by content, not name) within the size."""
    _check_size(upload, settings.KOSS_MAX_IMAGE_SIZE)
    image_format, pixels = _read_image(upload, verify=True)
    _check_pixels(pixels)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(_("Bitte laden Sie ein Bild im Format PNG, JPEG oder WebP hoch."))


def validate_photo_upload(upload):
    """Like validate_image_upload, for camera photos: up to KOSS_MAX_PHOTO_SIZE (the stored file
    is re-encoded without its metadata, and pages show smaller renditions of it)."""
    _check_size(upload, settings.KOSS_MAX_PHOTO_SIZE)
    image_format, pixels = _read_image(upload, verify=True)
    _check_pixels(pixels)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(_("Bitte laden Sie ein Bild im Format PNG, JPEG oder WebP hoch."))


def image_content_type(file):
    """The media type of an allowed image, read from its header; None for anything else.

    The pixel limit is the validators' business: images stored before it keep being served.
    """
    return ALLOWED_IMAGE_FORMATS.get(_read_image(file)[0])


def _read_image(file, verify=False):
    """The format and pixel count an image's header announces, without decoding the pixels.

    (None, 0) for anything else. Past Pillow's own decompression-bomb limits an image counts as
    infinitely large: Pillow's warning is turned into that answer (gunicorn's workers are
    processes, so the warning filter changes nothing in another request), and its error too.
    """
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=list(ALLOWED_IMAGE_FORMATS)) as image:
                pixels = image.width * image.height
                if verify and pixels <= MAX_IMAGE_PIXELS:
                    image.verify()
                return image.format, pixels
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return None, math.inf
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None, 0
    finally:
        file.seek(0)


def _check_pixels(pixels):
    if pixels > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _(
                "Das Bild hat zu viele Bildpunkte; erlaubt sind höchstens %(limit)s Megapixel "
                "(Breite mal Höhe). Bitte verkleinern Sie das Bild."
            )
            % {"limit": MAX_IMAGE_PIXELS // 1_000_000}
        )


# Documents staff may attach: detected by content, never by the file name.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
DOCUMENT_LABELS = {
    "application/pdf": "PDF",
    DOCUMENT_TYPES["docx"]: "Word",
    DOCUMENT_TYPES["xlsx"]: "Excel",
    DOCUMENT_TYPES["pptx"]: "PowerPoint",
    DOCUMENT_TYPES["odt"]: "OpenDocument-Text",
    DOCUMENT_TYPES["ods"]: "OpenDocument-Tabelle",
    DOCUMENT_TYPES["odp"]: "OpenDocument-Präsentation",
    "image/png": "PNG-Bild",
    "image/jpeg": "JPEG-Bild",
    "image/webp": "WebP-Bild",
}
# The extension every stored file and every download gets, from the type detected in its content.
EXTENSIONS = {content_type: extension for extension, content_type in DOCUMENT_TYPES.items()} | {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
}
# The end record of a ZIP: 22 bytes plus a comment of up to 64 KiB.
_END_RECORD_SEARCH = 22 + 65_535
_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def typed_filename(stem, content_type):
    """A file name of the stem, made safe, and the extension of the detected type.

    The uploader's extension never survives: `x.html` holding a PDF becomes `x.pdf`, and a
    type we do not know becomes `.bin`, which no browser runs.
    """
    return f"{slugify(stem, allow_unicode=True) or 'datei'}.{EXTENSIONS.get(content_type, 'bin')}"


def document_content_type(file):
    """The media type of an allowed document, judged by its content; None for anything else."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return DOCUMENT_TYPES["pdf"]
        if head.startswith(b"PK\x03\x04"):
            return _zip_document_type(file)
        return image_content_type(file)
    finally:
        file.seek(0)


def _zip_document_type(file):
    if not _zip_directory_is_small(file):
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(_MIMETYPE_BYTES).decode("ascii", "replace").strip()
                return mimetype if mimetype in DOCUMENT_TYPES.values() else None
            if "[Content_Types].xml" in names:
                for prefix, key in _OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return DOCUMENT_TYPES[key]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return None
    return None


def _zip_directory_is_small(file):
    """Whether the archive lists at most MAX_ZIP_ENTRIES entries, checked before zipfile parses it.

    zipfile reads the whole central directory, whatever count the end record claims, so the
    records are counted in the bytes zipfile would read. ZIP64 archives (never needed for an
    office document within the upload limit) are refused, as zipfile would take its sizes there.
    """
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(max(0, size - _END_RECORD_SEARCH))
    tail = file.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) < end + 22 or tail[max(0, end - 20) : end].startswith(b"PK\x06\x07"):
        return False
    entries, directory_size = struct.unpack("<HI", tail[end + 10 : end + 16])
    directory_start = size - len(tail) + end - directory_size
    if entries > MAX_ZIP_ENTRIES or directory_start < 0:
        return False
    file.seek(directory_start)
    return file.read(directory_size).count(b"PK\x01\x02") <= MAX_ZIP_ENTRIES


def validate_document_upload(upload):
    """Accept PDF, office documents and images up to the configured size; nothing executable."""
    _check_size(upload, settings.KOSS_MAX_DOCUMENT_SIZE)
    _check_pixels(_read_image(upload)[1])
    content_type = document_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _(
                "Dieser Dateityp ist nicht erlaubt. Bitte laden Sie ein PDF, ein Office-Dokument "
                "(Word, Excel, PowerPoint, OpenDocument) oder ein Bild (PNG, JPEG, WebP) hoch."
            )
        )
    if content_type == DOCUMENT_TYPES["pdf"]:
        _check_pdf(upload)


def _check_pdf(upload):
    """Refuse a PDF that pypdf reads only past its limits (nesting, objects, pages, time): the
    meeting book and the text search read every PDF. A PDF pypdf cannot parse at all is let
    through, as before: viewers open many such files, and the book lists it to download alone."""
    upload.seek(0)
    try:
        read_pdf(upload)
    except PdfLimitExceeded:
        raise ValidationError(
            _(
                "Das PDF lässt sich nicht sicher lesen: es ist zu tief verschachtelt, zu "
                "umfangreich (mehr als %(pages)s Seiten) oder braucht zu lange zum Lesen. Bitte "
                "speichern Sie es neu, etwa mit „Als PDF drucken“, und laden Sie es erneut hoch."
            )
            % {"pages": f"{MAX_PAGES:,}".replace(",", ".")}
        ) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        pass
    finally:
        upload.seek(0)
