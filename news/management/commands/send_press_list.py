from django.core.management.base import BaseCommand

from news.press_list import send_due_articles


class Command(BaseCommand):
    help = (
        "Sends every article that became public in the last two days and has not been sent to "
        "the confirmed subscribers of its kind (once, however often it runs). Run it every few "
        "minutes: it sends scheduled articles when their time arrives."
    )

    def handle(self, *args, **options):
        sent = send_due_articles()
        self.stdout.write(f"{sent} Beiträge an die Presseliste versendet.")
