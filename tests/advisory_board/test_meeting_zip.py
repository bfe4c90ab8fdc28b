"""The meeting ZIP is built once per set of document versions, kept in the storage and sent like
any other file: on the local disk and in object storage alike."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from advisory_board.models import DownloadLog

from ..factories import login_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("storage_backend")]


def zip_url(world):
    return reverse("advisory_board:zip", args=[world["meeting"].pk])


def archive_of(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def stored_zips():
    try:
        return sorted(default_storage.listdir("board/zips")[1])
    except FileNotFoundError:  # a directory on the local disk that was never made
        return []


def test_zip_is_an_uncached_attachment(login, world):
    response = login("member").get(zip_url(world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="beirat-sitzung-05.zip"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_zip_is_built_once_and_then_sent_from_the_storage(login, world):
    client = login("member")
    first = archive_of(client.get(zip_url(world)))
    assert len(stored_zips()) == 1
    # The second request reads no document: it sends the stored archive.
    for document in world["documents"].values():
        default_storage.delete(document.file.name)
    second = archive_of(client.get(zip_url(world)))
    assert second.namelist() == first.namelist()
    assert [second.read(name) for name in second.namelist()] == [
        first.read(name) for name in first.namelist()
    ]
    assert DownloadLog.objects.filter(via_zip=True).count() == 2 * len(first.namelist())


def test_each_audience_gets_its_own_archive(client, login, world):
    login("member").get(zip_url(world))
    client.logout()
    public = archive_of(client.get(zip_url(world)))
    assert public.namelist() == [world["documents"]["public"].download_name]
    login_staff(client, world["users"]["staff"])
    staff = archive_of(client.get(zip_url(world)))
    assert len(staff.namelist()) == 4
    assert len(stored_zips()) == 3


def test_a_new_version_replaces_the_archive(login, world):
    client = login("member")
    client.get(zip_url(world))
    old_zips = stored_zips()
    document = world["documents"]["members"]
    document.file = ContentFile(b"%PDF-1.4 Fassung 2", name="fassung-2.pdf")
    document.save()
    archive = archive_of(client.get(zip_url(world)))
    assert archive.read(document.download_name) == b"%PDF-1.4 Fassung 2"
    # The superseded archive does not pile up.
    assert len(stored_zips()) == 1
    assert stored_zips() != old_zips


@pytest.mark.local_disk
def test_a_build_clears_what_a_crashed_build_left(login, world):
    import os
    import time

    directory = default_storage.path("board/zips")
    os.makedirs(directory)
    abandoned = os.path.join(directory, ".abgebrochen.part")
    recent = os.path.join(directory, ".laufend.part")
    for path in (abandoned, recent):
        with open(path, "wb") as handle:
            handle.write(b"PK")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(abandoned, (two_hours_ago, two_hours_ago))
    login("member").get(zip_url(world))
    assert not os.path.exists(abandoned)
    # Another request may be writing this one right now.
    assert os.path.exists(recent)


def test_documents_are_stored_without_compression(login, world):
    archive = archive_of(login("member").get(zip_url(world)))
    assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}


@pytest.mark.local_disk
def test_zip_is_handed_to_nginx(login, world, settings):
    settings.KOSS_X_ACCEL_REDIRECT_PREFIX = "/geschuetzt/"
    response = login("member").get(zip_url(world))
    assert response.status_code == 200
    [name] = stored_zips()
    assert response["X-Accel-Redirect"] == "/geschuetzt/board/zips/" + name
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert DownloadLog.objects.filter(via_zip=True).count() == 2


def test_zip_holds_the_minutes_the_agenda_puts_up_for_approval(login, world, client):
    """As the meeting page and the meeting book: what the agenda names, for whoever may read it."""
    from advisory_board.models import AgendaItem

    from ..factories import make_document, make_meeting

    meeting = world["meeting"]
    earlier = make_meeting(world["board"], number=4, days_ahead=-90)
    approval = AgendaItem.objects.create(meeting=meeting, position=2, title="Genehmigung")
    minutes = make_document(earlier, "Protokoll der 4. Sitzung", approval_item=approval)
    note = make_document(earlier, "Vermerk", visibility="redaktion", approval_item=approval)
    make_document(earlier, "Präsentation der 4. Sitzung", kind="sonstiges")
    member = archive_of(login("member").get(zip_url(world)))
    assert minutes.download_name in member.namelist()
    assert note.download_name not in member.namelist()
    assert len(member.namelist()) == 3
    client.logout()
    # The public get the meeting's own public documents only.
    assert archive_of(client.get(zip_url(world))).namelist() == [
        world["documents"]["public"].download_name
    ]
    login_staff(client, world["users"]["staff"])
    staff = archive_of(client.get(zip_url(world)))
    assert {minutes.download_name, note.download_name} <= set(staff.namelist())
    assert len(staff.namelist()) == 4 + 2
