import re

from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from .core.richtext import RichTextField


class Page(models.Model):
    """A page of the site whose text the Redaktion maintains: about, contact, legal pages."""

    class Slug(models.TextChoices):
        ABOUT = "ueber-uns", _("Über uns")
        CONTACT = "kontakt", _("Kontakt")
        IMPRINT = "impressum", _("Impressum")
        PRIVACY = "datenschutz", _("Datenschutz")
        ACCESSIBILITY = "barrierefreiheit", _("Barrierefreiheit")

    URL_NAMES = {
        Slug.ABOUT: "about",
        Slug.CONTACT: "contact",
        Slug.IMPRINT: "imprint",
        Slug.PRIVACY: "privacy",
        Slug.ACCESSIBILITY: "accessibility",
    }

    slug = models.CharField(_("Seite"), max_length=30, choices=Slug, unique=True)
    title = models.CharField(_("Überschrift"), max_length=200)
    lead = models.TextField(
        _("Einleitung"), blank=True, help_text=_("Ein, zwei Sätze unter der Überschrift.")
    )
    body = RichTextField(_("Text"))
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Seite")
        verbose_name_plural = _("Seiten")
        ordering = ["slug"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(self.URL_NAMES[self.slug])

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
