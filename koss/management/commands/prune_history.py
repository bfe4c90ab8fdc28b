from django.conf import settings
from django.core.management.base import BaseCommand

from koss.core.history import prune_history


class Command(BaseCommand):
    help = (
        "Deletes versions of content older than KOSS_HISTORY_DAYS from the admin's history. "
        "Run it daily, e.g. from a systemd timer or cron."
    )

    def handle(self, *args, **options):
        deleted = prune_history()
        self.stdout.write(
            f"{deleted} Fassungen älter als {settings.KOSS_HISTORY_DAYS} Tage gelöscht."
        )
