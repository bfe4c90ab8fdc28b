"""Every file link in the admin leads to a view that checks permission: media is never served
directly, so a link to a media address would answer 404, and no link leads into the object store's
bucket (with files on the local disk and in the bucket alike)."""

import io
import re
from html import unescape

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from advisory_board.models import DownloadLog
from news.models import Attachment

from .advisory_board.conftest import world  # noqa: F401 - fixture
from .factories import login_staff, make_article, make_partner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("storage_backend")]


def png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=name)


def links_to_files(client, url, files):
    """The addresses the change page links the given files with (by their shown names)."""
    content = client.get(url).content.decode()
    hrefs = {}
    for href, text in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', content):
        hrefs.setdefault(unescape(text).strip(), unescape(href))
    for file in files:
        assert not any(file.name in href for href in hrefs.values()), file.name
    return [hrefs[file.name] for file in files]


def assert_sent(client, href):
    response = client.get(href)
    assert response.status_code == 200, href
    b"".join(response.streaming_content)


def test_document_and_its_earlier_versions_are_linked_to_checked_downloads(client, world):  # noqa: F811
    document = world["documents"]["staff"]
    first = document.file.name
    for number in (2, 3):
        document.file = ContentFile(b"%PDF-1.4 Fassung", name=f"fassung-{number}.pdf")
        document.save()
    versions = list(document.versions.order_by("version"))
    assert versions[0].file.name == first
    login_staff(client, world["users"]["staff"])
    hrefs = links_to_files(
        client,
        f"/verwaltung/advisory_board/document/{document.pk}/change/",
        [document.file] + [version.file for version in versions],
    )
    for href in hrefs:
        assert_sent(client, href)
    logged = sorted(DownloadLog.objects.values_list("document", "version"))
    assert logged == [(document.pk, 1), (document.pk, 2), (document.pk, 3)]


def test_documents_on_the_meeting_page_are_linked_to_checked_downloads(client, world):  # noqa: F811
    meeting = world["meeting"]
    documents = list(meeting.documents.all())
    login_staff(client, world["users"]["staff"])
    hrefs = links_to_files(
        client,
        f"/verwaltung/advisory_board/meeting/{meeting.pk}/change/",
        [document.file for document in documents],
    )
    for href in hrefs:
        assert_sent(client, href)
    assert DownloadLog.objects.count() == len(documents)


def test_article_image_and_attachments_are_linked_to_checked_views(client, world):  # noqa: F811
    article = make_article(status="entwurf", image=png("bild.png"), image_alt="Ein rotes Quadrat")
    attachment = Attachment.objects.create(
        article=article,
        title="Pressemitteilung",
        file=ContentFile(b"%PDF-1.4 Presse", name="presse.pdf"),
    )
    login_staff(client, world["users"]["staff"])
    hrefs = links_to_files(
        client, f"/verwaltung/news/article/{article.pk}/change/", [article.image, attachment.file]
    )
    for href in hrefs:
        assert_sent(client, href)


def test_partner_logo_is_linked_to_the_checked_view(client, world):  # noqa: F811
    partner = make_partner(is_published=False, logo=png("logo.png"), logo_alt="Logo")
    login_staff(client, world["users"]["staff"])
    [href] = links_to_files(
        client, f"/verwaltung/partners/partner/{partner.pk}/change/", [partner.logo]
    )
    assert_sent(client, href)
