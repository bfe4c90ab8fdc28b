"""Encrypt every stored secret anew with the first key of KOSS_ENCRYPTION_KEYS, so that the
older keys can then be removed."""

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from koss.core import secrets


class Command(BaseCommand):
    help = "Verschlüsselt alle gespeicherten Geheimnisse mit dem ersten Schlüssel neu."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().exclude(
                type=Authenticator.Type.WEBAUTHN
            ):
                authenticator.data = secrets.transform_secrets(
                    authenticator.type, authenticator.data, secrets.rotate
                )
                authenticator.save(update_fields=["data"])
                count += 1
        self.stdout.write(f"{count} Zweitfaktoren neu verschlüsselt.")
