from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Aktuelles")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from koss.core.cache import register_scheduled_change

        from . import photos, search  # noqa: F401  (registers the search sources)
        from .models import Article

        post_save.connect(photos.renditions_after_save, sender=Article)
        post_delete.connect(photos.renditions_after_delete, sender=Article)

        register_scheduled_change(Article.objects.next_publication)
        # An event that is over leaves the upcoming ones on the news list and the home page.
        register_scheduled_change(Article.objects.next_event_change)
