import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from .core.collation import GERMAN
from .core.querysets import PublishableQuerySet
from .core.richtext import RichTextField
from .core.richtext import sanitize as sanitize_rich_text
from .easy_read import check_easy_read


class Page(models.Model):
    """A page of the site whose text the Redaktion maintains: about, contact, legal pages."""

    class Slug(models.TextChoices):
        ABOUT = "ueber-uns", _("Über uns")
        CONTACT = "kontakt", _("Kontakt")
        IMPRINT = "impressum", _("Impressum")
        PRIVACY = "datenschutz", _("Datenschutz")
        ACCESSIBILITY = "barrierefreiheit", _("Barrierefreiheit")
        EASY_READ = "leichte-sprache", _("Leichte Sprache: Start")
        EASY_READ_KOSS = "leichte-sprache-koss", _("Leichte Sprache: Was ist KOSS?")
        EASY_READ_BOARD = "leichte-sprache-beirat", _("Leichte Sprache: Der Beirat")
        EASY_READ_SITE = "leichte-sprache-webseite", _("Leichte Sprache: Diese Internet·seite")
        EASY_READ_CONTACT = "leichte-sprache-kontakt", _("Leichte Sprache: Kontakt")

    URL_NAMES = {
        Slug.ABOUT: "about",
        Slug.CONTACT: "contact",
        Slug.IMPRINT: "imprint",
        Slug.PRIVACY: "privacy",
        Slug.ACCESSIBILITY: "accessibility",
        Slug.EASY_READ: "easy_read:index",
        Slug.EASY_READ_KOSS: "easy_read:koss",
        Slug.EASY_READ_BOARD: "easy_read:board",
        Slug.EASY_READ_SITE: "easy_read:site",
        Slug.EASY_READ_CONTACT: "easy_read:contact",
    }
    # The section in Leichte Sprache: its start page first, then its pages in reading order.
    EASY_READ_SLUGS = [
        Slug.EASY_READ,
        Slug.EASY_READ_KOSS,
        Slug.EASY_READ_BOARD,
        Slug.EASY_READ_SITE,
        Slug.EASY_READ_CONTACT,
    ]

    slug = models.CharField(_("Seite"), max_length=30, choices=Slug, unique=True)
    title = models.CharField(_("Überschrift"), max_length=200)
    lead = models.TextField(
        _("Einleitung"), blank=True, help_text=_("Ein, zwei Sätze unter der Überschrift.")
    )
    body = RichTextField(_("Text"))
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)
    # Pages in Leichte Sprache: readers of the target group check them (DIN SPEC 33429).
    checked_by = models.CharField(
        _("geprüft von"),
        max_length=200,
        blank=True,
        help_text=_(
            "Nur Leichte Sprache: Wer den Text aus der Ziel·gruppe geprüft hat, z. B. die "
            "Prüf·gruppe eines Büros für Leichte Sprache. Eine spätere Änderung des Textes hebt "
            "die Prüfung auf."
        ),
    )
    checked_on = models.DateField(
        _("geprüft am"),
        null=True,
        blank=True,
        help_text=_("Nur Leichte Sprache: Wann die Prüferinnen und Prüfer den Text gelesen haben."),
    )
    # The fingerprint of the text they read: a page counts as checked while its text is that one.
    checked_text = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("Seite")
        verbose_name_plural = _("Seiten")
        ordering = ["slug"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_rich_text(self.body or "")
        if not (self.checked_by and self.checked_on):
            self.checked_by, self.checked_on, self.checked_text = "", None, ""
        elif not self.checked_text:
            # A check recorded now is a check of the text as it is now.
            self.checked_text = self.fingerprint()
        elif self.checked_text != self.fingerprint():
            # The text changed after the check: the readers have not read this one.
            self.checked_by, self.checked_on, self.checked_text = "", None, ""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *CHECK_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(self.URL_NAMES[self.slug])

    def clean(self):
        super().clean()
        if self.checked_by and not self.checked_on:
            raise ValidationError({"checked_on": _("Bitte tragen Sie ein, wann geprüft wurde.")})
        if self.checked_on and not self.checked_by:
            raise ValidationError({"checked_by": _("Bitte tragen Sie ein, wer geprüft hat.")})

    def record_check(self, by, on):
        """Record that readers of the target group checked the text as it is now."""
        self.checked_by, self.checked_on, self.checked_text = by, on, ""

    def fingerprint(self):
        text = "\x00".join([self.title, self.lead, self.body])
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def is_easy_read(self):
        return self.slug in self.EASY_READ_SLUGS

    @property
    def is_checked(self):
        """Whether readers of the target group checked the text as it is."""
        return bool(self.checked_text) and self.checked_text == self.fingerprint()

    def easy_read_warnings(self):
        """What breaks the rules of Leichte Sprache a machine can check (koss.easy_read)."""
        return check_easy_read(self.title, self.lead, self.body)

    @property
    def text(self):
        """The lead and body as plain text, with whitespace made single."""
        return " ".join(strip_tags(f"{self.lead} {self.body}").split())

    @property
    def has_placeholders(self):
        """Whether the text still holds a sentence the first content left for the Redaktion."""
        text = self.text.casefold()
        return any(marker in text for marker in PLACEHOLDER_MARKERS)

    def missing_parts(self):
        """What a legal page must name and this one does not (yet): a list of German phrases."""
        text = self.text
        return [
            description
            for description, pattern in REQUIRED_PARTS.get(self.slug, [])
            if not re.search(pattern, text, re.IGNORECASE)
        ]


CHECK_FIELDS = ["checked_by", "checked_on", "checked_text"]


# Phrases of the first content (koss/migrations/0002_initial_pages.py) that stand for text the
# Redaktion still has to write, in lower case.
PLACEHOLDER_MARKERS = ("trägt die redaktion", "redaktion ergänzt", "platzhalter")

# A German address ends in a five-digit postal code before the town.
_ADDRESS = r"\b\d{5}\s+\w"
# What each legal page has to name (TMG/DDG § 5 and MStV § 18, DSGVO Art. 13, BITV 2.0 § 7),
# as a description and a pattern the text must match.
REQUIRED_PARTS = {
    Page.Slug.IMPRINT: [
        (_("eine Anschrift mit Postleitzahl und Ort"), _ADDRESS),
        (_("die inhaltlich verantwortliche Person („Verantwortlich …“)"), r"verantwortlich"),
    ],
    Page.Slug.PRIVACY: [
        (_("die verantwortliche Stelle („Verantwortlich …“)"), r"verantwortlich"),
        (_("die Anschrift der verantwortlichen Stelle"), _ADDRESS),
    ],
    Page.Slug.ACCESSIBILITY: [
        (
            _(
                "die Durchsetzungs- bzw. Schlichtungsstelle: die oder den Landesbeauftragten für "
                "Menschen mit Behinderungen in Thüringen"
            ),
            r"landesbeauftragte\w*\s+für\s+menschen\s+mit\s+behinderungen",
        ),
        (_("die Anschrift der Durchsetzungsstelle"), _ADDRESS),
    ],
}


class TermQuerySet(PublishableQuerySet):
    def published(self):
        return self.filter(is_published=True)


class Term(models.Model):
    """A word of the field explained in the glossary (/glossar/); its first use on a page links
    to the explanation (koss.glossary)."""

    name = models.CharField(
        _("Begriff"),
        max_length=100,
        unique=True,
        db_collation=GERMAN,
        help_text=_("Wie der Begriff im Wörterbuch steht, z. B. „Beirat“ oder „freie Träger“."),
    )
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=100,
        unique=True,
        help_text=_("Der Anker in der Adresse der Erklärung (/glossar/#kurzname)."),
    )
    forms = models.TextField(
        _("weitere Wortformen"),
        blank=True,
        help_text=_(
            "Eine Form je Zeile, deren Schreibung vom Begriff abweicht, z. B. „Beiräte“ oder "
            "„Kreisligen“. Endungen wie „Beirats“, „Planungsregionen“ oder „freien Trägern“ "
            "werden von selbst erkannt."
        ),
    )
    explanation = models.TextField(
        _("Erklärung"),
        help_text=_("In wenigen Sätzen, ohne Fachwörter. Leerzeilen trennen Absätze."),
    )
    is_published = models.BooleanField(
        _("veröffentlicht"),
        default=False,
        help_text=_("Nur veröffentlichte Begriffe stehen im Glossar und werden verlinkt."),
    )
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("Begriff des Glossars")
        verbose_name_plural = _("Glossar")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('glossary')}#{self.slug}"

    @property
    def written_forms(self):
        """The name and the forms staff listed, each once."""
        forms = [self.name, *(line.strip() for line in self.forms.splitlines())]
        return list(dict.fromkeys(form for form in forms if form))


