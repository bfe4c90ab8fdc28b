from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisoryBoardConfig(AppConfig):
    name = "advisory_board"
    verbose_name = _("Beirat für Sozialplanung")

    def ready(self):
        from koss.core.cache import register_scheduled_change

        from . import search  # noqa: F401  (registers the search sources)
        from .models import Document, Meeting, WrittenVote

        # A scheduled document appears; a meeting begins and moves from upcoming to past; a
        # written vote closes to members.
        register_scheduled_change(Document.objects.next_release)
        register_scheduled_change(Meeting.objects.next_start)
        register_scheduled_change(WrittenVote.objects.next_deadline)
