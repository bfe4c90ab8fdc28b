import datetime
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, Max, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koss.core.choices import choice_display
from koss.core.collation import GERMAN
from koss.core.files import UploadTo
from koss.core.models import Searchable, UploadedFile
from koss.core.querysets import has_staff_rights
from koss.core.validators import (
    typed_filename,
    validate_document_upload,
)
from partners.models import Partner


class Board(models.Model):
    """An advisory board, e.g. the Beirat für Sozialplanung constituted in 2014."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    purpose = models.TextField(
        _("Auftrag"),
        help_text=_("Wofür der Beirat da ist; erscheint öffentlich. Leerzeilen trennen Absätze."),
    )
    constituted_on = models.DateField(_("konstituiert am"))
    constituted_at = models.CharField(_("konstituiert in"), max_length=200, blank=True)
    is_current = models.BooleanField(
        _("aktueller Beirat"),
        default=False,
        help_text=_("Der aktuelle Beirat erscheint unter /beirat/."),
    )

    class Meta:
        verbose_name = _("Beirat")
        verbose_name_plural = _("Beiräte")
        ordering = ["-constituted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_board"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.constituted_on.year})"


class Term(models.Model):
    """A term of office of a board, usually two years."""

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="terms", verbose_name=_("Beirat")
    )
    name = models.CharField(
        _("Bezeichnung"), max_length=100, help_text=_("Z. B. „Amtszeit 2014–2016“.")
    )
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"), null=True, blank=True)

    class Meta:
        verbose_name = _("Amtszeit")
        verbose_name_plural = _("Amtszeiten")
        ordering = ["board", "starts_on"]

    def __str__(self):
        return f"{self.board.name}: {self.name}"


class Person(models.Model):
    """Somebody who serves or served on a board; may have a login for the members' area."""

    title = models.CharField(_("Titel"), max_length=50, blank=True, help_text=_("Z. B. „Dr.“"))
    first_name = models.CharField(_("Vorname"), max_length=100, db_collation=GERMAN)
    last_name = models.CharField(_("Nachname"), max_length=100, db_collation=GERMAN)
    email = models.EmailField(
        _("E-Mail"),
        blank=True,
        help_text=_("An diese Adresse gehen Einladung und Benachrichtigungen."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_person",
        verbose_name=_("Zugang"),
    )
    is_demo = models.BooleanField(_("Demo-Person"), default=False, editable=False)
    # Documents changed after this moment are shown as new in the members' area.
    seen_until = models.DateTimeField(
        _("Dokumente gesehen bis"), null=True, blank=True, editable=False
    )
    last_visit_at = models.DateTimeField(_("letzter Besuch"), null=True, blank=True, editable=False)
    # Which login session the visit of last_visit_at belongs to (a hash of the session key): a
    # new session is a new visit.
    visit_session = models.CharField(max_length=64, blank=True, editable=False)
    calendar_token = models.CharField(
        _("Kalender-Schlüssel"), max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    def new_calendar_token(self):
        self.calendar_token = secrets.token_urlsafe(32)
        self.save(update_fields=["calendar_token"])
        return self.calendar_token


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def public(self):
        return self.filter(public_consent=True)

    def current_of(self, user):
        """The memberships a login holds now: the one rule for whose boards a person is on."""
        return self.current().filter(person__user=user)


class Membership(models.Model):
    class Role(models.TextChoices):
        PATRON = "schirmherrschaft", _("Schirmherrschaft")
        CHAIR = "vorsitz", _("Vorsitz")
        DEPUTY = "stellvertretung", _("Stellvertretender Vorsitz")
        MEMBER = "mitglied", _("Mitglied")

    ROLE_ORDER = [Role.PATRON, Role.CHAIR, Role.DEPUTY, Role.MEMBER]

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Person")
    )
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Beirat")
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role, default=Role.MEMBER)
    organisation = models.CharField(
        _("vertritt"),
        max_length=200,
        blank=True,
        help_text=_("Die Organisation, für die die Person im Beirat sitzt."),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_memberships",
        verbose_name=_("Organisation im Partnernetzwerk"),
        help_text=_("Verlinkt die Organisation mit ihrer Partnerseite."),
    )
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(
        _("Ende"), null=True, blank=True, help_text=_("Leer, solange die Mitgliedschaft läuft.")
    )
    public_consent = models.BooleanField(
        _("Einwilligung zur Veröffentlichung"),
        default=False,
        help_text=_("Nur mit Einwilligung erscheinen Name, Rolle und Organisation öffentlich."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["board", "person__last_name", "person__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            )
        ]

    get_role_display = choice_display(Role, "role")

    def __str__(self):
        return f"{self.person} – {self.get_role_display()} ({self.board.name})"

    @property
    def role_rank(self):
        return self.ROLE_ORDER.index(self.role)


class MeetingQuerySet(models.QuerySet):
    def announced(self):
        """Meetings staff announced ("publish and notify"): the one rule for every public page,
        feed, calendar, sitemap, search and member page. A prepared meeting stays internal."""
        return self.filter(announced_at__isnull=False)

    def in_preparation(self):
        return self.filter(announced_at__isnull=True)

    def visible_to(self, user):
        """Staff see every meeting, prepared ones included; everyone else the announced."""
        if has_staff_rights(user):
            return self.all()
        return self.announced()

    def upcoming(self):
        """Planned and not begun yet, the next first: the one rule (see Meeting.is_upcoming)."""
        return self.filter(status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()).order_by(
            "starts_at"
        )

    def past(self):
        return self.filter(starts_at__lt=timezone.now())

    def matching(self, term):
        """Meetings a staff member means by "9", "9. Sitzung", "16.01.2027" or "16.1.2027" (also
        together, as Meeting.__str__ writes them); an empty filter for any other term."""
        found = NUMBER_OR_DATE.fullmatch(term.strip())
        if not found or not (found["number"] or found["day"]):
            return self.none()
        query = Q()
        if found["number"]:
            query &= Q(number=int(found["number"]))
        if found["day"]:
            year = int(found["year"])
            try:
                day = datetime.date(
                    year + 2000 if year < 100 else year, int(found["month"]), int(found["day"])
                )
            except ValueError:
                return self.none()
            query &= Q(starts_at__date=day)
        return self.filter(query)

    def with_public_summary(self):
        """Marks in `summary_is_public` whether a meeting's public summary may be shown: the one
        rule. A held meeting's summary tells its results, which count only once its minutes are
        approved; planned and cancelled meetings show theirs as an announcement."""
        approved = Document.objects.filter(
            meeting=OuterRef("pk"), kind=Document.Kind.MINUTES, approved_on__isnull=False
        )
        return self.annotate(
            summary_is_public=ExpressionWrapper(
                ~Q(status=Meeting.Status.HELD) | Exists(approved), output_field=BooleanField()
            )
        )

    def next_start(self):
        """When the next announced meeting begins, or None."""
        return (
            self.announced()
            .filter(starts_at__gt=timezone.now())
            .order_by("starts_at")
            .values_list("starts_at", flat=True)
            .first()
        )


# "9", "9.", "9. Sitzung", "16.01.2027", "16.1.27", "9. Sitzung am 16.01.2027"
NUMBER_OR_DATE = re.compile(
    r"(?:(?P<number>\d{1,4})\b\.?(?:\s*sitzung)?)?\s*(?:am\s*)?"
    r"(?:(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{2}|\d{4}))?",
    re.IGNORECASE,
)


class Meeting(Searchable):
    # The board meets once a quarter; 13 weeks keep the weekday and the time of day.
    INTERVAL = datetime.timedelta(weeks=13)

    class Status(models.TextChoices):
        PLANNED = "geplant", _("geplant")
        HELD = "stattgefunden", _("hat stattgefunden")
        CANCELLED = "abgesagt", _("abgesagt")

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("Beirat")
    )
    number = models.PositiveSmallIntegerField(
        _("Nummer"), help_text=_("Die laufende Nummer der Sitzung.")
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    location = models.CharField(_("Ort"), max_length=300)
    status = models.CharField(_("Status"), max_length=20, choices=Status, default=Status.PLANNED)
    public_summary = models.TextField(
        _("Öffentliche Zusammenfassung"),
        blank=True,
        help_text=_("Erscheint für alle Besucherinnen und Besucher. Leerzeilen trennen Absätze."),
    )
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)
    # Empty while the Redaktion prepares the meeting; set by "publish and notify".
    announced_at = models.DateTimeField(
        _("bekanntgegeben am"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Leer, solange die Sitzung in Vorbereitung ist: dann sehen sie nur die Redaktion. "
            "Bekanntgegeben wird sie mit „Veröffentlichen und benachrichtigen …“."
        ),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["board", "number"], name="unique_meeting_number")
        ]
        indexes = [models.Index(fields=["board", "starts_at"])]

    get_status_display = choice_display(Status, "status")

    def __str__(self):
        return _("%(number)s. Sitzung am %(date)s") % {
            "number": self.number,
            "date": timezone.localtime(self.starts_at).strftime("%d.%m.%Y"),
        }

    def get_absolute_url(self):
        return reverse("advisory_board:meeting", kwargs={"pk": self.pk})

    @classmethod
    def suggested_for(cls, board):
        """An unsaved meeting as the board's next one: the next number, and place, weekday and
        time of day of its latest meeting, a quarter after it (and not in the past)."""
        latest = board.meetings.order_by("-starts_at").first() if board else None
        if latest is None:
            return cls(board=board, number=1)
        return latest.following()

    def following(self):
        """An unsaved meeting after this one: the board's next number, this meeting's place,
        weekday and time of day, a quarter after the board's latest meeting and in the future."""
        board_meetings = Meeting.objects.filter(board_id=self.board_id)
        latest = board_meetings.aggregate(number=Max("number"), start=Max("starts_at"))
        after = max(latest["start"] or self.starts_at, self.starts_at, timezone.now())
        # Counted in local time, so that a change to or from summer time keeps "14:00 Uhr".
        start = timezone.localtime(self.starts_at).replace(tzinfo=None)
        while timezone.make_aware(start) <= after:
            start += self.INTERVAL
        starts_at = timezone.make_aware(start)
        return Meeting(
            board_id=self.board_id,
            number=(latest["number"] or self.number) + 1,
            starts_at=starts_at,
            ends_at=starts_at + (self.ends_at - self.starts_at) if self.ends_at else None,
            location=self.location,
            status=Meeting.Status.PLANNED,
        )

    @transaction.atomic
    def prepare_next(self):
        """Save the following meeting with this meeting's agenda as its standing items: every
        item, title and explanation, in order; staff delete or change what does not recur."""
        # Two staff members preparing at once wait for each other instead of taking one number.
        Board.objects.select_for_update().filter(pk=self.board_id).first()
        meeting = self.following()
        meeting.save()
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                position=item.position,
                title=item.title,
                description=item.description,
            )
            for item in self.agenda_items.order_by("position")
        )
        return meeting

    @property
    def is_announced(self):
        # The rule of MeetingQuerySet.announced(), for one meeting in hand.
        return self.announced_at is not None

    @property
    def is_upcoming(self):
        # The rule of MeetingQuerySet.upcoming(), for one meeting in hand.
        return self.status == self.Status.PLANNED and self.starts_at >= timezone.now()

    @property
    def takes_attendance(self):
        """Attendance is recorded from the meeting's day on: before it, entries taken from the
        replies would tell who said yes."""
        return self.starts_at is not None and (
            timezone.localdate(self.starts_at) <= timezone.localdate()
        )

    def summary_may_show(self):
        """The rule of MeetingQuerySet.with_public_summary() for this meeting. Meetings read
        without that annotation ask the database."""
        if not hasattr(self, "summary_is_public"):
            self.summary_is_public = (
                Meeting.objects.with_public_summary()
                .filter(pk=self.pk)
                .values_list("summary_is_public", flat=True)
                .first()
            )
        return self.summary_is_public

    @property
    def shown_summary(self):
        """The public summary where the rule of MeetingQuerySet.with_public_summary() lets it
        show, else an empty string."""
        if not self.public_summary or self.status != self.Status.HELD:
            return self.public_summary
        return self.public_summary if self.summary_may_show() else ""

    @property
    def results_are_public(self):
        """Whether public pages may tell what became of the meeting (who attended): for a held
        meeting once its summary may show, that is once its minutes are approved."""
        return self.status == self.Status.HELD and self.summary_may_show()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("Sitzung")
    )
    position = models.PositiveSmallIntegerField(
        _("TOP"), help_text=_("Nummer des Tagesordnungspunkts.")
    )
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Erläuterung"), blank=True)

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnung")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="unique_agenda_position")
        ]

    def __str__(self):
        return f"TOP {self.position}: {self.title}"


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

    class Visibility(models.TextChoices):
        PUBLIC = "oeffentlich", _("öffentlich")
        MEMBERS = "mitglieder", _("für Mitglieder")
        STAFF = "redaktion", _("nur Redaktion")

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


