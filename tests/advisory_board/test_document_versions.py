"""Earlier versions of a document: staff only, each download logged with its version; with the
files on the local disk and in object storage."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from advisory_board.models import DownloadLog

from ..factories import login_staff
from .conftest import VISITORS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("storage_backend")]


@pytest.fixture
def replaced(world):
    """The members' document in its second version; the first is kept."""
    document = world["documents"]["members"]
    document.file = ContentFile(b"%PDF-1.4 Fassung 2", name="fassung-2.pdf")
    document.save()
    return document


def version_url(document, version):
    return reverse(
        "advisory_board:document_version", kwargs={"pk": document.pk, "version": version}
    )


@pytest.mark.parametrize("visitor", VISITORS)
def test_only_staff_get_an_earlier_version(client, world, replaced, visitor):
    if visitor == "staff":
        login_staff(client, world["users"]["staff"])
    elif visitor != "anonymous":
        client.force_login(world["users"][visitor])
    response = client.get(version_url(replaced, 1))
    if visitor == "staff":
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 Protokoll f\xc3\xbcr Mitglieder"
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        log = DownloadLog.objects.get()
        assert (log.document, log.version, log.user) == (replaced, 1, world["users"]["staff"])
    elif visitor == "anonymous":
        # Staff get there after the login and the second factor.
        assert response.status_code == 302
        assert response.url == f"/konto/login/?next={version_url(replaced, 1)}"
        assert not DownloadLog.objects.exists()
    else:
        assert response.status_code == 404
        assert not DownloadLog.objects.exists()


def test_unknown_version_is_404(client, world, replaced):
    login_staff(client, world["users"]["staff"])
    assert client.get(version_url(replaced, 2)).status_code == 404
    assert client.get(version_url(world["documents"]["public"], 1)).status_code == 404


def test_missing_file_of_a_version_is_404_and_not_logged(client, world, replaced):
    version = replaced.versions.get()
    version.file.storage.delete(version.file.name)
    login_staff(client, world["users"]["staff"])
    assert client.get(version_url(replaced, 1)).status_code == 404
    assert not DownloadLog.objects.exists()


def test_head_request_for_a_version_is_not_logged(client, world, replaced):
    login_staff(client, world["users"]["staff"])
    assert client.head(version_url(replaced, 1)).status_code == 200
    assert not DownloadLog.objects.exists()


def test_an_earlier_version_is_named_by_its_detected_type(client, world):
    document = world["documents"]["members"]
    document.file = ContentFile(b"%PDF-1.4 alt", name="alt.html")
    document.save()
    document.file = ContentFile(b"%PDF-1.4 neu", name="neu.pdf")
    document.save()
    login_staff(client, world["users"]["staff"])
    response = client.get(version_url(document, 2))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('fassung-2.pdf"')
