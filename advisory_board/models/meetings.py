"""A board's meetings and their agenda items."""

import datetime
import re

from django.apps import apps
from django.db import models, transaction
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koss.core.choices import choice_display
from koss.core.models import Searchable
from koss.core.querysets import has_staff_rights

from .people import Audience, Board, current_member


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

    def with_reply_of(self, person):
        """The meetings with the person's reply, in the same query: read it as `reader_reply`.
        Without a person, the meetings as they are."""
        if person is None:
            return self
        return self.annotate(
            own_reply=FilteredRelation("replies", condition=Q(replies__person=person)),
            reply_answer=F("own_reply__answer"),
            reply_deputy=F("own_reply__deputy_name"),
            reply_comment=F("own_reply__comment"),
        )

    def with_public_summary(self):
        """Marks in `summary_is_public` whether a meeting's public summary may be shown: the one
        rule. A held meeting's summary tells its results, which count only once its minutes are
        approved; planned and cancelled meetings show theirs as an announcement."""
        # Documents stand above meetings (models/documents.py): asked for by name.
        Document = apps.get_model("advisory_board", "Document")
        approved = Document.objects.approved_minutes().filter(meeting=OuterRef("pk"))
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
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
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

    @property
    def reader_reply(self):
        """The reply that MeetingQuerySet.with_reply_of() read with the meeting, or None."""
        answer = getattr(self, "reply_answer", None)
        if answer is None:
            return None
        # Replies stand above meetings (models/replies.py): made through the relation.
        return self.replies.model(
            meeting=self,
            answer=answer,
            deputy_name=self.reply_deputy,
            comment=self.reply_comment,
        )

    def audience_of(self, user):
        """Whose archive or meeting book of the meeting a user gets: it names the stored file,
        while its content always follows Document.objects.visible_to()."""
        if has_staff_rights(user):
            return Audience.STAFF
        if self.board_id in current_member(user)[1]:
            return Audience.MEMBERS
        return Audience.PUBLIC

    @property
    def file_stem(self):
        """The start of every file name of the meeting: "beirat-sitzung-09"."""
        return f"beirat-sitzung-{self.number:02d}"

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

    def following(self, starts_at=None):
        """An unsaved meeting after this one: the board's next number, this meeting's place,
        weekday and time of day, a quarter after the board's latest meeting and in the future;
        or at `starts_at` (a date found with the members), lasting as long as this one."""
        board_meetings = Meeting.objects.filter(board_id=self.board_id)
        latest = board_meetings.aggregate(number=Max("number"), start=Max("starts_at"))
        if starts_at is None:
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
    def prepare_next(self, starts_at=None):
        """Save the following meeting (at `starts_at`, if given) with this meeting's agenda as its
        standing items: every item, title and explanation, in order; staff delete or change what
        does not recur."""
        # Two staff members preparing at once wait for each other instead of taking one number.
        Board.objects.select_for_update().filter(pk=self.board_id).first()
        meeting = self.following(starts_at)
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


class AgendaItemQuerySet(models.QuerySet):
    def of_announced_meetings(self):
        """The items of announced meetings (MeetingQuerySet.announced()). Their titles are for
        the board's members and staff: the meeting page shows the agenda to them only."""
        return self.filter(meeting__in=Meeting.objects.announced())


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("Sitzung")
    )
    position = models.PositiveSmallIntegerField(
        _("TOP"), help_text=_("Nummer des Tagesordnungspunkts.")
    )
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Erläuterung"), blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnung")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="unique_agenda_position")
        ]

    def __str__(self):
        return f"TOP {self.position}: {self.title}"
