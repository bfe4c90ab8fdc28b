"""Reading a PDF within fixed limits, and copying one without its actions.

pypdf parses nested arrays and dictionaries recursively and follows references as deep as a file
asks: a few kilobytes can exhaust the stack, the memory or the time of a worker. `read_pdf()` reads
every object a PDF reaches, without recursion of its own, and stops at the first limit it meets.
The upload check refuses such files, and the meeting book leaves them out. `clean_copy()` writes
a PDF's pages anew without scripts, forms and actions other than jumps and plain web links.
"""

import io
import time

from pypdf import PdfReader, PdfWriter
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


def clean_copy(reader):
    """The document's pages written on their own, stripped of actions, and read back: what the
    book binds has been through pypdf once already, so binding it cannot fail on this file."""
    if not reader.pages:
        raise PyPdfError("no pages")
    writer = PdfWriter()
    writer.append(reader, import_outline=False)
    strip_actions(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    buffer.seek(0)
    return read_pdf(buffer)


# Actions a bound page may keep: a jump within the book, and a plain web link (opened by the
# reader's browser, like any link on the portal's pages). Everything else – JavaScript, launching
# programs, sending or importing form data, other files, media – is removed.
SAFE_ACTIONS = {"/GoTo", "/URI"}


UNSAFE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/ResetForm",
    "/GoToR",
    "/GoToE",
    "/Rendition",
    "/Movie",
    "/Sound",
    "/Hide",
    "/RichMediaExecute",
    "/GoTo3DView",
}


# Annotations that only carry files or media.
UNSAFE_ANNOTATIONS = {"/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"}


def is_safe_action(action):
    action = action.get_object()
    if not isinstance(action, DictionaryObject) or action.get("/S") not in SAFE_ACTIONS:
        return False
    if action["/S"] == "/URI":
        return str(action.get("/URI", "")).strip().lower().startswith(("http://", "https://"))
    return True


def strip_actions(writer):
    """Remove every action but jumps and plain web links, every script and form, and the
    document-level triggers (/OpenAction, /AA) from the writer's document."""
    root = writer.root_object
    for key in ("/OpenAction", "/AA", "/AcroForm"):
        root.pop(key, None)
    if "/Names" in root:
        names = root["/Names"].get_object()
        for key in ("/JavaScript", "/EmbeddedFiles"):
            names.pop(key, None)
    seen, stack = set(), [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            # What it points to is visited too, even what it loses: an orphan is emptied as well.
            stack.extend(item.values())
            strip_dictionary(item)
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def strip_dictionary(dictionary):
    if dictionary.get("/S") in UNSAFE_ACTIONS:
        # An action reached some other way than /A (a name tree, a chain): emptied where it is.
        dictionary.clear()
    for key in ("/AA", "/JS", "/XFA"):
        dictionary.pop(key, None)
    if "/S" in dictionary:
        dictionary.pop("/Next", None)  # an action's chain (a bookmark's /Next is its sibling)
    if "/A" in dictionary and not is_safe_action(dictionary["/A"]):
        del dictionary["/A"]
    if "/Annots" in dictionary:
        annotations = dictionary["/Annots"].get_object()
        if isinstance(annotations, ArrayObject):
            kept = [
                annotation
                for annotation in annotations
                if isinstance(annotation.get_object(), DictionaryObject)
                and annotation.get_object().get("/Subtype") not in UNSAFE_ANNOTATIONS
            ]
            annotations[:] = kept
