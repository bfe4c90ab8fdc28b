"""Uploaded files in S3-compatible object storage, against moto's server on 127.0.0.1: what the
portal stores is looked up with boto3 straight in the bucket, never through the portal's storage.

The download, ZIP, upload, version and backup tests run on the local disk and in the bucket alike
(the `storage_backend` fixture); these cover what only object storage has."""

import io
import runpy
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse

from advisory_board.models import DownloadLog
from news.models import Attachment

from ..advisory_board.conftest import VISIBLE, VISITORS, login, world  # noqa: F401 - fixtures
from ..factories import make_article, make_partner
from .test_uploads import PDF, png_bytes, upload_board_document

# The bucket comes first, so that the files of `world` go into it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("s3_storage")]

SETTINGS = str(Path(django_settings.BASE_DIR) / "koss" / "settings.py")


def local_files():
    root = Path(django_settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_without_a_bucket_files_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("KOSS_S3_BUCKET", raising=False)
    storages = runpy.run_path(SETTINGS)["STORAGES"]
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_puts_files_into_private_object_storage(monkeypatch):
    for variable, value in {
        "KOSS_S3_BUCKET": "koss-dateien",
        "KOSS_S3_ENDPOINT_URL": "https://s3.example.org",
        "KOSS_S3_REGION": "eu-central-1",
        "KOSS_S3_ACCESS_KEY_ID": "schluessel",
        "KOSS_S3_SECRET_ACCESS_KEY": "geheim",
        "KOSS_S3_ADDRESSING_STYLE": "path",
    }.items():
        monkeypatch.setenv(variable, value)
    default = runpy.run_path(SETTINGS)["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "koss-dateien",
        "endpoint_url": "https://s3.example.org",
        "region_name": "eu-central-1",
        "access_key": "schluessel",
        "secret_key": "geheim",
        "addressing_style": "path",
        # No public object, no public URL, no upload replacing a file.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
        "file_overwrite": False,
        "max_memory_size": 2 * 1024 * 1024,
    }


def test_without_keys_boto3_finds_the_credentials_itself(monkeypatch):
    monkeypatch.setenv("KOSS_S3_BUCKET", "koss-dateien")
    for variable in ("KOSS_S3_ACCESS_KEY_ID", "KOSS_S3_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(variable, raising=False)
    options = runpy.run_path(SETTINGS)["STORAGES"]["default"]["OPTIONS"]
    assert "access_key" not in options and "secret_key" not in options


def test_an_upload_through_the_admin_lands_in_the_bucket(client, world, s3_storage):  # noqa: F811
    document = upload_board_document(client, world, "protokoll.pdf", PDF)
    objects = s3_storage.objects()
    assert objects[document.file.name] == PDF
    assert document.file.name.startswith("board/documents/")
    # Nothing of it on the local disk, and the object is not readable by everyone.
    assert not local_files()
    grants = s3_storage.client.get_object_acl(Bucket=s3_storage.name, Key=document.file.name)
    assert [grant["Permission"] for grant in grants["Grants"]] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants["Grants"])


def test_an_upload_never_replaces_a_stored_file(world, s3_storage):  # noqa: F811
    first, second = world["documents"]["public"], world["documents"]["members"]
    second.file = ContentFile(b"%PDF-1.4 anders", name=Path(first.file.name).name)
    second.save()
    assert second.file.name != first.file.name
    objects = s3_storage.objects()
    assert objects[first.file.name] == b"%PDF-1.4 \xc3\x96ffentliche Pr\xc3\xa4sentation"
    assert objects[second.file.name] == b"%PDF-1.4 anders"


def test_a_member_downloads_from_the_bucket_as_from_the_disk(login, world, s3_storage):  # noqa: F811
    document = world["documents"]["members"]
    assert document.file.name in s3_storage.objects()
    response = login("member").get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{document.download_name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    content = b"".join(response.streaming_content)
    assert content == b"%PDF-1.4 Protokoll f\xc3\xbcr Mitglieder"
    assert response["Content-Length"] == str(len(content))
    log = DownloadLog.objects.get()
    assert (log.document, log.user, log.version, log.via_zip) == (
        document,
        world["users"]["member"],
        1,
        False,
    )


@pytest.mark.parametrize("visitor", VISITORS)
def test_who_gets_a_members_document_from_the_bucket(login, world, s3_storage, visitor):  # noqa: F811
    response = login(visitor).get(world["documents"]["members"].get_absolute_url())
    if "members" in VISIBLE[visitor]:
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.4 Protokoll")
        assert DownloadLog.objects.count() == 1
    else:
        # A visitor is asked to log in, whoever is logged in gets the 404.
        assert response.status_code == (302 if visitor == "anonymous" else 404)
        assert not DownloadLog.objects.exists()


def test_the_members_area_still_sends_anonymous_visitors_to_the_login(client, world, s3_storage):  # noqa: F811
    response = client.get(reverse("advisory_board:members"))
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


def test_x_accel_redirect_applies_only_to_the_local_disk(login, world, s3_storage, settings):  # noqa: F811
    settings.KOSS_X_ACCEL_REDIRECT_PREFIX = "/geschuetzt/"
    response = login("member").get(world["documents"]["members"].get_absolute_url())
    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == b"%PDF-1.4 Protokoll f\xc3\xbcr Mitglieder"


def test_a_document_gone_from_the_bucket_is_404_and_not_logged(login, world, s3_storage):  # noqa: F811
    document = world["documents"]["members"]
    s3_storage.client.delete_object(Bucket=s3_storage.name, Key=document.file.name)
    assert login("member").get(document.get_absolute_url()).status_code == 404
    assert not DownloadLog.objects.exists()


def test_the_meeting_zip_is_built_into_the_bucket_and_sent_from_it(login, world, s3_storage):  # noqa: F811
    client = login("member")
    url = reverse("advisory_board:zip", args=[world["meeting"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="beirat-sitzung-05.zip"'
    assert response["X-Content-Type-Options"] == "nosniff"
    sent = b"".join(response.streaming_content)
    [stored] = [key for key in s3_storage.objects() if key.startswith("board/zips/")]
    assert s3_storage.objects()[stored] == sent
    assert not local_files()
    expected = {world["documents"][key].download_name for key in ("public", "members")}
    assert set(zipfile.ZipFile(io.BytesIO(sent)).namelist()) == expected

    # The next request sends the stored archive: its documents are not read again.
    for key in ("public", "members"):
        s3_storage.client.delete_object(
            Bucket=s3_storage.name, Key=world["documents"][key].file.name
        )
    assert b"".join(client.get(url).streaming_content) == sent
    assert DownloadLog.objects.filter(via_zip=True).count() == 4


def test_an_article_attachment_downloads_from_the_bucket(client, s3_storage):
    article = make_article()
    attachment = Attachment.objects.create(
        article=article, title="Studie", file=ContentFile(PDF, name="studie.pdf")
    )
    assert s3_storage.objects()[attachment.file.name] == PDF
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_an_image_is_shown_inline_from_the_bucket(client, s3_storage):
    logo = png_bytes()
    partner = make_partner(logo=ContentFile(logo, name="logo.png"), logo_alt="Logo")
    assert s3_storage.objects()[partner.logo.name] == logo
    response = client.get(f"/partner/{partner.slug}/logo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == logo


def test_only_the_directory_of_a_stored_zip_is_fetched(s3_storage, monkeypatch):
    from django.core.files.storage import default_storage

    from advisory_board.archives import stored_names
    from koss.core import storage

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("gross.pdf", b"%PDF-1.4 " + bytes(3 * 1024 * 1024))
        archive.writestr("klein.pdf", b"%PDF-1.4 klein")
    name = default_storage.save("board/zips/1-mitglieder-test.zip", ContentFile(buffer.getvalue()))
    ranges = []
    get = storage._get

    def counted(stored_object, **kwargs):
        ranges.append(kwargs.get("Range"))
        return get(stored_object, **kwargs)

    monkeypatch.setattr(storage, "_get", counted)
    assert stored_names(default_storage, name) == {"gross.pdf", "klein.pdf"}
    assert ranges and all(ranges)
    fetched = sum(
        int(last) - int(first) + 1
        for first, last in (r.removeprefix("bytes=").split("-") for r in ranges)
    )
    assert fetched < 256 * 1024


def test_a_restore_replaces_an_object_of_the_same_name(s3_storage):
    from django.core.files.storage import default_storage

    from koss.core.storage import save_exactly

    s3_storage.client.put_object(Bucket=s3_storage.name, Key="news/alt.pdf", Body=b"alt")
    assert save_exactly(default_storage, "news/alt.pdf", ContentFile(b"neu")) == "news/alt.pdf"
    assert s3_storage.objects() == {"news/alt.pdf": b"neu"}
