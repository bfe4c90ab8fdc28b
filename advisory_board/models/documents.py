"""A meeting's documents with their versions, the comments on draft minutes and the downloads."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koss.core.choices import choice_display
from koss.core.files import UploadTo
from koss.core.models import Searchable, UploadedFile
from koss.core.querysets import has_staff_rights
from koss.core.validators import (
    typed_filename,
    validate_document_upload,
)

from .meetings import AgendaItem, Meeting
from .people import Audience, Membership, Person


class DocumentQuerySet(models.QuerySet):
    def next_release(self):
        """When the next document with a release date in the future is released, or None."""
        return (
            self.filter(published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def unreleased(self):
        """Documents meant for members or the public that they cannot read yet: no release date,
        or one in the future. Staff-only documents are never released, so they wait for nothing.
        """
        return self.exclude(visibility=Document.Visibility.STAFF).filter(
            Q(published_at__isnull=True) | Q(published_at__gt=timezone.now())
        )

    def visible_to(self, user):
        """The one rule on who may read which document, used by every view, download, ZIP and feed.

        Staff see everything. Everyone else sees released documents: public ones, and member
        documents of the boards they currently belong to. Former members, members of other boards
        and anonymous visitors see public documents only. Minutes are public only once approved:
        a draft marked public is shared with the board's current members until then.
        """
        if has_staff_rights(user):
            return self.all()
        released = self.filter(
            published_at__isnull=False,
            published_at__lte=timezone.now(),
            meeting__announced_at__isnull=False,
        )
        draft = Q(kind=Document.Kind.MINUTES, approved_on__isnull=True)
        visible = Q(visibility=Document.Visibility.PUBLIC) & ~draft
        if user.is_authenticated and user.is_active:
            boards = Membership.objects.current_of(user).values("board_id")
            visible |= Q(
                visibility__in=[Document.Visibility.MEMBERS, Document.Visibility.PUBLIC],
                meeting__board__in=boards,
            )
        return released.filter(visible)

    def public(self):
        """What anyone may read, logged in or not: the rule of visible_to() for a visitor."""
        return self.visible_to(AnonymousUser())

    def new_since(self, seen_until, joined_on):
        """What the members' area calls new, the newest first: documents that appeared (were
        uploaded or released, whichever came later) after the end of the reader's previous visit,
        `seen_until` (None before the first), but not before the reader joined the meeting's
        board. `joined_on` maps board ids to the date the reader's membership began."""
        documents = self.annotate(
            appeared_at=Greatest("changed_at", Coalesce("published_at", "changed_at"))
        )
        if seen_until is not None:
            documents = documents.filter(appeared_at__gt=seen_until)
        if joined_on:
            since_joining = ~Q(meeting__board__in=list(joined_on))
            for board_id, starts_on in joined_on.items():
                joined_at = timezone.make_aware(
                    datetime.datetime.combine(starts_on, datetime.time())
                )
                since_joining |= Q(meeting__board=board_id, appeared_at__gte=joined_at)
            documents = documents.filter(since_joining)
        return documents.order_by("-appeared_at", "-pk")

    def of_agenda(self, meeting):
        """What the meeting's agenda names: its own documents, and the minutes of an earlier
        meeting that one of its items puts up for approval. Combine with visible_to()."""
        return self.filter(Q(meeting=meeting) | Q(approval_item__meeting=meeting))

    def minutes_drafts(self):
        """Minutes not approved yet: open for the members' comments."""
        return self.filter(kind=Document.Kind.MINUTES, approved_on__isnull=True)

    def approved_minutes(self):
        return self.filter(kind=Document.Kind.MINUTES, approved_on__isnull=False)

    def awaiting_approval(self):
        """Drafts of minutes for staff to approve, the oldest meeting first, each with the number
        of the members' comments in `comment_count`."""
        return (
            self.minutes_drafts()
            .annotate(comment_count=models.Count("comments"))
            .order_by("meeting__starts_at", "pk")
        )


