"""Between the meetings: finding the next meeting's date (date polls, "Terminabstimmung"), the
reminders sent to members, and who has opened which document of a meeting (read status)."""

import dataclasses
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from koss.core.choices import choice_display

from .documents import Document, DownloadLog
from .meetings import Meeting
from .people import Board, Membership, Person


class DatePollQuerySet(models.QuerySet):
    def open(self):
        """Polls members still answer: no date chosen, the last day to answer not passed. The
        one rule for the members' area, the poll page and the answers."""
        return self.filter(chosen_option__isnull=True, answer_until__gte=timezone.localdate())

    def open_for(self, person):
        """The open polls of the boards the person currently belongs to, the deadline nearest
        first, each with `answered`: whether the person has answered it. One query."""
        boards = Membership.objects.current().filter(person=person).values("board")
        answered = DatePollAnswer.objects.filter(option__poll=OuterRef("pk"), person=person)
        return (
            self.open()
            .filter(board__in=boards)
            .annotate(answered=Exists(answered))
            .order_by("answer_until", "pk")
        )


class DatePoll(models.Model):
    """Staff propose two to six dates for the board's next meeting; members say for each whether
    it suits them; staff choose one, which prepares the meeting."""

    MIN_OPTIONS = 2
    MAX_OPTIONS = 6
    # How long members have to answer, as suggested for a new poll.
    ANSWER_DAYS = 14

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="date_polls", verbose_name=_("Beirat")
    )
    title = models.CharField(
        _("Titel"),
        max_length=200,
        help_text=_(
            "Erscheint in der E-Mail und im Mitgliederbereich, z. B. „Termin der 10. Sitzung“."
        ),
    )
    note = models.TextField(
        _("Hinweis an die Mitglieder"),
        blank=True,
        help_text=_("Freiwillig; erscheint über den Terminen und in der E-Mail."),
    )
    answer_until = models.DateField(
        _("Antworten bis"),
        help_text=_("Bis einschließlich zu diesem Tag können die Mitglieder antworten."),
    )
    created_at = models.DateTimeField(_("begonnen am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("begonnen von"),
        editable=False,
    )
    chosen_option = models.OneToOneField(
        "DatePollOption",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewählter Termin"),
        editable=False,
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True, editable=False)
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="date_poll",
        verbose_name=_("vorbereitete Sitzung"),
        editable=False,
    )

    objects = DatePollQuerySet.as_manager()

    class Meta:
        verbose_name = _("Terminabstimmung")
        verbose_name_plural = _("Terminabstimmungen")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("advisory_board:date_poll", kwargs={"pk": self.pk})

    @property
    def is_decided(self):
        return self.chosen_option_id is not None

    @property
    def is_open(self):
        # The rule of DatePollQuerySet.open(), for one poll in hand.
        return not self.is_decided and self.answer_until >= timezone.localdate()

    def clean(self):
        super().clean()
        if self.pk is None and self.answer_until and self.answer_until < timezone.localdate():
            raise ValidationError(
                {
                    "answer_until": _(
                        "Der letzte Tag zum Antworten darf nicht in der Vergangenheit liegen."
                    )
                }
            )

    @classmethod
    def suggested_for(cls, board):
        """An unsaved poll for the board's next meeting, with the dates a quarter after its
        latest meeting and a week later, as Meeting.suggested_for() places them."""
        meeting = Meeting.suggested_for(board)
        poll = cls(
            board=board,
            title=_("Termin der %(number)s. Sitzung") % {"number": meeting.number},
            answer_until=timezone.localdate() + datetime.timedelta(days=cls.ANSWER_DAYS),
        )
        starts = []
        if meeting.starts_at is not None:
            local = timezone.localtime(meeting.starts_at).replace(tzinfo=None)
            starts = [timezone.make_aware(local + datetime.timedelta(weeks=w)) for w in (0, 1)]
        return poll, starts

    def table(self):
        """What staff see: the dates, and per current member of the board the answer to each
        (None: no answer yet). Three queries, however many members, dates and answers."""
        options = list(self.options.all())
        people = list(
            Person.objects.filter(
                memberships__in=Membership.objects.current().filter(board=self.board_id)
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        answers = {
            (answer.person_id, answer.option_id): answer
            for answer in DatePollAnswer.objects.filter(option__poll=self).only(
                "person_id", "option_id", "answer"
            )
        }
        rows = [
            PollRow(person, [answers.get((person.pk, option.pk)) for option in options])
            for person in people
        ]
        for index, option in enumerate(options):
            given = [row.answers[index] for row in rows if row.answers[index] is not None]
            option.fits = sum(a.answer == DatePollAnswer.Answer.FITS for a in given)
            option.if_needed = sum(a.answer == DatePollAnswer.Answer.IF_NEEDED for a in given)
            option.does_not_fit = sum(a.answer == DatePollAnswer.Answer.DOES_NOT_FIT for a in given)
        return options, rows

    def answers_of(self, person):
        """The person's answers: {option id: answer}."""
        return dict(
            DatePollAnswer.objects.filter(option__poll=self, person=person).values_list(
                "option_id", "answer"
            )
        )

    def answer(self, person, given):
        """Store the person's answers ({option id: answer}) in place of earlier ones. Refused with
        ValidationError once the poll is closed: the poll is locked, so an answer and staff's
        choice of the date never cross."""
        with transaction.atomic():
            poll = DatePoll.objects.select_for_update().get(pk=self.pk)
            if not poll.is_open:
                raise ValidationError(poll.closed_message())
            options = set(poll.options.values_list("pk", flat=True))
            if set(given) != options:
                raise ValidationError(_("Bitte beantworten Sie jeden Termin."))
            DatePollAnswer.objects.filter(option__poll=poll, person=person).delete()
            DatePollAnswer.objects.bulk_create(
                DatePollAnswer(option_id=option_id, person=person, answer=answer)
                for option_id, answer in given.items()
            )

    def closed_message(self):
        if self.is_decided:
            return _("Der Termin steht bereits fest. Antworten sind nicht mehr möglich.")
        return _("Die Abstimmung endete am %(date)s. Antworten sind nicht mehr möglich.") % {
            "date": date_format(self.answer_until)
        }

    def choose(self, option):
        """Choose the date: the board's next meeting is prepared from its latest (number, place,
        time of day, agenda), on that date. Returns the meeting; refuses with ValidationError a
        second choice, also one made at the same moment by somebody else."""
        with transaction.atomic():
            poll = DatePoll.objects.select_for_update().get(pk=self.pk)
            if poll.is_decided:
                raise ValidationError(
                    _("Der Termin steht bereits fest: %(date)s.")
                    % {"date": poll.chosen_option.label}
                )
            if option.poll_id != poll.pk:
                raise ValidationError(_("Dieser Termin gehört nicht zu dieser Abstimmung."))
            latest = Meeting.objects.filter(board=poll.board_id).order_by("-starts_at").first()
            if latest is None:
                meeting = Meeting.objects.create(
                    board_id=poll.board_id, number=1, starts_at=option.starts_at, location=""
                )
            else:
                meeting = latest.prepare_next(starts_at=option.starts_at)
            poll.chosen_option = option
            poll.decided_at = timezone.now()
            poll.meeting = meeting
            poll.save(update_fields=["chosen_option", "decided_at", "meeting"])
        self.chosen_option, self.decided_at, self.meeting = option, poll.decided_at, meeting
        return meeting


@dataclasses.dataclass
class PollRow:
    person: Person
    answers: list  # per option: a DatePollAnswer or None


class DatePollOption(models.Model):
    poll = models.ForeignKey(
        DatePoll, on_delete=models.CASCADE, related_name="options", verbose_name=_("Abstimmung")
    )
    starts_at = models.DateTimeField(
        _("Beginn"), help_text=_("Tag und Uhrzeit, zu der die Sitzung beginnen würde.")
    )

    class Meta:
        verbose_name = _("Terminvorschlag")
        verbose_name_plural = _("Terminvorschläge")
        ordering = ["poll", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "starts_at"], name="one_option_per_start")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return date_format(timezone.localtime(self.starts_at), "l, j. F Y, H:i") + " Uhr"


class DatePollAnswer(models.Model):
    class Answer(models.TextChoices):
        FITS = "passt", _("passt")
        IF_NEEDED = "notfalls", _("notfalls")
        DOES_NOT_FIT = "passt-nicht", _("passt nicht")

    option = models.ForeignKey(
        DatePollOption, on_delete=models.CASCADE, related_name="answers", verbose_name=_("Termin")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="date_poll_answers", verbose_name=_("Person")
    )
    answer = models.CharField(_("Antwort"), max_length=12, choices=Answer)
    answered_at = models.DateTimeField(_("geantwortet am"), auto_now=True)

    class Meta:
        verbose_name = _("Antwort zur Terminabstimmung")
        verbose_name_plural = _("Antworten zur Terminabstimmung")
        ordering = ["option", "person"]
        constraints = [
            models.UniqueConstraint(fields=["option", "person"], name="one_answer_per_option")
        ]

    get_answer_display = choice_display(Answer, "answer")

    def __str__(self):
        return f"{self.person}: {self.get_answer_display()}"


class ReminderQuerySet(models.QuerySet):
    def automatic(self):
        return self.filter(kind=Reminder.Kind.REPLY_AUTOMATIC)


class Reminder(models.Model):
    """A reminder a member was sent about a meeting: the automatic one before the meeting goes to
    each member once (a constraint holds it when two runs overlap)."""

    class Kind(models.TextChoices):
        REPLY_AUTOMATIC = "rueckmeldung-auto", _("Rückmeldung (automatisch)")
        INVITATION = "einladung", _("Einladung noch nicht geöffnet")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("Sitzung")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("Person")
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind)
    sent_at = models.DateTimeField(_("erinnert am"), default=timezone.now)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(kind="rueckmeldung-auto"),
                name="one_automatic_reminder_per_meeting",
            )
        ]

    get_kind_display = choice_display(Kind, "kind")

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()}"


