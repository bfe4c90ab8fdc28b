import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Formats a browser shows safely as an <img>; SVG is excluded because it can carry script.
ALLOWED_IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


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
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        image_format = None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(_("Bitte laden Sie ein Bild im Format PNG, JPEG oder WebP hoch."))


def image_content_type(file):
    """The media type of an allowed image, read from its header; None for anything else."""
    try:
        with Image.open(file) as image:
            return ALLOWED_IMAGE_FORMATS.get(image.format)
    except (UnidentifiedImageError, OSError):
        return None
    finally:
        file.seek(0)


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
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return mimetype if mimetype in DOCUMENT_TYPES.values() else None
            if "[Content_Types].xml" in names:
                for prefix, key in _OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return DOCUMENT_TYPES[key]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def validate_document_upload(upload):
    """Accept PDF, office documents and images up to the configured size; nothing executable."""
    _check_size(upload, settings.KOSS_MAX_DOCUMENT_SIZE)
    if document_content_type(upload) is None:
        raise ValidationError(
            _(
                "Dieser Dateityp ist nicht erlaubt. Bitte laden Sie ein PDF, ein Office-Dokument "
                "(Word, Excel, PowerPoint, OpenDocument) oder ein Bild (PNG, JPEG, WebP) hoch."
            )
        )
