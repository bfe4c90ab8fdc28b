"""Hostile files fail fast with a German message: images of huge pixel counts and ZIP bombs are
refused before anything is decoded or decompressed in full, PDFs past pypdf's safe reading limits
(nesting, pages, time) before anything else reads them."""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

from advisory_board.models import Document
from koss.core import pdfs, validators
from koss.core.demo import demo_pdf
from koss.core.text import extract_text
from koss.core.validators import validate_document_upload
from news.models import Article, Attachment

from ..advisory_board.conftest import world  # noqa: F401 - fixture
from ..factories import NO_EARLIER_VERSIONS, login_as, make_partner, partner_form
from ..hostile_pdfs import deeply_nested_pdf, pdf_with_actions
from ..news.test_admin import ADD_URL, article_form

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning"),
]

# Past our limit; past Pillow's warning; past Pillow's refusal (DecompressionBombError).
HUGE_SIZES = [(7_000, 7_000), (10_000, 10_000), (20_000, 20_000)]


def png_header(width, height):
    """A PNG that announces width × height pixels in a few hundred bytes."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + chunk(b"IEND", b"")
    )


def zip_bomb(megabytes=64):
    """An ODF-like archive whose `mimetype` member inflates to the given size, built in chunks."""
    buffer = io.BytesIO()
    chunk = b"\0" * 2**20
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("mimetype", "w") as member,
    ):
        for _ in range(megabytes):
            member.write(chunk)
    return buffer.getvalue()


def refusal_cost(content):
    """Seconds and peak bytes of memory the document validator spends refusing the content."""
    upload = SimpleUploadedFile("bericht.odt", content)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ValidationError):
            validate_document_upload(upload)
        return time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("size", HUGE_SIZES, ids=lambda size: f"{size[0]}px")
def test_huge_image_as_board_document_is_a_german_form_error(client, world, size):  # noqa: F811
    login_as(client, world["users"]["staff"])
    response = client.post(
        "/verwaltung/advisory_board/document/add/",
        {
            "meeting": world["meeting"].pk,
            "kind": "protokoll",
            "title": "Riesenbild",
            "visibility": "mitglieder",
            "file": SimpleUploadedFile("bild.png", png_header(*size)),
            **NO_EARLIER_VERSIONS,
        },
    )
    assert response.status_code == 200
    assert "höchstens 40 Megapixel" in " ".join(response.context["adminform"].form.errors["file"])
    assert not Document.objects.filter(title="Riesenbild").exists()


@pytest.mark.parametrize("size", HUGE_SIZES, ids=lambda size: f"{size[0]}px")
def test_huge_image_as_attachment_or_article_image_is_a_german_form_error(staff_client, size):
    data = article_form(
        **{
            "image": SimpleUploadedFile("bild.png", png_header(*size)),
            "image_alt": "Ein Bild",
            "attachments-0-title": "Anhang",
            "attachments-0-file": SimpleUploadedFile("anhang.png", png_header(*size)),
        }
    )
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("höchstens 40 Megapixel") == 2
    assert not Article.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("size", HUGE_SIZES, ids=lambda size: f"{size[0]}px")
def test_huge_logo_is_a_german_form_error(staff_client, size):
    partner = make_partner(name="Logo-Test", slug="logo-test")
    data = partner_form(
        partner,
        logo_alt="Logo",
        logo=SimpleUploadedFile("logo.png", png_header(*size)),
    )
    response = staff_client.post(f"/verwaltung/partners/partner/{partner.pk}/change/", data)
    assert response.status_code == 200
    assert "höchstens 40 Megapixel" in " ".join(response.context["adminform"].form.errors["logo"])


def test_zip_bomb_is_refused_quickly_with_little_memory():
    seconds, peak = refusal_cost(zip_bomb())
    assert seconds < 1
    assert peak < 50 * 2**20


def test_archive_of_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(validators, "MAX_ZIP_ENTRIES", 100)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(100):
            archive.writestr(f"word/teil{number}.xml", "<x/>")
    with pytest.raises(ValidationError):
        validate_document_upload(SimpleUploadedFile("bericht.docx", buffer.getvalue()))


def test_archive_whose_directory_understates_its_entries_is_refused(monkeypatch):
    """zipfile reads the whole central directory whatever count the end record claims."""
    monkeypatch.setattr(validators, "MAX_ZIP_ENTRIES", 100)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(200):
            archive.writestr(f"word/teil{number}.xml", "<x/>")
    content = bytearray(buffer.getvalue())
    end = content.rfind(b"PK\x05\x06")
    content[end + 8 : end + 12] = struct.pack("<HH", 1, 1)
    with pytest.raises(ValidationError):
        validate_document_upload(SimpleUploadedFile("bericht.docx", bytes(content)))


def pdf_of_dense_text(megabytes=1):
    """A PDF of a few kilobytes whose one page parses into hundreds of thousands of operators."""
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    operators = b"BT /F1 12 Tf (AAAAAAAA) Tj ET\n"
    content = StreamObject()
    content.set_data(operators * (megabytes * 2**20 // len(operators)))
    page[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer


def test_text_of_a_pdf_is_extracted_in_bounded_time():
    pdf = pdf_of_dense_text()
    started = time.perf_counter()
    extract_text(pdf, "application/pdf")
    assert time.perf_counter() - started < 1


def many_pages_pdf(pages):
    writer = PdfWriter()
    page = io.BytesIO(demo_pdf("Seite", ["Text"]))
    from pypdf import PdfReader

    reader = PdfReader(page)
    for _ in range(pages):
        writer.add_page(reader.pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_real_office_documents_still_pass():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    validate_document_upload(SimpleUploadedFile("bericht.odt", buffer.getvalue()))


HOSTILE_PDFS = {
    "verschachtelt": deeply_nested_pdf,
    "zu-viele-seiten": lambda: many_pages_pdf(pdfs.MAX_PAGES + 1),
}


@pytest.mark.parametrize("kind", HOSTILE_PDFS)
def test_a_pdf_past_the_reading_limits_is_refused_quickly(kind):
    upload = SimpleUploadedFile("bericht.pdf", HOSTILE_PDFS[kind]())
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refusal:
        validate_document_upload(upload)
    assert time.perf_counter() - started < 2
    assert "Das PDF lässt sich nicht sicher lesen" in " ".join(refusal.value.messages)


def test_a_pdf_that_reads_too_slowly_is_refused(monkeypatch):
    monkeypatch.setattr(pdfs, "MAX_SECONDS", 0.0)
    with pytest.raises(ValidationError):
        validate_document_upload(SimpleUploadedFile("b.pdf", many_pages_pdf(30)))


def test_a_deeply_nested_pdf_is_a_german_form_error_for_board_documents(client, world):  # noqa: F811
    login_as(client, world["users"]["staff"])
    response = client.post(
        "/verwaltung/advisory_board/document/add/",
        {
            "meeting": world["meeting"].pk,
            "kind": "sonstiges",
            "title": "Verschachtelt",
            "visibility": "mitglieder",
            "file": SimpleUploadedFile("v.pdf", deeply_nested_pdf()),
            **NO_EARLIER_VERSIONS,
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["file"])
    assert "Das PDF lässt sich nicht sicher lesen" in errors
    assert not Document.objects.filter(title="Verschachtelt").exists()


def test_a_deeply_nested_pdf_is_a_german_form_error_for_attachments(staff_client):
    data = article_form(
        **{
            "attachments-0-title": "Anhang",
            "attachments-0-file": SimpleUploadedFile("anhang.pdf", deeply_nested_pdf()),
        }
    )
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Das PDF lässt sich nicht sicher lesen" in response.content.decode()
    assert not Article.objects.exists()


def test_real_pdfs_still_pass():
    validate_document_upload(SimpleUploadedFile("bericht.pdf", many_pages_pdf(40)))
    validate_document_upload(SimpleUploadedFile("skripte.pdf", pdf_with_actions()))
