from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koss.core.choices import choice_display
from koss.core.files import UploadTo
from koss.core.images import RENDITION_WIDTHS, cleaned_image
from koss.core.links import public_url
from koss.core.models import Searchable, UploadedFile
from koss.core.querysets import PublishableQuerySet
from koss.core.richtext import RichTextField
from koss.core.validators import (
    validate_document_upload,
    validate_photo_upload,
)
from partners.models import Partner


class ArticleQuerySet(PublishableQuerySet):
    def published(self):
        """The one definition of what the public may see: released and due."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def next_publication(self):
        """When the next released article becomes due, or None."""
        return (
            self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )

    def events(self):
        """Event notices with a date: those that can go into a calendar."""
        return self.filter(kind=Article.Kind.EVENT, starts_at__isnull=False)

    def upcoming_events(self):
        """Events that have not ended yet, the next first."""
        return self.filter(_upcoming_event()).order_by("starts_at", "pk")

    def without_upcoming_events(self):
        return self.exclude(_upcoming_event())

    def next_event_change(self):
        """When the next published event ends (or, without an end, begins): from then on it no
        longer counts as upcoming."""
        return (
            self.published()
            .events()
            .annotate(over=Coalesce("ends_at", "starts_at"))
            .filter(over__gt=timezone.now())
            .order_by("over")
            .values_list("over", flat=True)
            .first()
        )

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def scheduled(self):
        """Released, but not due yet (the rest of what published() leaves out)."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def about(self, subject):
        """The published articles that name a partner or a board meeting, the latest first."""
        relation = {
            "partners.partner": "related_partners",
            "advisory_board.meeting": "related_meetings",
        }
        return (
            self.published()
            .filter(**{relation[subject._meta.label_lower]: subject})
            .only("title", "slug", "kind", "publish_at")
        )


def _upcoming_event():
    now = timezone.now()
    return Q(kind=Article.Kind.EVENT) & (
        Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)
    )


