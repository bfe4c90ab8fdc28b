import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from advisory_board.models import DownloadLog


class Command(BaseCommand):
    help = (
        "Deletes download records older than KOSS_DOWNLOAD_LOG_RETENTION_DAYS (GDPR). "
        "Run it daily, e.g. from a systemd timer or cron."
    )

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(days=settings.KOSS_DOWNLOAD_LOG_RETENTION_DAYS)
        deleted, _ = DownloadLog.objects.filter(downloaded_at__lt=cutoff).delete()
        self.stdout.write(f"{deleted} Download-Einträge vor dem {cutoff:%d.%m.%Y} gelöscht.")
