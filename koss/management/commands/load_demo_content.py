import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from advisory_board.models import AgendaItem, Board, Document, Meeting, Membership, Person, Term
from koss import demo_board
from koss.cache import start_new_generation
from koss.demo_files import demo_pdf
from koss.demo_news import ARTICLES
from koss.demo_partners import PARTNERS, TOPICS
from news.models import Article, Attachment
from partners.models import Partner, Region, Topic

# Demo accounts only: the command refuses to run with DEBUG off.
DEMO_PASSWORD = "demo-koss-2014"  # nosec B105
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

    def handle(self, *args, force=False, verbosity=1, **options):
        self.verbosity = verbosity
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
            self.load_board()
        start_new_generation()
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
        self.report(f"{len(PARTNERS)} Partner und {len(TOPICS)} Themen geladen.")

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
        self.report(f"{len(ARTICLES)} Beiträge geladen.")

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

    def load_board(self):
        Board.objects.update_or_create(
            slug="beirat-machbarkeitsstudie-2011",
            defaults={
                "name": "Beirat zur Machbarkeitsstudie",
                "purpose": demo_board.FIRST_BOARD_PURPOSE,
                "constituted_on": datetime.date(2011, 9, 13),
                "constituted_at": "Thüringer Staatskanzlei",
                "is_current": False,
            },
        )
        board, _ = Board.objects.update_or_create(
            slug="beirat-fuer-sozialplanung-2014",
            defaults={
                "name": "Beirat für Sozialplanung",
                "purpose": demo_board.BOARD_PURPOSE,
                "constituted_on": demo_board.TERM_START,
                "constituted_at": "Thüringer Staatskanzlei in Erfurt",
                "is_current": True,
            },
        )
        Term.objects.update_or_create(
            board=board,
            name="Amtszeit 2014–2016",
            defaults={"starts_on": demo_board.TERM_START, "ends_on": demo_board.TERM_END},
        )
        users = {user.email: user for user in get_user_model().objects.all()}
        partners = {partner.slug: partner for partner in Partner.objects.all()}
        for first, last, role, organisation, partner, consent, ends_on, login in demo_board.PEOPLE:
            person, _ = Person.objects.update_or_create(
                first_name=first,
                last_name=last,
                defaults={
                    "email": login or "",
                    "user": users.get(login),
                    "is_demo": "(Demo)" in last,
                },
            )
            Membership.objects.update_or_create(
                person=person,
                board=board,
                defaults={
                    "role": role,
                    "organisation": organisation,
                    "partner": partners.get(partner),
                    "starts_on": demo_board.TERM_START,
                    "ends_on": ends_on,
                    "public_consent": consent,
                },
            )
        entries = demo_board.meetings()
        upcoming = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
        entries.append(
            {
                "number": len(entries) + 1,
                "starts_at": (upcoming + datetime.timedelta(days=45)).replace(tzinfo=None),
                "location": "LIGA-Geschäftsstelle, Erfurt (Demo)",
                "status": "geplant",
                "public_summary": "Fiktive kommende Sitzung für die Demo-Inhalte.",
            }
        )
        for entry in entries:
            starts_at = timezone.make_aware(entry.pop("starts_at"))
            meeting, _ = Meeting.objects.update_or_create(
                board=board, number=entry["number"], defaults={**entry, "starts_at": starts_at}
            )
            items = [
                AgendaItem.objects.update_or_create(
                    meeting=meeting,
                    position=position,
                    defaults={"title": title, "description": text},
                )[0]
                for position, (title, text) in enumerate(demo_board.AGENDA, start=1)
            ]
            self.load_meeting_documents(meeting, items)
        self.report(
            f"Beirat mit {len(demo_board.PEOPLE)} Personen und {len(entries)} Sitzungen geladen."
        )

    def load_meeting_documents(self, meeting, items):
        past = meeting.status == Meeting.Status.HELD
        released = min(meeting.starts_at - datetime.timedelta(days=14), timezone.now())
        documents = [
            ("einladung", f"Einladung zur {meeting.number}. Sitzung", "mitglieder", None, released),
            ("tagesordnung", "Tagesordnung", "mitglieder", items[0], released),
            (
                "praesentation",
                "Präsentation: Bericht aus dem Kompetenzzentrum",
                "oeffentlich",
                items[1],
                meeting.starts_at if past else None,
            ),
        ]
        if past:
            minutes_at = meeting.starts_at + datetime.timedelta(days=21)
            documents.append(
                (
                    "protokoll",
                    f"Protokoll der {meeting.number}. Sitzung",
                    "mitglieder",
                    None,
                    minutes_at,
                )
            )
        if meeting.number == 1:
            documents.append(
                ("beschluss", "Interner Vermerk der Redaktion", "redaktion", None, released)
            )
        for kind, title, visibility, item, published_at in documents:
            title = f"{title} (Demo)"
            if Document.objects.filter(meeting=meeting, kind=kind, title=title).exists():
                continue
            pdf = demo_pdf(
                f"DEMO – {title}",
                [
                    f"{meeting.board.name}, {meeting}",
                    "Fiktives Dokument für die Demo-Inhalte des KOSS-Portals.",
                ],
            )
            document = Document.objects.create(
                meeting=meeting,
                agenda_item=item,
                kind=kind,
                title=title,
                visibility=visibility,
                file=ContentFile(pdf, name=f"sitzung-{meeting.number:02d}-{kind}-demo.pdf"),
                published_at=published_at,
                notified_at=published_at,
            )
            if published_at:
                Document.objects.filter(pk=document.pk).update(changed_at=published_at)

    def report(self, message):
        if self.verbosity > 0:
            self.stdout.write(message)

    def print_summary(self):
        if self.verbosity == 0:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo-Zugänge (Passwort jeweils „{DEMO_PASSWORD}“):"))
        for email, role, _is_staff in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<24} {role}")
