"""Uploads are named by what they are: the detected type, never the uploader's file name, gives the
extension in the storage (the local disk or the object store), in every download and in nginx's
internal redirect (from the local disk only)."""

import io
import zipfile
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from advisory_board.models import Document
from news.models import Attachment

from ..advisory_board.conftest import world  # noqa: F401 - fixture
from ..factories import NO_EARLIER_VERSIONS, login_as, make_article, make_partner, partner_form
from ..news.test_admin import ADD_URL, article_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("storage_backend")]

PDF = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF"


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#00506e").save(buffer, format="PNG")
    return buffer.getvalue()


def served_name(response):
    disposition = response["Content-Disposition"]
    return unquote(disposition.split("filename*=UTF-8''", 1)[-1].split("filename=", 1)[-1])


def assert_named(response, extension, content_type):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert served_name(response).strip('"').endswith("." + extension)
    assert ".html" not in response["Content-Disposition"]
    assert ".svg" not in response["Content-Disposition"]


@pytest.fixture
def x_accel(settings, storage_backend):
    """Turns X-Accel-Redirect on; it returns a check of a response sent after that: nginx sends a
    file from the local disk, Django streams one from the object store."""

    def on():
        settings.KOSS_X_ACCEL_REDIRECT_PREFIX = "/geschuetzt/"
        return handed_to_nginx if storage_backend == "local" else streamed

    def handed_to_nginx(response, extension):
        assert response["X-Accel-Redirect"].endswith("." + extension)

    def streamed(response, extension):
        assert "X-Accel-Redirect" not in response
        assert b"".join(response.streaming_content)

    return on


def upload_board_document(client, world, name, content):  # noqa: F811
    login_as(client, world["users"]["staff"])
    response = client.post(
        "/verwaltung/advisory_board/document/add/",
        {
            "meeting": world["meeting"].pk,
            "kind": "protokoll",
            "title": "Getarntes Protokoll",
            "visibility": "oeffentlich",
            "file": SimpleUploadedFile(name, content),
            "published_at_0": "01.01.2020",
            "published_at_1": "10:00:00",
            **NO_EARLIER_VERSIONS,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Document.objects.get(title="Getarntes Protokoll")


def test_board_document_is_stored_and_served_under_its_detected_type(client, world, x_accel):  # noqa: F811
    document = upload_board_document(client, world, "x.html", PDF)
    assert document.content_type == "application/pdf"
    assert document.file.name.endswith(".pdf")
    assert document.download_name.endswith(".pdf")

    assert_named(client.get(document.get_absolute_url()), "pdf", "application/pdf")
    sent = x_accel()
    response = client.get(document.get_absolute_url())
    assert_named(response, "pdf", "application/pdf")
    sent(response, "pdf")


def test_meeting_zip_names_documents_by_their_detected_type(client, world):  # noqa: F811
    upload_board_document(client, world, "x.html", PDF)
    response = client.get(f"/beirat/sitzungen/{world['meeting'].pk}/dokumente.zip")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = archive.namelist()
    assert names and all(name.endswith(".pdf") for name in names)


def test_stored_document_with_a_foreign_extension_is_served_by_its_stored_type(client, world):  # noqa: F811
    document = world["documents"]["public"]
    document.file.storage.save("board/documents/2020/alt.html", ContentFile(PDF))
    Document.objects.filter(pk=document.pk).update(file="board/documents/2020/alt.html")
    assert_named(client.get(document.get_absolute_url()), "pdf", "application/pdf")


def test_attachment_is_stored_and_served_under_its_detected_type(staff_client, client, x_accel):
    data = article_form(
        **{
            "status": "freigegeben",
            "publish_at_0": "01.01.2020",
            "attachments-0-title": "Studie",
            "attachments-0-file": SimpleUploadedFile("x.html", PDF),
        }
    )
    assert staff_client.post(ADD_URL, data).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.file.name.endswith(".pdf")

    assert_named(client.get(attachment.get_absolute_url()), "pdf", "application/pdf")
    sent = x_accel()
    response = client.get(attachment.get_absolute_url())
    assert_named(response, "pdf", "application/pdf")
    sent(response, "pdf")


def test_stored_attachment_with_a_foreign_extension_is_served_by_its_stored_type(client):
    article = make_article()
    attachment = Attachment.objects.create(
        article=article, title="Studie", file=ContentFile(PDF, name="s.pdf")
    )
    attachment.file.storage.save("news/attachments/2020/alt.html", ContentFile(PDF))
    Attachment.objects.filter(pk=attachment.pk).update(file="news/attachments/2020/alt.html")
    assert_named(client.get(attachment.get_absolute_url()), "pdf", "application/pdf")


def test_article_image_is_stored_and_served_under_its_detected_type(client, x_accel):
    article = make_article(image=ContentFile(png_bytes(), name="bild.svg"), image_alt="Ein Bild")
    assert article.image.name.endswith(".png")
    url = f"/aktuelles/{article.slug}/bild/"

    assert_named(client.get(url), "png", "image/png")
    sent = x_accel()
    response = client.get(url)
    assert_named(response, "png", "image/png")
    sent(response, "png")


def test_partner_logo_is_stored_and_served_under_its_detected_type(staff_client, client, x_accel):
    partner = make_partner(name="Logo-Test", slug="logo-test")
    data = partner_form(
        partner,
        logo_alt="Logo des Logo-Tests",
        logo=SimpleUploadedFile("logo.svg", png_bytes()),
    )
    response = staff_client.post(f"/verwaltung/partners/partner/{partner.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    partner.refresh_from_db()
    assert partner.logo.name.endswith(".png")

    assert_named(client.get(f"/partner/{partner.slug}/logo/"), "png", "image/png")
    sent = x_accel()
    response = client.get(f"/partner/{partner.slug}/logo/")
    assert_named(response, "png", "image/png")
    sent(response, "png")
