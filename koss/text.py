"""Plain text out of uploaded documents, for the site search."""

import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

MAX_PAGES = 100
MAX_CHARACTERS = 200_000


def extract_text(file, content_type):
    """The text of a PDF (first pages, capped); empty for other types or unreadable files."""
    if content_type != "application/pdf":
        return ""
    try:
        file.seek(0)
        reader = PdfReader(file)
        parts, length = [], 0
        for page in reader.pages[:MAX_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
            if length >= MAX_CHARACTERS:
                break
        return " ".join(" ".join(parts).split())[:MAX_CHARACTERS].replace("\x00", "")
    except (PyPdfError, ValueError, OSError, KeyError, TypeError) as error:
        logger.warning("No text from %s: %s", getattr(file, "name", file), error)
        return ""
    finally:
        file.seek(0)
