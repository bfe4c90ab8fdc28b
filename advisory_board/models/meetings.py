"""A board's meetings: agenda items, the members' replies and the attendance."""

import datetime
import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from koss.core.choices import choice_display
from koss.core.models import Searchable
from koss.core.querysets import has_staff_rights

from .people import Board, Membership, Person


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
        # Documents stand above meetings (models/documents.py): asked for by name.
        Document = apps.get_model("advisory_board", "Document")
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