@dataclasses.dataclass
class ReadRow:
    person: Person
    cells: list  # per document: the Read of the person, or None
    reminded_at: datetime.datetime | None

    @property
    def opened_invitation(self):
        return any(cell is not None for cell, document in self.cells if document.is_invitation)


@dataclasses.dataclass
class Read:
    first_at: datetime.datetime
    ways: list  # "direkt", "ZIP", "Sitzungsmappe"


def read_status(meeting):
    """Which current member of the meeting's board has opened which of its released documents for
    members (invitation first), directly, in the ZIP or in the meeting book, from the download log. Four
    queries, however many members, documents and downloads. Only staff see it."""
    documents = list(
        meeting.documents.exclude(visibility=Document.Visibility.STAFF)
        .filter(published_at__lte=timezone.now())
        .only("pk", "title", "kind", "meeting_id")
        .order_by(models.Case(models.When(kind=Document.Kind.INVITATION, then=0), default=1), "pk")
    )
    for document in documents:
        document.is_invitation = document.kind == Document.Kind.INVITATION
    people = list(
        Person.objects.filter(
            memberships__in=Membership.objects.current().filter(board=meeting.board_id)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
    reads = {}
    for entry in (
        DownloadLog.objects.filter(document__in=documents, user__board_person__in=people)
        .values("document_id", "user__board_person", "via_zip", "via_book")
        .annotate(first_at=Min("downloaded_at"))
    ):
        key = (entry["user__board_person"], entry["document_id"])
        way = (
            _("ZIP")
            if entry["via_zip"]
            else _("Sitzungsmappe")
            if entry["via_book"]
            else _("direkt")
        )
        read = reads.setdefault(key, Read(entry["first_at"], []))
        read.first_at = min(read.first_at, entry["first_at"])
        read.ways.append(way)
    reminded = dict(
        Reminder.objects.filter(meeting=meeting, kind=Reminder.Kind.INVITATION)
        .values("person")
        .annotate(last=models.Max("sent_at"))
        .values_list("person", "last")
    )
    rows = [
        ReadRow(
            person,
            [(reads.get((person.pk, document.pk)), document) for document in documents],
            reminded.get(person.pk),
        )
        for person in people
    ]
    return documents, rows
