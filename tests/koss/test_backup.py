"""Backup and restore carry the database and every uploaded file: from and into the local disk or
the object store's bucket."""

import hashlib
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ..factories import restore_migration_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("storage_backend")]


def dump():
    out = io.StringIO()
    call_command(
        "dumpdata",
        exclude=["contenttypes", "auth.permission", "sessions"],
        natural_foreign=True,
        stdout=out,
    )
    # The JSON keeps times to the millisecond: a time less than a millisecond after a full second
    # is written "…:21.000Z" before a round trip and "…:21Z" after it. Same time, same text.
    return re.sub(r"(T\d\d:\d\d:\d\d)\.000Z", r"\1Z", out.getvalue())


def files():
    root = Path(settings.MEDIA_ROOT)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def remove_files():
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()


@pytest.fixture
def stored(storage_backend, request):
    """The uploaded files as read past the portal's storage (from the disk, or with boto3 from
    the bucket), and a way to lose them all."""
    if storage_backend == "local":
        return SimpleNamespace(files=files, lose=remove_files)
    bucket = request.getfixturevalue("s3_storage")
    return SimpleNamespace(
        files=lambda: {
            key: hashlib.sha256(content).hexdigest() for key, content in bucket.objects().items()
        },
        lose=bucket.empty,
    )


def test_backup_and_restore_round_trip(settings, tmp_path, stored):
    restore_migration_data()
    settings.DEBUG = True
    call_command("load_demo_content", verbosity=0)
    settings.DEBUG = False
    data_before, files_before = dump(), stored.files()
    assert len(files_before) > 30

    target = tmp_path / "sicherung.tar.gz"
    call_command("backup", str(target), verbosity=0)

    # An empty installation: a migrated database and no uploaded files.
    call_command("flush", interactive=False, verbosity=0)
    restore_migration_data()
    stored.lose()
    assert not stored.files()

    call_command("restore", str(target), verbosity=0)
    assert dump() == data_before
    assert stored.files() == files_before

    # A second restore into the now filled installation is refused.
    with pytest.raises(CommandError, match="leere Installation"):
        call_command("restore", str(target), verbosity=0)
