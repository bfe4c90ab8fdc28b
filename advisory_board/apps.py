from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisoryBoardConfig(AppConfig):
    name = "advisory_board"
    verbose_name = _("Beirat für Sozialplanung")
