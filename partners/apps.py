from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partnernetzwerk")

    def ready(self):
        from . import search  # noqa: F401  (registers the search source)
