from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import extract_text
from .validators import DOCUMENT_LABELS, document_content_type


class UploadedFile(models.Model):
    """What the site reads from an uploaded file's content: its type, size and searchable text.

    A subclass has a `file` field and calls `read_file()` when a new file arrives.
    """

    content_type = models.CharField(_("Dateityp"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"), default=0, editable=False)
    text = models.TextField(_("Text für die Suche"), blank=True, editable=False)

    class Meta:
        abstract = True

    def read_file(self):
        self.content_type = document_content_type(self.file) or "application/octet-stream"
        self.size = self.file.size
        self.text = extract_text(self.file, self.content_type)

    @property
    def type_label(self):
        return DOCUMENT_LABELS.get(self.content_type, _("Datei"))


class Searchable(models.Model):
    """The words of a model's searchable fields, kept up to date by koss.core.search on every save.

    On PostgreSQL `search_vector` holds them, weighted, under a GIN index; other databases read the
    same Snowball stems as text from `search_stems`.
    """

    search_vector = SearchVectorField(null=True, editable=False)
    search_stems = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True


class SearchWord(models.Model):
    """A word of the searchable texts, for the spelling suggestions of the site search
    (`koss.core.search_spelling`). Words are added whenever an object is saved, and the whole list
    is made anew by `manage.py update_search_index`."""

    word = models.CharField(_("Wort"), max_length=60, unique=True)
    head = models.CharField(_("Anfang"), max_length=2)
    length = models.PositiveSmallIntegerField(_("Länge"))

    class Meta:
        app_label = "koss"
        verbose_name = _("Suchwort")
        verbose_name_plural = _("Suchwörter")
        indexes = [models.Index(fields=["head", "length"], name="koss_searchword_head_length")]

    def __str__(self):
        return self.word