class Mail(models.Model):
    """One message to one recipient, kept from the moment it is sent until it is delivered or
    given up: what the Redaktion sees under "E-Mails" in the admin (koss.mail)."""

    class Status(models.TextChoices):
        PENDING = "wartet", _("wartet auf Zustellung")
        SENT = "zugestellt", _("zugestellt")
        FAILED = "gescheitert", _("gescheitert")

    recipient = models.EmailField(_("Empfänger"))
    from_email = models.CharField(_("Absender"), max_length=300)
    subject = models.CharField(_("Betreff"), max_length=500)
    body = models.TextField(_("Text"))
    html_body = models.TextField(_("HTML-Fassung"), blank=True)
    headers = models.JSONField(_("Kopfzeilen"), default=dict, blank=True)
    # Each as {"filename", "mimetype", "content"} with the content in Base64, so that a retry
    # sends exactly what was handed over (koss.mail).
    attachments = models.JSONField(_("Anhänge"), default=list, blank=True)
    # Set when queued, by the mail's template (koss.mail.LOGIN_LINK_TEMPLATES): the text holds a
    # link or code that logs somebody in. The admin never shows it, and once delivered it is
    # removed from the stored text.
    carries_login_link = models.BooleanField(
        _("enthält Anmeldelink"),
        default=False,
        editable=False,
        help_text=_("Der Text wird nicht angezeigt und nach der Zustellung gelöscht."),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("Zustellversuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("erstellt"), auto_now_add=True, db_index=True)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), null=True, blank=True)
    sent_at = models.DateTimeField(_("zugestellt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("E-Mail")
        verbose_name_plural = _("E-Mails")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"


class TaskResult(DBTaskResult):
    """The background tasks of django-tasks-db, as the Redaktion reads them in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("Hintergrundaufgabe")
        verbose_name_plural = _("Hintergrundaufgaben")

    def __str__(self):
        return f"{self.task_name} ({self.get_status_display()})"
