from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class KossConfig(AppConfig):
    # The one for "koss" in INSTALLED_APPS; this module holds another one.
    default = True
    name = "koss"
    verbose_name = "KOSS-Portal"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import (
            accounts,  # noqa: F401  (connects the second-factor signal receivers)
            checks,  # noqa: F401  (registers the deployment checks of the content)
        )
        from .core.collation import register_german_collation

        connection_created.connect(register_german_collation, dispatch_uid="german-collation")


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db under a German name (its own is English and not translatable)."""

    default = False
    verbose_name = _("Hintergrundaufgaben")
