from django.core.management.base import BaseCommand

from advisory_board.emails import close_due_votes, remind_due_votes
from advisory_board.models import WrittenVote
from koss.core.cache import start_new_generation


class Command(BaseCommand):
    help = (
        "Erinnert zwei Tage vor der Frist an offene Umlaufbeschlüsse, wertet die abgelaufenen aus "
        "und hält ihr Ergebnis als Beschluss der nächsten Sitzung fest. Mehrfach oder gleichzeitig "
        "aufgerufen, erinnert, zählt und versendet es nichts doppelt."
    )

    def handle(self, *args, **options):
        reminded = remind_due_votes()
        closed = close_due_votes()
        recorded = WrittenVote.record_pending_outcomes()
        if closed or recorded:
            start_new_generation()  # members' pages show the result
        self.stdout.write(
            f"{reminded} Erinnerung(en), {closed} Auswertung(en), "
            f"{recorded} Beschluss/Beschlüsse festgehalten."
        )
