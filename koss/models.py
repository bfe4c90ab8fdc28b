from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