class Article(Searchable):
    class Kind(models.TextChoices):
        PRESS_RELEASE = "pressemitteilung", _("Pressemitteilung")
        NEWS = "meldung", _("Meldung")
        EVENT = "veranstaltung", _("Veranstaltungshinweis")

    class Status(models.TextChoices):
        DRAFT = "entwurf", _("Entwurf")
        PUBLISHED = "freigegeben", _("Freigegeben")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind, default=Kind.NEWS)
    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=200,
        unique=True,
        help_text=_(
            "Bestimmt die Adresse des Beitrags (/aktuelles/kurzname/). Nach dem Veröffentlichen nicht mehr ändern."
        ),
    )
    teaser = models.TextField(
        _("Anreißer"),
        max_length=500,
        help_text=_("Zwei, drei Sätze für Übersichten, Feeds und Suchmaschinen."),
    )
    body = RichTextField(_("Text"))
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text=_(
            "Ein freigegebener Beitrag erscheint zum Veröffentlichungszeitpunkt von selbst auf der Website."
        ),
    )
    publish_at = models.DateTimeField(
        _("Veröffentlichen am"),
        default=timezone.now,
        help_text=_("Liegt der Zeitpunkt in der Zukunft, ist der Beitrag bis dahin geplant."),
    )
    image = models.FileField(
        _("Bild"),
        upload_to=UploadTo("news/images/%Y/", "image"),
        blank=True,
        validators=[validate_photo_upload],
        help_text=_(
            "PNG, JPEG oder WebP, höchstens 20 MB und 40 Megapixel, etwa ein Foto direkt aus der "
            "Kamera. Es wird aufrecht gedreht und ohne Metadaten (auch ohne GPS-Standort) "
            "gespeichert; die Website zeigt verkleinerte Fassungen."
        ),
    )
    image_alt = models.CharField(
        _("Alternativtext des Bildes"),
        max_length=300,
        blank=True,
        help_text=_("Was das Bild zeigt, für Menschen, die es nicht sehen."),
    )
    image_credit = models.CharField(
        _("Bildnachweis"),
        max_length=200,
        blank=True,
        help_text=_("Wer das Foto gemacht hat, z. B. „Foto: Anna Muster“; steht unter dem Bild."),
    )
    image_license = models.CharField(
        _("Lizenz"),
        max_length=200,
        blank=True,
        help_text=_(
            "Unter welchen Bedingungen andere das Bild nutzen dürfen, z. B. „Creative Commons "
            "Namensnennung 4.0“ oder „Abdruck honorarfrei nur mit Bildnachweis“; steht unter dem "
            "Bild."
        ),
    )
    image_width = models.PositiveIntegerField(_("Bildbreite"), null=True, editable=False)
    image_height = models.PositiveIntegerField(_("Bildhöhe"), null=True, editable=False)
    # What news.photos.make_renditions wrote for the image (koss.core.images.write_renditions);
    # empty until then, or when it was made for an image the article no longer has.
    image_renditions = models.JSONField(
        _("Verkleinerte Fassungen des Bildes"), default=dict, editable=False
    )
    starts_at = models.DateTimeField(
        _("Beginn der Veranstaltung"),
        null=True,
        blank=True,
        help_text=_("Nur für Veranstaltungshinweise, dort Pflicht: Datum und Uhrzeit des Beginns."),
    )
    ends_at = models.DateTimeField(
        _("Ende der Veranstaltung"),
        null=True,
        blank=True,
        help_text=_(
            "Freiwillig; liegt nach dem Beginn. Bis dahin gilt die Veranstaltung als bevorstehend."
        ),
    )
    location = models.CharField(
        _("Ort der Veranstaltung"),
        max_length=300,
        blank=True,
        help_text=_(
            "Nur für Veranstaltungshinweise, dort Pflicht: Haus, Straße und Ort, oder „online“ mit "
            "dem Hinweis, wie man teilnimmt."
        ),
    )
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=50, blank=True)
    related_partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="articles",
        verbose_name=_("Erwähnte Partner"),
        help_text=_("Der Beitrag erscheint auch auf den Seiten dieser Partner."),
    )
    related_meetings = models.ManyToManyField(
        "advisory_board.Meeting",
        blank=True,
        related_name="articles",
        verbose_name=_("Erwähnte Beiratssitzungen"),
        help_text=_("Der Beitrag erscheint auch auf den Seiten dieser Sitzungen."),
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        ordering = ["-publish_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-publish_at"]),
            models.Index(fields=["status", "kind", "-publish_at"]),
            # Upcoming events (_upcoming_event) in two index scans instead of reading every
            # article: those with an end, and those without one by their start.
            models.Index(
                fields=["ends_at"],
                condition=Q(kind="veranstaltung"),
                name="news_article_event_end_idx",
            ),
            models.Index(
                fields=["starts_at"],
                condition=Q(kind="veranstaltung", ends_at__isnull=True),
                name="news_article_event_start_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="news_article_event_ends_after_it_starts",
                violation_error_message=_(
                    "Das Ende der Veranstaltung muss nach dem Beginn liegen."
                ),
            )
        ]

    get_kind_display = choice_display(Kind, "kind")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.image and not self.image_alt:
            errors["image_alt"] = _(
                "Bitte beschreiben Sie das Bild für Menschen, die es nicht sehen."
            )
        if self.kind == self.Kind.EVENT:
            if not self.starts_at:
                errors["starts_at"] = _("Bitte geben Sie an, wann die Veranstaltung beginnt.")
            if not self.location.strip():
                errors["location"] = _("Bitte geben Sie an, wo die Veranstaltung stattfindet.")
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Das Ende der Veranstaltung muss nach dem Beginn liegen.")
        elif self.ends_at and not self.starts_at and "starts_at" not in errors:
            errors["starts_at"] = _("Bitte geben Sie zum Ende auch den Beginn an.")
        if errors:
            raise ValidationError(errors)

    def structured_data(self):
        """schema.org data for the article's page (JSON-LD): an Event with start, end and
        place for an event notice with a date, else a NewsArticle."""
        url = public_url(self.get_absolute_url())
        publisher = {
            "@type": "Organization",
            "name": "KOSS – Kompetenzzentrum Strategische Sozialplanung",
            "url": public_url("/"),
        }
        if self.is_event:
            data = {
                "@type": "Event",
                "name": self.title,
                "description": self.teaser,
                "url": url,
                "startDate": timezone.localtime(self.starts_at).isoformat(),
                "location": {"@type": "Place", "name": self.location, "address": self.location},
                "organizer": publisher,
                "inLanguage": "de",
            }
            if self.ends_at:
                data["endDate"] = timezone.localtime(self.ends_at).isoformat()
        else:
            data = {
                "@type": "NewsArticle",
                "headline": self.title,
                "description": self.teaser,
                "url": url,
                "mainEntityOfPage": url,
                "datePublished": timezone.localtime(self.publish_at).isoformat(),
                "dateModified": timezone.localtime(
                    max(self.updated_at, self.publish_at)
                ).isoformat(),
                "author": publisher,
                "publisher": publisher,
                "articleSection": self.get_kind_display(),
                "inLanguage": "de",
            }
        renditions = self.current_renditions
        if renditions:
            # The widest rendition, as the page offers it: never the original, which can weigh
            # 20 MB; none while there is no rendition.
            data["image"] = public_url(
                self.rendition_url(renditions["widths"][-1], renditions["fallback"])
            )
        return data

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            # A new upload: upright, without EXIF and GPS, before anything stores or serves it.
            content, self.image_width, self.image_height = cleaned_image(self.image)
            self.image = ContentFile(content.read(), name=self.image.name)
        elif not self.image:
            self.image_width = self.image_height = None
        super().save(*args, **kwargs)

    @property
    def current_renditions(self):
        """The renditions of the image as it is now, or None while they are being made."""
        if self.image and self.image_renditions.get("name") == self.image.name:
            return self.image_renditions
        return None

    @property
    def picture(self):
        """What the page's <picture> needs: the srcsets of the renditions (WebP and the fallback),
        the fallback's src, and the image's width and height, which keep the layout from shifting.

        Until the background task has made them all, the first rendition alone; None while there
        is none (an image stored past the portal, until `make_photo_renditions`): the page never
        sends the original, which can weigh 20 MB."""
        renditions = self.current_renditions
        if renditions is None:
            return None

        def srcset(extension):
            return ", ".join(
                f"{self.rendition_url(width, extension)} {width}w" for width in renditions["widths"]
            )

        fallback = renditions["fallback"]
        middle = [width for width in renditions["widths"] if width <= RENDITION_WIDTHS[1]]
        return {
            "webp_srcset": srcset("webp"),
            "srcset": srcset(fallback),
            "src": self.rendition_url((middle or renditions["widths"])[-1], fallback),
            "width": renditions["width"],
            "height": renditions["height"],
        }

    def rendition_url(self, width, extension):
        """The address of a rendition of the image as it is now, with its version."""
        return (
            reverse("news:rendition", args=[self.slug, width, extension])
            + f"?v={self.image_version}"
        )

    @property
    def image_version(self):
        """Names this state of the article in its image addresses: it changes with every save, so
        an address once sent always means the same bytes and browsers may keep them."""
        return str(int(self.updated_at.timestamp())) if self.updated_at else ""

    @property
    def offers_original_image(self):
        """Press releases offer journalists the photo in full size to download."""
        return bool(self.image) and self.kind == self.Kind.PRESS_RELEASE

    @property
    def is_event(self):
        """An event notice with a date, which the calendar file and the pages show."""
        return self.kind == self.Kind.EVENT and self.starts_at is not None

    @property
    def ends_on_its_first_day(self):
        return self.ends_at is not None and (
            timezone.localdate(self.ends_at) == timezone.localdate(self.starts_at)
        )

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def state_label(self):
        if self.status == self.Status.DRAFT:
            return _("Entwurf")
        if self.publish_at > timezone.now():
            return _("Geplant")
        return _("Veröffentlicht")


