from django.core.management.base import BaseCommand

from koss.tasks import recover_stale_tasks


class Command(BaseCommand):
    help = (
        "Gibt Aufgaben, die ein abgebrochener Worker als laufend hinterließ, nach Ablauf von "
        "KOSS_TASK_TIMEOUT_MINUTES an die Worker zurück und entfernt, was sie halb geschrieben "
        "hinterließen. Mehrfach aufgerufen, schadet sie nicht."
    )

    def handle(self, *args, **options):
        count = recover_stale_tasks()
        self.stdout.write(f"{count} abgebrochene Aufgabe(n) erneut eingereiht.")