class ReplyQuerySet(models.QuerySet):
    def coming(self):
        """Replies that fill the seat: the member attends, or a deputy comes."""
        return self.filter(answer__in=Reply.COMING)


class Reply(models.Model):
    """A member's answer whether they attend a meeting, or who comes in their place."""

    class Answer(models.TextChoices):
        YES = "ja", _("Ich nehme teil")
        NO = "nein", _("Ich nehme nicht teil")
        DEPUTY = "vertretung", _("Vertretung kommt")

    # The answers that fill the seat.
    COMING = [Answer.YES, Answer.DEPUTY]

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="replies", verbose_name=_("Sitzung")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="replies", verbose_name=_("Person")
    )
    answer = models.CharField(_("Antwort"), max_length=12, choices=Answer)
    deputy_name = models.CharField(
        _("Vertretung"),
        max_length=200,
        blank=True,
        help_text=_("Wer an Stelle des Mitglieds kommt; nur bei „Vertretung kommt“."),
    )
    comment = models.TextField(
        _("Anmerkung"),
        max_length=1000,
        blank=True,
        help_text=_("Eine Anmerkung des Mitglieds für die Redaktion, z. B. „komme später“."),
    )
    replied_at = models.DateTimeField(_("geantwortet am"), auto_now=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        ordering = ["meeting", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_reply_per_meeting"),
            models.CheckConstraint(
                condition=~Q(answer="vertretung") | ~Q(deputy_name=""),
                name="reply_deputy_has_a_name",
                violation_error_message=_("Bitte nennen Sie den Namen Ihrer Vertretung."),
            ),
        ]

    get_answer_display = choice_display(Answer, "answer")

    def __str__(self):
        return f"{self.person}: {self.get_answer_display()}"

    def clean(self):
        super().clean()
        self.deputy_name = self.deputy_name.strip()
        if self.answer == self.Answer.DEPUTY and not self.deputy_name:
            raise ValidationError(
                {"deputy_name": _("Bitte nennen Sie den Namen Ihrer Vertretung.")}
            )
        if self.answer != self.Answer.DEPUTY:
            # A name typed before choosing another answer would read as a deputy who comes.
            self.deputy_name = ""

    @property
    def coming(self):
        """The seat is filled: the member attends, or a deputy comes."""
        return self.answer in self.COMING

    @property
    def confirmation(self):
        """The answer as the member reads it back, on pages, in messages and in the calendar."""
        if self.answer == self.Answer.YES:
            return _("Sie haben zugesagt.")
        if self.answer == self.Answer.DEPUTY:
            return _("Sie werden vertreten durch %(name)s.") % {"name": self.deputy_name}
        return _("Sie haben abgesagt.")


class OutcomeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Decisions and tasks are for staff and the current members of the meeting's board, of
        announced meetings."""
        if has_staff_rights(user):
            return self.all()
        if not (user.is_authenticated and user.is_active):
            return self.none()
        boards = Membership.objects.current_of(user).values("board_id")
        return self.filter(meeting__board__in=boards, meeting__announced_at__isnull=False)

    def tasks(self):
        return self.filter(kind=Outcome.Kind.TASK)

    def open(self):
        """Still to be done: open or in progress."""
        return self.filter(status__in=Outcome.OPEN_STATUSES)

    def overdue(self):
        """Tasks still to be done whose due date has passed: the rule of Outcome.is_overdue."""
        return self.tasks().open().filter(due_on__lt=timezone.localdate())

    def by_due_date(self):
        """The next due first; those without a date last."""
        return self.order_by(models.F("due_on").asc(nulls_last=True), "meeting__starts_at", "pk")

    def for_list(self):
        """With everything a list shows, in one query."""
        return self.select_related(
            "meeting", "agenda_item", "responsible_person", "responsible_partner"
        )

    def put_on_agenda(self, meeting):
        """Add to the meeting's agenda an item that lists the open tasks of its board from earlier
        meetings, or bring that item up to date. Returns the item and the number of tasks, or
        (None, 0) when no task is open."""
        tasks = list(
            self.tasks()
            .open()
            .for_list()
            .filter(meeting__board=meeting.board, meeting__starts_at__lt=meeting.starts_at)
            .order_by("meeting__starts_at", "agenda_item__position", "pk")
        )
        if not tasks:
            return None, 0
        title = _("Offene Aufgaben aus früheren Sitzungen")
        description = "\n".join(f"• {task.agenda_line()}" for task in tasks)
        item = meeting.agenda_items.filter(title=title).first()
        if item is None:
            last = meeting.agenda_items.aggregate(last=models.Max("position"))["last"] or 0
            item = AgendaItem(meeting=meeting, position=last + 1, title=title)
        item.description = description
        item.save()
        return item, len(tasks)


class Outcome(models.Model):
    """A decision (Beschluss) or task (Aufgabe) of a meeting, and what became of it."""

    class Kind(models.TextChoices):
        DECISION = "beschluss", _("Beschluss")
        TASK = "aufgabe", _("Aufgabe")

    class Status(models.TextChoices):
        # Of a task.
        OPEN = "offen", _("offen")
        IN_PROGRESS = "in_bearbeitung", _("in Bearbeitung")
        DONE = "erledigt", _("erledigt")
        DROPPED = "entfallen", _("entfallen")
        # Of a decision: taken by the board, carried out, or revoked by a later decision.
        TAKEN = "gefasst", _("gefasst")
        IMPLEMENTED = "umgesetzt", _("umgesetzt")
        REVOKED = "aufgehoben", _("aufgehoben")

    OPEN_STATUSES = [Status.OPEN, Status.IN_PROGRESS]
    STATUSES = {
        Kind.TASK: [Status.OPEN, Status.IN_PROGRESS, Status.DONE, Status.DROPPED],
        Kind.DECISION: [Status.TAKEN, Status.IMPLEMENTED, Status.REVOKED],
    }

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("Sitzung"),
        help_text=_("Die Sitzung, in der beschlossen oder vereinbart wurde."),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("Tagesordnungspunkt"),
        help_text=_("Der Punkt der Tagesordnung, unter dem beschlossen wurde."),
    )
    kind = models.CharField(
        _("Art"),
        max_length=20,
        choices=Kind,
        default=Kind.TASK,
        help_text=_(
            "Ein Beschluss hält fest, was gilt, und ist gefasst, umgesetzt oder aufgehoben; "
            "eine Aufgabe sagt, wer was bis wann erledigt."
        ),
    )
    text = models.TextField(
        _("Wortlaut"), help_text=_("Was beschlossen wurde oder was zu tun ist, in einem Satz.")
    )
    responsible = models.CharField(
        _("verantwortlich"),
        max_length=200,
        blank=True,
        help_text=_(
            "Als freier Text, wenn weder eine Person des Beirats noch eine Partnerorganisation "
            "passt, z. B. „Geschäftsstelle KOSS“."
        ),
    )
    responsible_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsibilities",
        verbose_name=_("verantwortliche Person"),
        help_text=_("Wenn eine Person des Beirats verantwortlich ist."),
    )
    responsible_partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_outcomes",
        verbose_name=_("verantwortliche Organisation"),
        help_text=_("Wenn eine Organisation des Partnernetzwerks verantwortlich ist."),
    )
    due_on = models.DateField(
        _("fällig am"),
        null=True,
        blank=True,
        help_text=_("Bis wann die Aufgabe erledigt sein soll."),
    )
    # The default is the first status of a task, the default kind; a new decision starts as
    # taken (see save()).
    status = models.CharField(
        _("Stand"),
        max_length=20,
        choices=Status,
        default=Status.OPEN,
        help_text=_(
            "Aufgabe: offen, in Bearbeitung, erledigt oder entfallen. Beschluss: gefasst, "
            "umgesetzt oder aufgehoben. Jede Änderung wird mit Zeitpunkt und Bearbeiter "
            "festgehalten."
        ),
    )
    status_changed_at = models.DateTimeField(
        _("Stand geändert am"), default=timezone.now, editable=False
    )

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beschluss oder Aufgabe")
        verbose_name_plural = _("Beschlüsse und Aufgaben")
        ordering = ["meeting", "agenda_item__position", "pk"]
        indexes = [models.Index(fields=["status", "kind"])]

    get_kind_display = choice_display(Kind, "kind")
    get_status_display = choice_display(Status, "status")

    def __str__(self):
        return f"{self.get_kind_display()}: {Truncator(self.text).chars(60)}"

    def save(self, *args, **kwargs):
        self.start_as_its_kind()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if (
            self.agenda_item_id is not None
            and self.meeting_id is not None
            and self.agenda_item.meeting_id != self.meeting_id
        ):
            raise ValidationError(
                {"agenda_item": _("Der Tagesordnungspunkt gehört zu einer anderen Sitzung.")}
            )
        self.start_as_its_kind()
        errors = {}
        if self.status not in self.STATUSES.get(self.kind, []):
            errors["status"] = (
                _("Ein Beschluss ist gefasst, umgesetzt oder aufgehoben.")
                if self.kind == self.Kind.DECISION
                else _("Eine Aufgabe ist offen, in Bearbeitung, erledigt oder entfallen.")
            )
        parties = [
            name
            for name, value in [
                ("responsible", self.responsible),
                ("responsible_person", self.responsible_person_id),
                ("responsible_partner", self.responsible_partner_id),
            ]
            if value
        ]
        if self.kind == self.Kind.DECISION:
            for name in parties:
                errors[name] = _(
                    "Ein Beschluss hat keine Verantwortlichen; legen Sie dafür eine Aufgabe an."
                )
            if self.due_on:
                errors["due_on"] = _(
                    "Ein Beschluss hat kein Fälligkeitsdatum; legen Sie dafür eine Aufgabe an."
                )
        elif len(parties) > 1:
            for name in parties:
                errors[name] = _(
                    "Bitte nennen Sie nur eine verantwortliche Stelle: eine Person des Beirats, "
                    "eine Partnerorganisation oder einen freien Text."
                )
        if errors:
            raise ValidationError(errors)

    def start_as_its_kind(self):
        """A new decision left at the field's default, the first status of a task, starts as
        taken."""
        if (
            self._state.adding
            and self.kind == self.Kind.DECISION
            and self.status == self.Status.OPEN
        ):
            self.status = self.Status.TAKEN

    @property
    def responsible_names(self):
        """Who is responsible, from the text and the linked person or organisation."""
        names = [self.responsible]
        if self.responsible_person_id:
            names.append(self.responsible_person.full_name)
        if self.responsible_partner_id:
            names.append(self.responsible_partner.name)
        return ", ".join(dict.fromkeys(name for name in names if name))

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    def agenda_line(self):
        """One line for the agenda of a later meeting."""
        parts = [self.text]
        if self.responsible_names:
            parts.append(_("verantwortlich: %(names)s") % {"names": self.responsible_names})
        if self.due_on:
            parts.append(_("fällig am %(date)s") % {"date": date_format(self.due_on, "j. F Y")})
        parts.append(self.get_status_display())
        origin = _("aus der %(number)s. Sitzung") % {"number": self.meeting.number}
        if self.agenda_item_id:
            origin += f", TOP {self.agenda_item.position}"
        return f"{' – '.join(parts)} ({origin})"

    def save_with_history(self, *, previous_status, user):
        """Save, and record a new status with who set it and when; `previous_status` is ""
        for a new entry."""
        changed = previous_status != self.status
        if changed:
            self.status_changed_at = timezone.now()
        self.save()
        if changed:
            self.status_changes.create(
                old_status=previous_status,
                new_status=self.status,
                changed_at=self.status_changed_at,
                changed_by=user,
            )


class OutcomeStatusChange(models.Model):
    """One step in the history of a decision or task: from which status to which, when, by whom."""

    outcome = models.ForeignKey(
        Outcome,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("Beschluss oder Aufgabe"),
    )
    old_status = models.CharField(_("vorher"), max_length=20, choices=Outcome.Status, blank=True)
    new_status = models.CharField(_("nachher"), max_length=20, choices=Outcome.Status)
    changed_at = models.DateTimeField(_("geändert am"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("geändert von"),
    )

    class Meta:
        verbose_name = _("Änderung des Stands")
        verbose_name_plural = _("Verlauf des Stands")
        ordering = ["outcome", "-changed_at", "-pk"]

    get_old_status_display = choice_display(Outcome.Status, "old_status")
    get_new_status_display = choice_display(Outcome.Status, "new_status")

    def __str__(self):
        return f"{self.get_old_status_display() or _('neu')} → {self.get_new_status_display()}"


class AttendanceQuerySet(models.QuerySet):
    def for_list(self):
        """In the order of names, with the person, in one query."""
        return self.select_related("person").order_by("person__last_name", "person__first_name")

    def attended(self):
        """Who was there: in person, or through a deputy."""
        return self.filter(Q(status=Attendance.Status.PRESENT) | ~Q(represented_by=""))

    def with_public_consent(self):
        """Each entry with `public_consent`: whether the person agreed to be named publicly as a
        member of the meeting's board."""
        consent = Membership.objects.filter(
            person=OuterRef("person"), board=OuterRef("meeting__board"), public_consent=True
        )
        return self.annotate(public_consent=Exists(consent))

    def prefill(self, meeting):
        """Add an entry from the reply for each member of the board on the meeting's day who has
        none yet; entries staff already made stay as they are. Returns how many were added.
        Before the meeting's day it adds nothing and raises ValidationError."""
        if not meeting.takes_attendance:
            raise ValidationError(Attendance.before_the_day_message(meeting))
        day = timezone.localdate(meeting.starts_at)
        members = Membership.objects.current(on=day).filter(board=meeting.board)
        missing = (
            members.exclude(person__attendance__meeting=meeting)
            .values_list("person_id", flat=True)
            .distinct()
        )
        replies = {reply.person_id: reply for reply in meeting.replies.all()}
        entries = [
            Attendance.from_reply(meeting, person_id, replies.get(person_id))
            for person_id in missing
        ]
        self.bulk_create(entries)
        return len(entries)


class Attendance(models.Model):
    """Whether a person attended a meeting, recorded by staff."""

    class Status(models.TextChoices):
        PRESENT = "anwesend", _("anwesend")
        EXCUSED = "entschuldigt", _("entschuldigt")
        ABSENT = "abwesend", _("abwesend")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("Sitzung")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("Person"),
        help_text=_("Ein Mitglied des Beirats."),
    )
    status = models.CharField(
        _("Anwesenheit"),
        max_length=20,
        choices=Status,
        default=Status.PRESENT,
        help_text=_(
            "Vorbelegt aus der Rückmeldung: Zusage anwesend, Absage oder Vertretung entschuldigt, "
            "keine Antwort abwesend."
        ),
    )
    represented_by = models.CharField(
        _("vertreten durch"),
        max_length=200,
        blank=True,
        help_text=_("Name der Vertretung, wenn das Mitglied nicht selbst kam."),
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheit")
        ordering = ["meeting", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="one_attendance_per_meeting"
            ),
            models.CheckConstraint(
                condition=~Q(status="anwesend") | Q(represented_by=""),
                name="attendance_present_not_represented",
                violation_error_message=_("Wer selbst anwesend war, wird nicht vertreten."),
            ),
        ]

    get_status_display = choice_display(Status, "status")

    def __str__(self):
        return f"{self.person}: {self.get_status_display()}"

    def clean(self):
        super().clean()
        self.represented_by = self.represented_by.strip()
        if self.status == self.Status.PRESENT and self.represented_by:
            raise ValidationError(
                {"represented_by": _("Wer selbst anwesend war, wird nicht vertreten.")}
            )
        # The meeting being edited in the same form, or the stored one.
        meeting = getattr(self, "meeting", None)
        if meeting is not None and meeting.starts_at is not None and not meeting.takes_attendance:
            raise ValidationError(self.before_the_day_message(meeting))

    @staticmethod
    def before_the_day_message(meeting):
        return _(
            "Die Anwesenheit wird erst ab dem Tag der Sitzung erfasst, also ab dem %(day)s."
        ) % {"day": date_format(timezone.localdate(meeting.starts_at))}

    @property
    def attended(self):
        # The rule of AttendanceQuerySet.attended(), for one entry in hand.
        return self.status == self.Status.PRESENT or bool(self.represented_by)

    @property
    def named_in_public(self):
        """Public pages name who came in person and consented; read with with_public_consent()."""
        return self.status == self.Status.PRESENT and getattr(self, "public_consent", False)

    @classmethod
    def from_reply(cls, meeting, person_id, reply):
        """The entry a reply suggests: yes is present, a deputy or no is excused, no reply
        absent."""
        if reply is None:
            return cls(meeting=meeting, person_id=person_id, status=cls.Status.ABSENT)
        if reply.answer == Reply.Answer.YES:
            return cls(meeting=meeting, person_id=person_id, status=cls.Status.PRESENT)
        return cls(
            meeting=meeting,
            person_id=person_id,
            status=cls.Status.EXCUSED,
            represented_by=reply.deputy_name,
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

    class Meta:
        # With a context: allauth's catalogue translates the bare "Download" as the verb
        # "Herunterladen", which made the list's title "Herunterladen zum Ansehen auswählen".
        verbose_name = pgettext_lazy("Eintrag im Protokoll der Abrufe", "Download")
        verbose_name_plural = pgettext_lazy("Einträge im Protokoll der Abrufe", "Downloads")
        ordering = ["-downloaded_at"]

    def __str__(self):
        return f"{self.document} – {self.user or _('anonym')}"


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
        return {"mitglieder": _("für Mitglieder"), "redaktion": _("für die Redaktion")}.get(
            audience, ""
        )
