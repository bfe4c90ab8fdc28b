"""Photos as the site serves them: turned upright and without metadata when they are stored, and
in smaller renditions for small screens, written through the storage (local disk or object store).

An EXIF block can carry where and when a photo was taken (GPS) and the camera's serial number;
none of it leaves the server. The renditions of a stored image have names derived from its name,
`<name>.<width>w.<ext>`, which no upload can take: UploadTo's names hold a single dot.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

# Widths of the renditions in CSS pixels of a 1x screen, 2x and 3x phones: a narrower original
# gets one rendition at its own width in place of the wider ones.
RENDITION_WIDTHS = (480, 960, 1600)
# Every rendition is WebP, with a JPEG (or PNG, for an image that has transparency) beside it
# for browsers without WebP.
WEBP = "webp"
FALLBACK_FORMATS = {"jpg": "JPEG", "png": "PNG"}
WEBP_QUALITY = 75
JPEG_QUALITY = 80
# The stored original is re-encoded once to drop its metadata; it stays near the camera's quality.
ORIGINAL_JPEG_QUALITY = 92


def cleaned_image(file):
    """The image upright (its EXIF orientation applied) and without EXIF, GPS or text chunks,
    in its format, as (ContentFile, width, height). Its ICC colour profile stays."""
    file.seek(0)
    with Image.open(file) as original:
        image_format = original.format
        icc_profile = original.info.get("icc_profile")
        image = ImageOps.exif_transpose(original)
        if image is original:
            image = original.copy()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options |= {"quality": ORIGINAL_JPEG_QUALITY, "optimize": True}
    elif image_format == "WEBP":
        options |= {"quality": 90}
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    file.seek(0)
    return ContentFile(buffer.getvalue()), image.width, image.height


def rendition_name(name, width, extension):
    return f"{name}.{width}w.{extension}"


def rendition_widths(width):
    """The widths of the renditions of an image `width` pixels wide, smallest first."""
    return sorted({min(width, target) for target in RENDITION_WIDTHS})


def write_renditions(storage, name):
    """Write the renditions of the stored image `name` through `storage`, replacing any there.

    Returns what the page needs to offer them: {"name", "width", "height", "widths", "fallback"}.
    """
    with storage.open(name, "rb") as handle, Image.open(handle) as original:
        has_alpha = original.mode in ("RGBA", "LA", "PA") or "transparency" in original.info
        fallback = "png" if original.format == "PNG" or has_alpha else "jpg"
        width, height = original.size
        # A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) still as wide as the widest
        # rendition: a quarter of the work for a camera photo.
        original.draft("RGB", (RENDITION_WIDTHS[-1], RENDITION_WIDTHS[-1] * height // width))
        source = original.convert("RGBA" if has_alpha else "RGB")
    widths = rendition_widths(width)
    for target in sorted(widths, reverse=True):
        target_height = max(1, round(height * target / width))
        resized = source.resize((target, target_height), Image.Resampling.LANCZOS, reducing_gap=3)
        _save(storage, rendition_name(name, target, WEBP), resized, "WEBP", quality=WEBP_QUALITY)
        if fallback == "jpg":
            _save(
                storage,
                rendition_name(name, target, "jpg"),
                resized,
                "JPEG",
                quality=JPEG_QUALITY,
                optimize=True,
                progressive=True,
            )
        else:
            _save(storage, rendition_name(name, target, "png"), resized, "PNG", optimize=True)
        source = resized
    return {"name": name, "width": width, "height": height, "widths": widths, "fallback": fallback}


def _save(storage, name, image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    storage.delete(name)
    stored = storage.save(name, ContentFile(buffer.getvalue()))
    if stored != name:  # pragma: no cover - another writer took the name between the two calls
        storage.delete(stored)
        raise FileExistsError(name)


def delete_renditions(storage, renditions):
    """Remove the renditions that write_renditions() described (nothing for an empty dict)."""
    for width in renditions.get("widths", ()):
        for extension in (WEBP, renditions["fallback"]):
            storage.delete(rendition_name(renditions["name"], width, extension))
