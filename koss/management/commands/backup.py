import io
import json
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

# Rebuilt by migrate on every installation, so not part of the backup.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
DATA_NAME = "data.json"
MEDIA_PREFIX = "media/"


class Command(BaseCommand):
    help = (
        "Writes a consistent backup of the database and the uploaded files into one .tar.gz file."
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
        media_root = Path(settings.MEDIA_ROOT)
        files = (
            sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        )
        with tarfile.open(target, "w:gz") as archive:
            info = tarfile.TarInfo(DATA_NAME)
            info.size, info.mtime = len(payload), int(time.time())
            archive.addfile(info, io.BytesIO(payload))
            for path in files:
                archive.add(path, arcname=MEDIA_PREFIX + path.relative_to(media_root).as_posix())
        objects = len(json.loads(payload))
        self.stdout.write(f"Sicherung {target}: {objects} Datensätze, {len(files)} Dateien.")
