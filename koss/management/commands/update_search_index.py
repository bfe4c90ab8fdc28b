from django.core.management.base import BaseCommand

from koss.core.cache import start_new_generation
from koss.core.search import SOURCES, rebuild_words, update_search_vectors


class Command(BaseCommand):
    help = (
        "Speichert die Suchwörter aller durchsuchbaren Objekte und die Wörter der "
        "Schreibvorschläge neu, etwa nach einem Massenimport am Modell vorbei."
    )

    def handle(self, *args, **options):
        for source in SOURCES:
            update_search_vectors(source.model)
            self.stdout.write(f"{source.model._meta.verbose_name_plural}: aktualisiert")
        rebuild_words()
        self.stdout.write("Wörter der Schreibvorschläge: aktualisiert")
        start_new_generation()  # stored search pages show the new words at once
