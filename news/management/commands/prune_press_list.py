from django.core.management.base import BaseCommand

from news.press_list import prune_unconfirmed


class Command(BaseCommand):
    help = "Deletes sign-ups to the press list not confirmed within seven days. Run it daily."

    def handle(self, *args, **options):
        deleted = prune_unconfirmed()
        self.stdout.write(f"{deleted} unbestätigte Anmeldungen zur Presseliste gelöscht.")
