"""The builds of the meeting books: each book's attempts, and the books given up."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .meetings import Meeting
from .people import Audience


class BookBuildQuerySet(models.QuerySet):
    def failed(self):
        """Meeting books given up after their last attempt: readers get the documents one by
        one, and the staff dashboard lists them."""
        return self.filter(failed_at__isnull=False).order_by("-failed_at")


class BookBuild(models.Model):
    """The attempts at building one meeting book (one name in the storage, i.e. one set of
    document versions for one audience). A book that is built keeps no record; a new version of
    a document is another book and starts afresh."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="book_builds", verbose_name=_("Sitzung")
    )
    name = models.CharField(_("Datei"), max_length=255, unique=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), null=True, blank=True)
    failed_at = models.DateTimeField(_("aufgegeben am"), null=True, blank=True)

    objects = BookBuildQuerySet.as_manager()

    class Meta:
        verbose_name = _("Erstellung einer Sitzungsmappe")
        verbose_name_plural = _("Erstellungen von Sitzungsmappen")

    def __str__(self):
        return self.name

    @property
    def audience_label(self):
        audience = self.name.rsplit("/", 1)[-1].split("-")[1] if "-" in self.name else ""
        return {Audience.MEMBERS: _("für Mitglieder"), Audience.STAFF: _("für die Redaktion")}.get(
            audience, ""
        )
