import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from koss.core.cache import start_new_generation
from koss.management.commands.backup import DATA_NAME, MEDIA_PREFIX
from koss.models import Page
from news.models import Article
from partners.models import Partner, Region


class Command(BaseCommand):
    help = (
        "Restores a backup written by `manage.py backup` into an empty installation "
        "(run `manage.py migrate` first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Path of the .tar.gz file.")

    def handle(self, *args, source, **options):
        if Partner.objects.exists() or Article.objects.exists():
            raise CommandError(
                "Die Datenbank enthält schon Inhalte; eine Sicherung wird nur in eine leere Installation eingespielt."
            )
        media_root = Path(settings.MEDIA_ROOT)
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
            for path in (Path(workdir) / MEDIA_PREFIX).rglob("*"):
                if path.is_file():
                    destination = media_root / path.relative_to(Path(workdir) / MEDIA_PREFIX)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    destination.write_bytes(path.read_bytes())
                    files += 1
        start_new_generation()
        self.stdout.write(f"Sicherung {source} eingespielt: {files} Dateien.")