class Attachment(UploadedFile, Searchable):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("Beitrag")
    )
    title = models.CharField(
        _("Bezeichnung"), max_length=200, help_text=_("Z. B. „Pressemitteilung als PDF“.")
    )
    file = models.FileField(
        _("Datei"),
        upload_to=UploadTo("news/attachments/%Y/", "file"),
        validators=[validate_document_upload],
        help_text=_("PDF, Office-Dokument oder Bild, höchstens 20 MB."),
    )

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.read_file()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:attachment", kwargs={"slug": self.article.slug, "pk": self.pk})


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)

    def receiving(self, kind):
        """The confirmed subscribers who chose the kind of article."""
        return self.confirmed().filter(**{Subscription.KIND_FIELDS[kind]: True})

    def unconfirmed_since(self, moment):
        return self.filter(confirmed_at__isnull=True, signed_up_at__lt=moment)


class Subscription(models.Model):
    """A sign-up to the press list, with double opt-in: subscribed only once the link of the
    confirmation mail was followed. Both steps are kept as proof (time, client address, the
    wording agreed to)."""

    KIND_FIELDS = {
        Article.Kind.PRESS_RELEASE: "press_releases",
        Article.Kind.EVENT: "events",
        Article.Kind.NEWS: "news",
    }

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    press_releases = models.BooleanField(_("Pressemitteilungen"), default=True)
    events = models.BooleanField(_("Veranstaltungshinweise"), default=False)
    news = models.BooleanField(_("Meldungen"), default=False)
    # Random and stored, never derived from the address: the confirmation and unsubscribe links.
    token = models.CharField(max_length=64, unique=True, editable=False)
    consent_text = models.TextField(
        _("Zugestimmter Wortlaut"), help_text=_("Der Text, dem bei der Anmeldung zugestimmt wurde.")
    )
    signed_up_at = models.DateTimeField(_("angemeldet am"))
    signed_up_from = models.GenericIPAddressField(_("angemeldet von (IP-Adresse)"), null=True)
    confirmation_sent_at = models.DateTimeField(_("Bestätigungsmail gesendet am"), null=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    confirmed_from = models.GenericIPAddressField(
        _("bestätigt von (IP-Adresse)"), null=True, blank=True
    )
    unsubscribed_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Abonnement der Presseliste")
        verbose_name_plural = _("Abonnements der Presseliste")
        ordering = ["-signed_up_at"]

    def __str__(self):
        return self.email

    @property
    def state_label(self):
        if self.unsubscribed_at:
            return _("abgemeldet")
        if self.confirmed_at:
            return _("bestätigt")
        return _("wartet auf Bestätigung")

    @property
    def kinds_label(self):
        return ", ".join(
            str(Subscription._meta.get_field(field).verbose_name)
            for field in self.KIND_FIELDS.values()
            if getattr(self, field)
        )


class PressListSend(models.Model):
    """That an article went to its subscribers: at most once (the unique article), whichever
    worker gets there first."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        related_name="press_list_send",
        verbose_name=_("Beitrag"),
    )
    sent_at = models.DateTimeField(_("versendet am"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("Empfängerinnen und Empfänger"), default=0)

    class Meta:
        verbose_name = _("Versand an die Presseliste")
        verbose_name_plural = _("Versand an die Presseliste")
        ordering = ["-sent_at"]

    def __str__(self):
        return str(self.article)
