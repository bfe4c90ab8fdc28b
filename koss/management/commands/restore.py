import tarfile
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from koss.core.cache import start_new_generation
from koss.core.storage import save_exactly
from koss.management.commands.backup import DATA_NAME, MEDIA_PREFIX
from koss.models import Page
from news.models import Article
from partners.models import Partner, Region


class Command(BaseCommand):
    help = (
        "Restores a backup written by `manage.py backup` into an empty installation "
        "(run `manage.py migrate` first); the files go into the configured storage, the local "
        "disk or the object store."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Path of the .tar.gz file.")

    def handle(self, *args, source, **options):
        if Partner.objects.exists() or Article.objects.exists():
            raise CommandError(
                "Die Datenbank enthält schon Inhalte; eine Sicherung wird nur in eine leere Installation eingespielt."
            )
        with tarfile.open(source, "r:gz") as archive, tempfile.TemporaryDirectory() as workdir:
            # The "data" filter refuses absolute paths, "..", links and devices.
            archive.extractall(workdir, filter="data")
            data = Path(workdir) / DATA_NAME
            if not data.exists():
                raise CommandError(f"{source} ist keine Sicherung des KOSS-Portals.")
            with transaction.atomic():
                # What migrate put into the empty installation comes back from the backup, with
                # the primary keys the backup refers to.
                Region.objects.all().delete()
                Page.objects.all().delete()
                call_command("loaddata", str(data), verbosity=0)
            files = 0
            media = Path(workdir) / MEDIA_PREFIX
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    with path.open("rb") as handle:
                        save_exactly(
                            default_storage, path.relative_to(media).as_posix(), File(handle)
                        )
                    files += 1
        # An older backup may hold photos without their renditions (or of other widths).
        call_command("make_photo_renditions", stdout=self.stdout)
        start_new_generation()
        self.stdout.write(f"Sicherung {source} eingespielt: {files} Dateien.")
