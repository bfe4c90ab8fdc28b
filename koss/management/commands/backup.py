import io
import json
import tarfile
import time
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from koss.core.storage import all_stored_names, open_stream

# Rebuilt by migrate on every installation, so not part of the backup.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
DATA_NAME = "data.json"
MEDIA_PREFIX = "media/"


class Command(BaseCommand):
    help = (
        "Writes a consistent backup of the database and the uploaded files (from the local disk or "
        "the object store) into one .tar.gz file."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", help="Path of the .tar.gz file to write.")

    def handle(self, *args, target, **options):
        target = Path(target)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # One snapshot for every table: the backup is consistent even while the site runs.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            data = io.StringIO()
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                natural_primary=False,
                stdout=data,
                verbosity=0,
            )
        payload = data.getvalue().encode()
        with tarfile.open(target, "w:gz") as archive:
            info = tarfile.TarInfo(DATA_NAME)
            info.size, info.mtime = len(payload), int(time.time())
            archive.addfile(info, io.BytesIO(payload))
            files = add_stored_files(archive, default_storage)
        objects = len(json.loads(payload))
        self.stdout.write(f"Sicherung {target}: {objects} Datensätze, {files} Dateien.")


def add_stored_files(archive, storage):
    """Every file of the storage, on the local disk or in the bucket, under media/ with its name.

    Files are streamed one by one from the storage into the archive.
    """
    files = 0
    for name in all_stored_names(storage):
        try:
            stream, size = open_stream(storage, name)
        except FileNotFoundError:
            continue  # deleted since it was listed: a superseded meeting ZIP
        with stream:
            info = tarfile.TarInfo(MEDIA_PREFIX + name)
            info.size, info.mtime = size, int(storage.get_modified_time(name).timestamp())
            archive.addfile(info, stream)
        files += 1
    return files
