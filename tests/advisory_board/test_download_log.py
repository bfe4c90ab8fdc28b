"""The download log records files that were sent: nothing for a missing file or a HEAD request, on
the local disk and in object storage alike."""

import pytest
from django.urls import reverse

from advisory_board.models import DownloadLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("storage_backend")]


def delete_file(document):
    document.file.storage.delete(document.file.name)


def test_a_sent_document_is_logged_once(login, world):
    document = world["documents"]["members"]
    response = login("member").get(document.get_absolute_url())
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert DownloadLog.objects.filter(document=document, via_zip=False).count() == 1


def test_a_missing_file_is_404_and_not_logged(login, world):
    document = world["documents"]["members"]
    delete_file(document)
    assert login("member").get(document.get_absolute_url()).status_code == 404
    assert not DownloadLog.objects.exists()


def test_a_missing_file_handed_to_nginx_is_404_and_not_logged(login, world, settings):
    settings.KOSS_X_ACCEL_REDIRECT_PREFIX = "/geschuetzt/"
    document = world["documents"]["members"]
    delete_file(document)
    assert login("member").get(document.get_absolute_url()).status_code == 404
    assert not DownloadLog.objects.exists()


def test_head_request_for_a_document_is_not_logged(login, world):
    document = world["documents"]["members"]
    response = login("member").head(document.get_absolute_url())
    assert response.status_code == 200
    assert not DownloadLog.objects.exists()


def test_head_request_for_the_meeting_zip_is_not_logged(login, world):
    response = login("member").head(reverse("advisory_board:zip", args=[world["meeting"].pk]))
    assert response.status_code == 200
    assert not DownloadLog.objects.exists()


def test_zip_logs_only_the_documents_it_contains(login, world):
    missing = world["documents"]["public"]
    delete_file(missing)
    response = login("member").get(reverse("advisory_board:zip", args=[world["meeting"].pk]))
    assert response.status_code == 200
    logged = set(DownloadLog.objects.filter(via_zip=True).values_list("document", flat=True))
    assert logged == {world["documents"]["members"].pk}


def test_zip_of_only_missing_files_is_404_and_not_logged(login, world):
    delete_file(world["documents"]["public"])
    response = login("anonymous").get(reverse("advisory_board:zip", args=[world["meeting"].pk]))
    assert response.status_code == 404
    assert not DownloadLog.objects.exists()
