"""Reading a PDF within fixed limits.

pypdf parses nested arrays and dictionaries recursively and follows references as deep as a file
asks: a few kilobytes can exhaust the stack, the memory or the time of a worker. `read_pdf()` reads
every object a PDF reaches, without recursion of its own, and stops at the first limit it meets.
The upload check refuses such files, and the meeting book leaves them out.
"""

import time

from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Far beyond what real documents need: office exports nest a dozen levels and hold a few
# thousand objects per hundred pages.
MAX_PAGES = 2_000
MAX_OBJECTS = 500_000
MAX_NESTING = 100
MAX_SECONDS = 5.0


class PdfLimitExceeded(Exception):
    """The PDF needs more than a limit allows: refused, or left out of a book."""


def read_pdf(source, *, max_seconds=None):
    """A PdfReader of `source` (a path or a binary file) whose every object has been read once
    within the limits, or PdfLimitExceeded. pypdf's own errors (PyPdfError and the ValueError,
    KeyError … of a broken file) pass through for the caller to judge."""
    deadline = time.monotonic() + (MAX_SECONDS if max_seconds is None else max_seconds)
    try:
        reader = PdfReader(source)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PyPdfError("encrypted")
        _walk(reader.trailer, deadline)
        pages = len(reader.pages)
    except (RecursionError, MemoryError, LimitReachedError) as error:
        raise PdfLimitExceeded(f"{type(error).__name__}: {error}") from error
    except PyPdfError as error:
        # pypdf reports a stack or memory it ran out of as a read error.
        if isinstance(error.__cause__, (RecursionError, MemoryError)):
            raise PdfLimitExceeded(f"{type(error.__cause__).__name__}") from error
        raise
    if pages > MAX_PAGES:
        raise PdfLimitExceeded(f"{pages} pages")
    return reader


def _walk(root, deadline):
    """Visit every object reachable from `root` once, counting nesting depth within an object
    (references start afresh: they are what pypdf resolves one at a time)."""
    seen = set()
    stack = [(root, 0)]
    count = 0
    while stack:
        item, depth = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item, depth = item.get_object(), 0
        count += 1
        if depth > MAX_NESTING:
            raise PdfLimitExceeded(f"nested more than {MAX_NESTING} levels")
        if count > MAX_OBJECTS:
            raise PdfLimitExceeded(f"more than {MAX_OBJECTS} objects")
        if count % 100 == 0 and time.monotonic() > deadline:
            raise PdfLimitExceeded("too slow to read")
        if isinstance(item, DictionaryObject):
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, ArrayObject):
            stack.extend((value, depth + 1) for value in item)
