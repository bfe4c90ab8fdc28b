"""Who comes to a meeting: the members' replies before it and the attendance recorded from its
day on."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Exists,
    OuterRef,
    Q,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from koss.core.choices import choice_display

from .meetings import Meeting
from .people import Membership, Person


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
