from django.apps import AppConfig
from django.db.models.signals import post_save


class KossConfig(AppConfig):
    name = "koss"
    verbose_name = "KOSS-Portal"

    def ready(self):
        from . import accounts  # noqa: F401  (connects the second-factor signal receivers)
        from .search import SOURCES, update_saved_object

        for source in SOURCES:
            post_save.connect(
                update_saved_object,
                sender=source.model,
                dispatch_uid=f"search:{source.model._meta.label}",
            )
