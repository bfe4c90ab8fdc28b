import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from koss.demo_files import demo_pdf
from koss.demo_news import ARTICLES
from koss.demo_partners import PARTNERS, TOPICS
from news.models import Article, Attachment
from partners.models import Partner, Region, Topic

DEMO_PASSWORD = "demo-koss-2014"
DEMO_ACCOUNTS = [
    # e-mail, role shown in the summary, is_staff
    ("redaktion@example.org", "Redaktion (Verwaltung unter /verwaltung/)", True),
    ("mitglied@example.org", "aktuelles Beiratsmitglied", False),
    ("ehemalig@example.org", "ehemaliges Beiratsmitglied", False),
]
EDITORIAL_GROUP = "Redaktion"
EDITORIAL_APPS = ["partners", "news", "advisory_board"]


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

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo content creates accounts with known passwords and is meant for development "
                "only. DEBUG is off; pass --force if this really is not the production site."
            )
        with transaction.atomic():
            self.load_partners()
            self.load_news()
            group = self.ensure_editorial_group()
            self.load_accounts(group)
        self.print_summary()

    def load_partners(self):
        topics = {
            slug: Topic.objects.update_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in TOPICS.items()
        }
        regions = {region.slug: region for region in Region.objects.all()}
        partners = {}
        for entry in PARTNERS:
            partner, _ = Partner.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "name": entry["name"],
                    "short_name": entry.get("short_name", ""),
                    "kind": entry["kind"],
                    "level": entry["level"],
                    "region": regions[entry["region"]],
                    "summary": entry["summary"],
                    "cooperation": entry["cooperation"],
                    "email": entry.get("email", ""),
                    "is_published": entry.get("is_published", True),
                },
            )
            partner.topics.set(topics[slug] for slug in entry["topics"])
            partners[partner.slug] = partner
        for entry in PARTNERS:
            parent = partners[entry["parent"]] if entry.get("parent") else None
            Partner.objects.filter(slug=entry["slug"]).update(parent=parent)
        self.stdout.write(f"{len(PARTNERS)} Partner und {len(TOPICS)} Themen geladen.")

    def load_news(self):
        partners = {partner.slug: partner for partner in Partner.objects.all()}
        for entry in ARTICLES:
            publish_at = entry.get("publish_at") or timezone.now() + datetime.timedelta(
                days=entry["publish_in_days"]
            )
            article, _ = Article.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "kind": entry["kind"],
                    "title": entry["title"],
                    "teaser": entry["teaser"],
                    "body": entry["body"],
                    "status": entry.get("status", Article.Status.PUBLISHED),
                    "publish_at": publish_at,
                    "contact_name": "Kompetenzzentrum Strategische Sozialplanung (KOSS)",
                },
            )
            article.related_partners.set(partners[slug] for slug in entry["partners"])
            for title, filename, heading in entry.get("attachments", []):
                if article.attachments.filter(title=title).exists():
                    continue
                pdf = demo_pdf(
                    f"DEMO – {heading}",
                    [
                        "Dieses PDF wurde für die Demo-Inhalte des KOSS-Portals erzeugt.",
                        "Es ist ein Platzhalter für das Originaldokument der LIGA.",
                    ],
                )
                Attachment.objects.create(
                    article=article, title=title, file=ContentFile(pdf, name=filename)
                )
        self.stdout.write(f"{len(ARTICLES)} Beiträge geladen.")

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

    def print_summary(self):
        self.stdout.write(self.style.SUCCESS(f"Demo-Zugänge (Passwort jeweils „{DEMO_PASSWORD}“):"))
        for email, role, _is_staff in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<24} {role}")
