from django.apps import AppConfig


class KossConfig(AppConfig):
    name = "koss"
    verbose_name = "KOSS-Portal"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import accounts  # noqa: F401  (connects the second-factor signal receivers)
        from .core.collation import register_german_collation

        connection_created.connect(register_german_collation, dispatch_uid="german-collation")
