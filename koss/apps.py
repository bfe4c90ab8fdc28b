from django.apps import AppConfig


class KossConfig(AppConfig):
    name = "koss"
    verbose_name = "KOSS-Portal"
