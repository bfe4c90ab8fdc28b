from django.conf import settings
from django.core.management.base import BaseCommand

from advisory_board.poll_emails import send_due_reply_reminders


class Command(BaseCommand):
    help = (
        "Reminds the members who have not replied to a meeting KOSS_REPLY_REMINDER_DAYS days "
        "before it, each once. Run it daily, e.g. from a systemd timer or cron; runs that overlap "
        "send nothing twice."
    )

    def handle(self, *args, **options):
        if settings.KOSS_REPLY_REMINDER_DAYS <= 0:
            self.stdout.write(
                "Automatische Erinnerungen sind ausgeschaltet (KOSS_REPLY_REMINDER_DAYS=0)."
            )
            return
        sent = send_due_reply_reminders()
        self.stdout.write(f"{sent} Erinnerungen an die Rückmeldung in die Warteschlange gestellt.")
