from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import advisory_board.demo
import koss.demo
import news.demo
import partners.demo
from koss.core.cache import start_new_generation

# Demo accounts only: the command refuses to run with DEBUG off.
DEMO_PASSWORD = "demo-koss-2014"  # nosec B105
DEMO_ACCOUNTS = [
    # e-mail, role shown in the summary, is_staff
    ("redaktion@example.org", "Redaktion (Verwaltung unter /verwaltung/)", True),
    ("mitglied@example.org", "aktuelles Beiratsmitglied", False),
    ("ehemalig@example.org", "ehemaliges Beiratsmitglied", False),
]
EDITORIAL_GROUP = "Redaktion"
# "koss": the pages' texts, and the mails and background tasks the portal sent or waits on.
EDITORIAL_APPS = ["koss", "partners", "news", "advisory_board"]


class Command(BaseCommand):
    help = (
        "Loads the demo content: the real partner network from the client's material, fictional "
        "examples marked as demo, and three demo accounts. Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Never use this on the production site.",
        )

    def handle(self, *args, force=False, verbosity=1, **options):
        self.verbosity = verbosity
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo content creates accounts with known passwords and is meant for development "
                "only. DEBUG is off; pass --force if this really is not the production site."
            )
        with transaction.atomic():
            self.report(partners.demo.load_demo_content())
            self.report(news.demo.load_demo_content())
            group = self.ensure_editorial_group()
            self.load_accounts(group)
            self.report(advisory_board.demo.load_demo_content())
            self.report(koss.demo.load_demo_content())
        start_new_generation()
        self.print_summary()

    def ensure_editorial_group(self):
        group, _ = Group.objects.get_or_create(name=EDITORIAL_GROUP)
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITORIAL_APPS))
        return group

    def load_accounts(self, editorial_group):
        User = get_user_model()
        for email, _role, is_staff in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=email, defaults={"email": email})
            user.email = email
            user.is_staff = is_staff
            user.set_password(DEMO_PASSWORD)
            user.save()
            if is_staff:
                user.groups.add(editorial_group)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )

    def report(self, message):
        if self.verbosity > 0:
            self.stdout.write(message)

    def print_summary(self):
        if self.verbosity == 0:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo-Zugänge (Passwort jeweils „{DEMO_PASSWORD}“):"))
        for email, role, _is_staff in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<24} {role}")
