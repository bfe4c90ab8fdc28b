from django.apps import AppConfig


class KossConfig(AppConfig):
    name = "koss"
    verbose_name = "KOSS-Portal"

    def ready(self):
        from . import (
            accounts,  # noqa: F401  (connects the second-factor signal receivers)
            checks,  # noqa: F401  (registers the deployment checks of the content)
        )
