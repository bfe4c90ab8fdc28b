"""Plain text out of uploaded documents, for the site search."""

import logging
import time

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

MAX_PAGES = 100
MAX_CHARACTERS = 200_000
# pypdf parses a page's drawing operators in Python, about a second per 256 KiB: a PDF of a
# few kilobytes can inflate to megabytes of them. A page of text needs far less; a larger
# page (a detailed map, say) is left out of the search rather than holding the upload.
MAX_PAGE_CONTENT_BYTES = 256 * 1024
# Many such pages still add up; what is not read by then stays out of the search.
MAX_SECONDS = 3


def extract_text(file, content_type):
    """The text of a PDF (first pages, capped); empty for other types or unreadable files."""
    if content_type != "application/pdf":
        return ""
    try:
        file.seek(0)
        reader = PdfReader(file)
        parts, length = [], 0
        deadline = time.monotonic() + MAX_SECONDS
        for page in reader.pages[:MAX_PAGES]:
            if _content_size(page) > MAX_PAGE_CONTENT_BYTES:
                continue
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
            if length >= MAX_CHARACTERS or time.monotonic() > deadline:
                break
        return " ".join(" ".join(parts).split())[:MAX_CHARACTERS].replace("\x00", "")
    except (PyPdfError, ValueError, OSError, KeyError, TypeError) as error:
        logger.warning("No text from %s: %s", getattr(file, "name", file), error)
        return ""
    finally:
        file.seek(0)


def _content_size(page):
    """Bytes of the page's drawing operators, inflated; pypdf caps inflating at 75 MB."""
    contents = page.get_contents()
    return len(contents.get_data()) if contents is not None else 0
