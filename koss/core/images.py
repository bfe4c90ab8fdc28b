"""Photos as the site serves them: turned upright and without metadata when they are stored, and
in smaller renditions for small screens, written through the storage (local disk or object store).

An EXIF block can carry where and when a photo was taken (GPS) and the camera's serial number;
none of it leaves the server. The renditions of a stored image have names derived from its name,
`<name>.<width>w.<ext>`, which no upload can take: UploadTo's names hold a single dot.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

# The renditions' widths and their WebP quality. A photo across a phone (358 CSS pixels of a
# 390-pixel screen) takes 480 pixels on a 1x screen, 800 on a 2x and 1200 on a 3x one; the
# 48rem column of a desktop page 800 on a 1x screen and 1600 on a 2x one. The wider a rendition,
# the denser the screen that shows it, and the less the eye sees of the encoder's losses: the
# quality falls as the width grows, which keeps a 3x phone's photo within some 60 KB.
# A narrower original gets one rendition at its own width in place of the wider ones.
RENDITION_QUALITY = {480: 75, 800: 70, 1200: 50, 1600: 50}
RENDITION_WIDTHS = tuple(RENDITION_QUALITY)
# Every rendition is WebP, with a JPEG (or PNG, for an image that has transparency) beside it
# for browsers without WebP.
WEBP = "webp"
FALLBACK_FORMATS = {"jpg": "JPEG", "png": "PNG"}
# WebP's slowest method: some 6 % smaller files for twice the time, spent in the background.
WEBP_METHOD = 6
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


def webp_quality(width):
    """The quality of a rendition `width` pixels wide: that of the rendition it stands in for."""
    return next(
        (quality for target, quality in RENDITION_QUALITY.items() if width <= target),
        RENDITION_QUALITY[RENDITION_WIDTHS[-1]],
    )


def renditions_complete(renditions):
    """Whether write_renditions() described every rendition the image has today, not only the
    first one, nor those of earlier widths."""
    return bool(renditions) and renditions["widths"] == rendition_widths(renditions["width"])


def write_renditions(storage, name, choose=None):
    """Write the renditions of the stored image `name` through `storage`, replacing any there:
    all of them, or those that `choose` picks from the list of their widths.

    Returns what the page needs to offer them: {"name", "width", "height", "widths", "fallback"},
    with the widths written.
    """
    with storage.open(name, "rb") as handle, Image.open(handle) as original:
        has_alpha = original.mode in ("RGBA", "LA", "PA") or "transparency" in original.info
        fallback = "png" if original.format == "PNG" or has_alpha else "jpg"
        width, height = original.size
        wanted = rendition_widths(width)
        if choose is not None:
            wanted = choose(wanted)
        if not wanted:
            return {
                "name": name,
                "width": width,
                "height": height,
                "widths": [],
                "fallback": fallback,
            }
        # A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) still as wide as the widest
        # rendition wanted: a quarter of the work for all of a camera photo's renditions, a 64th
        # for the smallest alone.
        original.draft("RGB", (wanted[-1], wanted[-1] * height // width))
        source = original.convert("RGBA" if has_alpha else "RGB")
    for target in sorted(wanted, reverse=True):
        target_height = max(1, round(height * target / width))
        resized = source.resize((target, target_height), Image.Resampling.LANCZOS, reducing_gap=3)
        _save(
            storage,
            rendition_name(name, target, WEBP),
            resized,
            "WEBP",
            quality=webp_quality(target),
            method=WEBP_METHOD,
        )
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
    return {"name": name, "width": width, "height": height, "widths": wanted, "fallback": fallback}


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