class Document(UploadedFile, Searchable):
    class Kind(models.TextChoices):
        INVITATION = "einladung", _("Einladung")
        AGENDA = "tagesordnung", _("Tagesordnung")
        MINUTES = "protokoll", _("Protokoll")
        PRESENTATION = "praesentation", _("Präsentation")
        RESOLUTION = "beschluss", _("Beschluss")
        OTHER = "sonstiges", _("Sonstiges")

    # Who reads a document: the audiences, named once.
    Visibility = Audience

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("Sitzung")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("Tagesordnungspunkt"),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind)
    title = models.CharField(_("Titel"), max_length=300)
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=20, choices=Visibility, default=Visibility.MEMBERS
    )
    file = models.FileField(
        _("Datei"),
        upload_to=UploadTo("board/documents/%Y/", "file"),
        validators=[validate_document_upload],
        help_text=_(
            "PDF, Office-Dokument oder Bild, höchstens 20 MB. Eine neue Datei ersetzt die alte als neue Fassung."
        ),
    )
    version = models.PositiveSmallIntegerField(_("Fassung"), default=1, editable=False)
    published_at = models.DateTimeField(
        _("veröffentlicht am"),
        null=True,
        blank=True,
        help_text=_(
            "Leer: nur die Redaktion sieht das Dokument. Veröffentlichen Sie über die Aktion der Sitzung, um Mitglieder zu benachrichtigen."
        ),
    )
    changed_at = models.DateTimeField(_("zuletzt geändert"), default=timezone.now, editable=False)
    notified_at = models.DateTimeField(
        _("Mitglieder benachrichtigt am"), null=True, blank=True, editable=False
    )
    # The lifecycle of minutes: a draft until approved_on is set.
    approval_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="minutes_for_approval",
        verbose_name=_("zur Genehmigung unter"),
        help_text=_(
            "Nur für Protokolle: der Tagesordnungspunkt „Genehmigung des Protokolls“ einer "
            "späteren Sitzung, der auf dieses Protokoll verweist."
        ),
    )
    approved_on = models.DateField(
        _("genehmigt am"),
        null=True,
        blank=True,
        help_text=_(
            "Nur für Protokolle: leer, solange das Protokoll ein Entwurf ist. Mit dem Datum gilt "
            "die aktuelle Fassung als genehmigt, Kommentare sind geschlossen, und die öffentliche "
            "Zusammenfassung der Sitzung erscheint."
        ),
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["meeting", "agenda_item__position", "pk"]
        # The members' area lists the latest changes first.
        indexes = [models.Index(fields=["-changed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="protokoll")
                | Q(approved_on__isnull=True, approval_item__isnull=True),
                name="approval_only_for_minutes",
            )
        ]

    get_kind_display = choice_display(Kind, "kind")
    get_visibility_display = choice_display(Visibility, "visibility")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        previous = None
        if self.pk:
            previous = (
                Document.objects.filter(pk=self.pk)
                .values_list("file", "version", "changed_at")
                .first()
            )
        if self.file and (previous is None or previous[0] != self.file.name):
            self.read_file()
            self.changed_at = timezone.now()
            if previous is not None:
                # Keep the replaced file as an earlier version.
                self.version = previous[1] + 1
        super().save(*args, **kwargs)
        if previous is not None and previous[0] != self.file.name:
            DocumentVersion.objects.create(
                document=self, version=previous[1], file=previous[0], replaced_at=self.changed_at
            )

    def get_absolute_url(self):
        return reverse("advisory_board:document", kwargs={"pk": self.pk})

    @property
    def is_minutes(self):
        return self.kind == self.Kind.MINUTES

    @property
    def is_minutes_draft(self):
        return self.is_minutes and self.approved_on is None

    def clean(self):
        super().clean()
        self.clean_approval()
        # A document filed under another meeting's agenda would vanish from its meeting page.
        if (
            self.agenda_item_id is not None
            and self.meeting_id is not None
            and self.agenda_item.meeting_id != self.meeting_id
        ):
            raise ValidationError(
                {
                    "agenda_item": _(
                        "Der Tagesordnungspunkt gehört zu einer anderen Sitzung als das Dokument."
                    )
                }
            )

    def clean_approval(self):
        errors = {}
        if not self.is_minutes:
            for field in ("approved_on", "approval_item"):
                if getattr(self, f"{field}_id" if field == "approval_item" else field):
                    errors[field] = _("Nur ein Protokoll wird genehmigt.")
        elif self.meeting_id is not None:
            meeting = self.meeting
            item = self.approval_item if self.approval_item_id else None
            if item and (
                item.meeting.board_id != meeting.board_id
                or item.meeting.starts_at <= meeting.starts_at
            ):
                errors["approval_item"] = _(
                    "Wählen Sie einen Tagesordnungspunkt einer späteren Sitzung desselben Beirats."
                )
            if self.approved_on and self.approved_on < timezone.localdate(meeting.starts_at):
                errors["approved_on"] = _(
                    "Ein Protokoll kann nicht vor der Sitzung genehmigt werden, die es festhält."
                )
            elif (
                item
                and self.approved_on
                and self.approved_on < timezone.localdate(item.meeting.starts_at)
            ):
                approving_day = timezone.localdate(item.meeting.starts_at)
                errors["approved_on"] = _(
                    "Ein Protokoll kann nicht vor der Sitzung genehmigt werden, in der es zur "
                    "Genehmigung steht (%(date)s)."
                ) % {"date": date_format(approving_day)}
            elif self.approved_on and self.approved_on > timezone.localdate():
                errors["approved_on"] = _(
                    "Tragen Sie die Genehmigung ein, wenn sie erfolgt ist: das Datum liegt in "
                    "der Zukunft."
                )
            if self.pk and self.approved_on and self.file:
                stored = Document.objects.filter(pk=self.pk).values_list("file", "approved_on")
                file_name, approved_before = stored.first() or (None, None)
                if approved_before and file_name != self.file.name:
                    errors["file"] = _(
                        "Ein genehmigtes Protokoll wird nicht ersetzt. Leeren Sie zuerst „genehmigt "
                        "am“, wenn eine neue Fassung erneut genehmigt werden soll."
                    )
        if errors:
            raise ValidationError(errors)

    @property
    def download_name(self):
        return typed_filename(f"{self.meeting.number:02d}-{self.kind}-{self.pk}", self.content_type)


class DocumentVersion(models.Model):
    """An earlier file of a document, kept when staff upload a new version."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("Dokument")
    )
    version = models.PositiveSmallIntegerField(_("Fassung"))
    file = models.FileField(_("Datei"), upload_to="board/documents/%Y/")
    replaced_at = models.DateTimeField(_("ersetzt am"))

    class Meta:
        verbose_name = _("frühere Fassung")
        verbose_name_plural = _("frühere Fassungen")
        ordering = ["document", "-version"]

    def __str__(self):
        return f"{self.document} (Fassung {self.version})"

    def get_absolute_url(self):
        return reverse(
            "advisory_board:document_version",
            kwargs={"pk": self.document_id, "version": self.version},
        )

    def download_name(self, content_type):
        """Named like the document, with the extension of the type detected in the file."""
        document = self.document
        stem = f"{document.meeting.number:02d}-{document.kind}-{document.pk}-fassung-{self.version}"
        return typed_filename(stem, content_type)


class MinutesCommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comments on minutes are for staff and the current members of the minutes' board, and
        only on minutes the user may read: never public, whatever the minutes' visibility."""
        if has_staff_rights(user):
            return self.all()
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(
            document__in=Document.objects.visible_to(user),
            document__meeting__board__in=Membership.objects.current_of(user).values("board_id"),
        )


class MinutesComment(models.Model):
    """A board member's comment on a draft of the minutes."""

    MAX_LENGTH = 4000

    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="comments",
        limit_choices_to={"kind": Document.Kind.MINUTES},
        verbose_name=_("Protokoll"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="minutes_comments", verbose_name=_("von")
    )
    text = models.TextField(_("Kommentar"), max_length=MAX_LENGTH)
    # Drafts change: the comment names the version it was written on.
    version = models.PositiveSmallIntegerField(_("zu Fassung"))
    created_at = models.DateTimeField(_("geschrieben am"), auto_now_add=True, db_index=True)

    objects = MinutesCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kommentar zum Protokoll")
        verbose_name_plural = _("Kommentare zu Protokollen")
        ordering = ["document", "created_at"]

    def __str__(self):
        return f"{self.person} zu {self.document}"


class DownloadLogQuerySet(models.QuerySet):
    def record(self, documents, user, *, via_zip=False, via_book=False, version=None):
        """One record per document sent to the user (anonymous: None); `version` is that of an
        earlier file, by default the documents' current one."""
        self.bulk_create(
            self.model(
                document=document,
                user=user if user.is_authenticated else None,
                version=document.version if version is None else version,
                via_zip=via_zip,
                via_book=via_book,
            )
            for document in documents
        )


class DownloadLog(models.Model):
    """Who downloaded which confidential document when."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="downloads", verbose_name=_("Dokument")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("Zugang"),
    )
    version = models.PositiveSmallIntegerField(_("Fassung"))
    via_zip = models.BooleanField(_("als ZIP"), default=False)
    via_book = models.BooleanField(_("in der Sitzungsmappe"), default=False)
    downloaded_at = models.DateTimeField(_("heruntergeladen am"), auto_now_add=True, db_index=True)

    objects = DownloadLogQuerySet.as_manager()

    class Meta:
        # With a context: allauth's catalogue translates the bare "Download" as the verb
        # "Herunterladen", which made the list's title "Herunterladen zum Ansehen auswählen".
        verbose_name = pgettext_lazy("Eintrag im Protokoll der Abrufe", "Download")
        verbose_name_plural = pgettext_lazy("Einträge im Protokoll der Abrufe", "Downloads")
        ordering = ["-downloaded_at"]

    def __str__(self):
        return f"{self.document} – {self.user or _('anonym')}"
