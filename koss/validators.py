from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Formats a browser shows safely as an <img>; SVG is excluded because it can carry script.
ALLOWED_IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


def validate_image_upload(upload):
    """Accept only real PNG, JPEG or WebP images (judged by content, not name) within the size."""
    if upload.size > settings.KOSS_MAX_IMAGE_SIZE:
        raise ValidationError(
            _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.KOSS_MAX_IMAGE_SIZE),
            }
        )
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
