import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from news.models import Article, Attachment

pytestmark = pytest.mark.django_db

ADD_URL = "/verwaltung/news/article/add/"


def article_form(**overrides):
    data = {
        "kind": "pressemitteilung",
        "title": "Neue Pressemitteilung",
        "slug": "neue-pressemitteilung",
        "teaser": "Kurz gesagt.",
        "body": "<p>Text</p>",
        "status": "freigegeben",
        "publish_at_0": "22.11.2026",
        "publish_at_1": "10:00:00",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "attachments-0-title": "",
    }
    data.update(overrides)
    return data


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "pressemitteilung.pdf",
            b"<html><script>alert(1)</script></html>",
            "Dieser Dateityp ist nicht erlaubt",
        ),
        (
            "bild.pdf",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Dieser Dateityp ist nicht erlaubt",
        ),
        ("leer.pdf", b"", "leer"),
        ("../../etc/passwd", b"root:x:0:0", "Dieser Dateityp ist nicht erlaubt"),
    ],
)
def test_bad_attachment_is_rejected_in_german_and_nothing_is_saved(
    staff_client, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    data = article_form(
        **{"attachments-0-title": "Anhang", "attachments-0-file": SimpleUploadedFile(name, content)}
    )
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()
    assert not Attachment.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_oversized_attachment_is_rejected(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KOSS_MAX_DOCUMENT_SIZE = 1000
    data = article_form(
        **{
            "attachments-0-title": "Groß",
            "attachments-0-file": SimpleUploadedFile("g.pdf", b"%PDF-1.4" + b"0" * 2000),
        }
    )
    response = staff_client.post(ADD_URL, data)
    assert "höchstens" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("studie.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"),
        (
            "bericht.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_good_attachment_is_stored_with_its_detected_type(
    staff_client, settings, tmp_path, name, content, content_type
):
    settings.MEDIA_ROOT = tmp_path
    data = article_form(
        **{"attachments-0-title": "Anhang", "attachments-0-file": SimpleUploadedFile(name, content)}
    )
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    attachment = Attachment.objects.get()
    assert attachment.content_type == content_type
    assert attachment.size == len(content)


def test_script_in_body_is_stripped_when_staff_save(staff_client):
    data = article_form(
        body='<p>Hallo</p><script>alert(1)</script><p><a href="javascript:alert(1)">x</a></p>'
    )
    assert staff_client.post(ADD_URL, data).status_code == 302
    body = Article.objects.get().body
    assert "<script" not in body and "javascript:" not in body and "Hallo" in body
