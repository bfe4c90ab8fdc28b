from django.core.management.base import BaseCommand

from koss.mail import enqueue_due


class Command(BaseCommand):
    help = (
        "Stellt die Zustellung aller fälligen E-Mails erneut in die Warteschlange, etwa nachdem "
        "ein Worker abgebrochen wurde. Mehrfach aufgerufen, stellt sie keine E-Mail doppelt zu."
    )

    def handle(self, *args, **options):
        count = enqueue_due()
        self.stdout.write(f"{count} E-Mail(s) zur Zustellung eingereiht.")
