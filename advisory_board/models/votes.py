"""Written votes between meetings (Umlaufbeschluss): staff start one, the board's current members
vote once and may change their vote until the deadline, and the result is recorded as a decision
of the board's next meeting.

Every step that changes a vote holds its row locked (`select_for_update`) or changes it by a
conditional update, so that two members voting at once, a member voting at the deadline and two
runs of `manage.py close_written_votes` never count a ballot twice, never take one after the
close and never send a mail twice.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from koss.core.choices import choice_display
from koss.core.files import UploadTo
from koss.core.models import UploadedFile
from koss.core.querysets import has_staff_rights
from koss.core.validators import typed_filename, validate_document_upload

from .meetings import AgendaItem, Meeting
from .outcomes import Outcome
from .people import Board, Membership, Person

# Those who have not voted are reminded this long before the deadline.
REMINDER_BEFORE = datetime.timedelta(days=2)
# A new vote runs this long unless staff choose another deadline.
DEFAULT_DURATION = datetime.timedelta(days=14)
# The agenda item of the next meeting that reports the written votes since the last one.
REPORT_TITLE = _("Bericht über Umlaufbeschlüsse")


def default_deadline():
    """Two weeks from now, at noon: a deadline that falls within office hours."""
    day = timezone.localdate() + DEFAULT_DURATION
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


class WrittenVoteQuerySet(models.QuerySet):
    def started(self):
        return self.filter(started_at__isnull=False)

    def open(self, now=None):
        """Started, not closed and before the deadline: members may vote."""
        now = now or timezone.now()
        return self.started().filter(closed_at__isnull=True, deadline__gt=now)

    def next_deadline(self):
        """When the next open vote closes to members, or None."""
        return self.open().order_by("deadline").values_list("deadline", flat=True).first()

    def due(self, now=None):
        """Started and not closed, with the deadline reached: to be counted."""
        now = now or timezone.now()
        return self.started().filter(closed_at__isnull=True, deadline__lte=now)

    def to_remind(self, now=None):
        """Open votes within REMINDER_BEFORE of their deadline whose reminder has not gone out."""
        now = now or timezone.now()
        return self.open(now).filter(reminded_at__isnull=True, deadline__lte=now + REMINDER_BEFORE)

    def published(self):
        return self.filter(published_at__isnull=False, closed_at__isnull=False)

    def of_boards_of(self, user):
        """What a vote holds beyond its published result (documents, who voted how): staff see
        every vote, drafts included; the current members of a board its started votes."""
        if has_staff_rights(user):
            return self.all()
        if not (user.is_authenticated and user.is_active):
            return self.none()
        boards = Membership.objects.current_of(user).values("board_id")
        return self.started().filter(board__in=boards)

    def visible_to(self, user):
        """The one rule for a vote's page: its board's members and staff (of_boards_of), and
        everyone once staff published the result."""
        if has_staff_rights(user):
            return self.all()
        published = Q(published_at__isnull=False, closed_at__isnull=False)
        return self.filter(Q(pk__in=self.of_boards_of(user).values("pk")) | published)

    def with_ballot_of_user(self, user):
        """Each vote with `own_choice` and `own_cast_at`: the current ballot of the person behind
        the login, in the same query (None without one)."""
        ballots = Ballot.objects.filter(
            vote=models.OuterRef("pk"), person__user=user, is_current=True
        )
        return self.annotate(
            own_choice=models.Subquery(ballots.values("choice")[:1]),
            own_cast_at=models.Subquery(ballots.values("cast_at")[:1]),
        )

    def with_participation(self):
        """Each vote with `ballot_count`: how many have voted (not how)."""
        return self.annotate(
            ballot_count=Count("ballots", filter=Q(ballots__is_current=True), distinct=True)
        )


class WrittenVote(models.Model):
    """A motion the board decides in writing, between meetings."""

    class Rule(models.TextChoices):
        MAJORITY = "mehrheit", _("Mehrheit der abgegebenen Stimmen")
        QUORUM = (
            "beschlussfaehigkeit",
            _(
                "Mehrheit der abgegebenen Stimmen, wenn mindestens die Hälfte der Mitglieder abstimmt"
            ),
        )
        UNANIMITY = "einstimmig", _("Zustimmung aller Mitglieder")

    class Result(models.TextChoices):
        ADOPTED = "angenommen", _("angenommen")
        REJECTED = "abgelehnt", _("abgelehnt")
        NO_QUORUM = "nicht_beschlussfaehig", _("nicht beschlussfähig (zu geringe Beteiligung)")

    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="written_votes",
        verbose_name=_("Beirat"),
        help_text=_("Dessen aktuelle Mitglieder stimmen ab."),
    )
    title = models.CharField(
        _("Gegenstand"),
        max_length=200,
        help_text=_(
            "Kurz, z. B. „Stellungnahme zum Landesprogramm“; steht im Betreff der E-Mails."
        ),
    )
    motion = models.TextField(
        _("Beschlussvorlage"),
        help_text=_(
            "Der Wortlaut, über den abgestimmt wird, mit Begründung. Leerzeilen trennen Absätze."
        ),
    )
    allows_abstention = models.BooleanField(
        _("Enthaltung möglich"),
        default=True,
        help_text=_("Zur Wahl stehen Ja und Nein, mit diesem Haken auch Enthaltung."),
    )
    rule = models.CharField(
        _("Beschlussregel"),
        max_length=20,
        choices=Rule,
        default=Rule.MAJORITY,
        help_text=_(
            "Wie die Geschäftsordnung es verlangt. Mehrheit: mehr Ja- als Nein-Stimmen, "
            "Enthaltungen zählen nicht. Mit Beschlussfähigkeit: ebenso, aber nur wenn mindestens "
            "die Hälfte der Mitglieder abstimmt (Enthaltungen eingeschlossen). Zustimmung aller: "
            "jedes Mitglied stimmt mit Ja."
        ),
    )
    deadline = models.DateTimeField(
        _("Frist"),
        default=default_deadline,
        help_text=_(
            "Bis dahin kann abgestimmt und eine Stimme geändert werden. Zwei Tage vorher werden "
            "alle erinnert, die noch nicht abgestimmt haben."
        ),
    )
    deputies_may_vote = models.BooleanField(
        _("Vertretung darf abstimmen"),
        default=False,
        help_text=_(
            "Nur wenn die Geschäftsordnung es erlaubt: Ein Mitglied kann dann angeben, dass "
            "seine Vertretung für es entschieden hat; die Stimme zählt für das Mitglied."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("angelegt von"),
    )
    started_at = models.DateTimeField(_("gestartet am"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("ausgewertet am"), null=True, blank=True, editable=False)
    result = models.CharField(
        _("Ergebnis"), max_length=30, choices=Result, blank=True, editable=False
    )
    yes_count = models.PositiveSmallIntegerField(_("Ja"), default=0, editable=False)
    no_count = models.PositiveSmallIntegerField(_("Nein"), default=0, editable=False)
    abstain_count = models.PositiveSmallIntegerField(_("Enthaltung"), default=0, editable=False)
    electorate = models.PositiveSmallIntegerField(_("stimmberechtigt"), default=0, editable=False)
    outcome = models.OneToOneField(
        Outcome,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="written_vote",
        verbose_name=_("Beschluss"),
    )
    published_at = models.DateTimeField(
        _("veröffentlicht am"), null=True, blank=True, editable=False
    )

    objects = WrittenVoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("Umlaufbeschluss")
        verbose_name_plural = _("Umlaufbeschlüsse")
        ordering = ["-deadline"]
        indexes = [models.Index(fields=["closed_at", "deadline"])]

    get_rule_display = choice_display(Rule, "rule")
    get_result_display = choice_display(Result, "result")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("advisory_board:vote", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.started_at is None and self.deadline and self.deadline <= timezone.now():
            raise ValidationError({"deadline": _("Die Frist muss in der Zukunft liegen.")})

    # --- State -----------------------------------------------------------------------------

    @property
    def is_started(self):
        return self.started_at is not None

    @property
    def is_closed(self):
        return self.closed_at is not None

    def is_open(self, now=None):
        # The rule of WrittenVoteQuerySet.open(), for one vote in hand.
        now = now or timezone.now()
        return self.is_started and not self.is_closed and self.deadline > now

    @property
    def is_published(self):
        return self.published_at is not None and self.is_closed

    @property
    def status_label(self):
        if not self.is_started:
            return _("Entwurf")
        if not self.is_closed:
            return _("läuft")
        return self.get_result_display()

    def choices(self):
        """The options a member chooses from."""
        options = list(Ballot.Choice.choices)
        if not self.allows_abstention:
            options = [option for option in options if option[0] != Ballot.Choice.ABSTAIN]
        return options

    def electorate_ids(self, now=None):
        """Who may vote: the persons with a membership of the board in force today."""
        day = timezone.localdate(now or timezone.now())
        return set(
            Membership.objects.current(on=day)
            .filter(board_id=self.board_id)
            .values_list("person_id", flat=True)
        )

    def current_ballots(self):
        return self.ballots.filter(is_current=True)

    # --- Steps -----------------------------------------------------------------------------

    def start(self, notify, now=None):
        """Open the vote and call `notify(vote)` (emails.start_vote: the mail to every current
        member) in the same transaction; False if it was started already (a second click
        changes nothing)."""
        now = now or timezone.now()
        with transaction.atomic():
            started = WrittenVote.objects.filter(pk=self.pk, started_at__isnull=True).update(
                started_at=now
            )
            if not started:
                return False
            self.started_at = now
            notify(self)
        return True

    def cast(self, person, choice, *, on_close, user=None, deputy_name="", now=None):
        """Record the person's vote, replacing an earlier one; counted at once if now everyone
        has voted (see close() for `on_close`). Raises ValidationError, changing nothing, when
        the vote is not open, the person may not vote or the choice is not offered."""
        deputy_name = (deputy_name or "").strip()
        with transaction.atomic():
            # Every vote for this motion waits here for the one before: none is lost or doubled,
            # and none slips in after the close.
            vote = WrittenVote.objects.select_for_update().get(pk=self.pk)
            now = now or timezone.now()
            if not vote.is_open(now):
                raise ValidationError(
                    _("Die Abstimmung ist beendet. Ihre Stimme wurde nicht mehr gezählt.")
                )
            if person is None or person.pk not in vote.electorate_ids(now):
                raise ValidationError(_("Sie sind bei dieser Abstimmung nicht stimmberechtigt."))
            if choice not in dict(vote.choices()):
                raise ValidationError(_("Bitte wählen Sie Ja, Nein oder Enthaltung."))
            if deputy_name and not vote.deputies_may_vote:
                raise ValidationError(
                    _("Bei dieser Abstimmung darf keine Vertretung für Sie abstimmen.")
                )
            vote.ballots.filter(person=person, is_current=True).update(is_current=False)
            ballot = Ballot.objects.create(
                vote=vote,
                person=person,
                choice=choice,
                deputy_name=deputy_name,
                cast_at=now,
                cast_by=user,
            )
            if vote.electorate_ids(now) <= set(
                vote.current_ballots().values_list("person_id", flat=True)
            ):
                vote.close(now, on_close)
        self.refresh_from_db()
        return ballot

    def tally(self, now=None):
        """(yes, no, abstentions, electorate): the current ballots of those who may vote when the
        vote closes; a ballot of someone whose membership has ended since does not count."""
        electorate = self.electorate_ids(now)
        counts = dict(
            self.current_ballots()
            .filter(person_id__in=electorate)
            .values_list("choice")
            .annotate(count=Count("pk"))
        )
        return (
            counts.get(Ballot.Choice.YES, 0),
            counts.get(Ballot.Choice.NO, 0),
            counts.get(Ballot.Choice.ABSTAIN, 0),
            len(electorate),
        )

    def decide(self, yes, no, abstain, electorate):
        """The result by the vote's rule."""
        if self.rule == self.Rule.UNANIMITY:
            adopted = electorate > 0 and yes == electorate
            return self.Result.ADOPTED if adopted else self.Result.REJECTED
        if self.rule == self.Rule.QUORUM and 2 * (yes + no + abstain) < electorate:
            return self.Result.NO_QUORUM
        return self.Result.ADOPTED if yes > no else self.Result.REJECTED

    def close(self, now, on_close):
        """Count, record the result and call `on_close(vote)` (emails: the result mail) in the
        same transaction. Call with the row locked."""
        self.yes_count, self.no_count, self.abstain_count, self.electorate = self.tally(now)
        self.result = self.decide(
            self.yes_count, self.no_count, self.abstain_count, self.electorate
        )
        self.closed_at = now
        self.save(
            update_fields=[
                "yes_count",
                "no_count",
                "abstain_count",
                "electorate",
                "result",
                "closed_at",
            ]
        )
        self.record_outcome()
        on_close(self)

    @classmethod
    def close_due(cls, on_close, now=None):
        """Count every vote whose deadline has passed; the number counted. Safe to run twice at
        once: the second run finds each vote closed."""
        now = now or timezone.now()
        closed = 0
        for pk in cls.objects.due(now).values_list("pk", flat=True):
            with transaction.atomic():
                vote = cls.objects.select_for_update().filter(pk=pk, closed_at__isnull=True).first()
                if vote is not None and vote.deadline <= now:
                    vote.close(now, on_close)
                    closed += 1
        return closed

    @classmethod
    def remind_due(cls, remind, now=None):
        """Call `remind(vote, now)` (emails: the reminder to those who have not voted) once per
        vote, REMINDER_BEFORE the deadline; the number of votes reminded."""
        now = now or timezone.now()
        reminded = 0
        for vote in cls.objects.to_remind(now):
            with transaction.atomic():
                # Only the run that marks the vote reminded sends the mails.
                if cls.objects.filter(pk=vote.pk, reminded_at__isnull=True).update(reminded_at=now):
                    remind(vote, now)
                    reminded += 1
        return reminded

    @classmethod
    def record_pending_outcomes(cls):
        """Record the results counted while the board had no next meeting, once it has one."""
        recorded = 0
        for pk in cls.objects.filter(closed_at__isnull=False, outcome__isnull=True).values_list(
            "pk", flat=True
        ):
            with transaction.atomic():
                vote = cls.objects.select_for_update().filter(pk=pk, outcome__isnull=True).first()
                if vote is not None and vote.record_outcome():
                    recorded += 1
        return recorded

    def next_meeting(self):
        """The board's first planned meeting after the close: its agenda reports the result."""
        return (
            Meeting.objects.filter(
                board_id=self.board_id,
                status=Meeting.Status.PLANNED,
                starts_at__gt=self.closed_at,
            )
            .order_by("starts_at")
            .first()
        )

    def record_outcome(self):
        """Record the result as a decision of the next meeting, under its item "Bericht über
        Umlaufbeschlüsse"; False while the board has no next meeting."""
        meeting = self.next_meeting()
        if meeting is None:
            return False
        item = meeting.agenda_items.filter(title=REPORT_TITLE).first()
        if item is None:
            last = meeting.agenda_items.aggregate(last=models.Max("position"))["last"] or 0
            item = AgendaItem.objects.create(meeting=meeting, position=last + 1, title=REPORT_TITLE)
        self.outcome = Outcome.objects.create(
            meeting=meeting,
            agenda_item=item,
            kind=Outcome.Kind.DECISION,
            text=self.result_line(),
        )
        self.save(update_fields=["outcome"])
        reported = WrittenVote.objects.filter(outcome__agenda_item=item).order_by("closed_at")
        item.description = "\n".join(f"• {vote.result_line()}" for vote in reported)
        item.save(update_fields=["description"])
        return True

    def tally_line(self):
        line = _("Ja %(yes)s, Nein %(no)s") % {"yes": self.yes_count, "no": self.no_count}
        if self.allows_abstention:
            line += ", " + _("Enthaltung %(count)s") % {"count": self.abstain_count}
        return line + "; " + _("%(count)s stimmberechtigt") % {"count": self.electorate}

    def result_line(self):
        """One line for the decision and the agenda: what, when, the result and the tally."""
        return _("Umlaufbeschluss „%(title)s“ (Frist %(date)s): %(result)s – %(tally)s") % {
            "title": self.title,
            "date": date_format(timezone.localtime(self.deadline), "j. F Y"),
            "result": self.get_result_display(),
            "tally": self.tally_line(),
        }

    def publish(self, now=None):
        """Show the result publicly; only a counted vote. True if it was published now."""
        return bool(
            WrittenVote.objects.filter(
                pk=self.pk, closed_at__isnull=False, published_at__isnull=True
            ).update(published_at=now or timezone.now())
        )


class VoteDocument(UploadedFile):
    """A document the members read before they vote."""

    vote = models.ForeignKey(
        WrittenVote,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("Umlaufbeschluss"),
    )
    title = models.CharField(_("Titel"), max_length=300)
    file = models.FileField(
        _("Datei"),
        upload_to=UploadTo("board/votes/%Y/", "file"),
        validators=[validate_document_upload],
        help_text=_("PDF, Office-Dokument oder Bild, höchstens 20 MB."),
    )

    class Meta:
        verbose_name = _("Unterlage")
        verbose_name_plural = _("Unterlagen")
        ordering = ["vote", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.read_file()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("advisory_board:vote_document", kwargs={"pk": self.vote_id, "doc": self.pk})

    @property
    def download_name(self):
        return typed_filename(f"umlaufbeschluss-{self.vote_id}-{self.pk}", self.content_type)


class Ballot(models.Model):
    """One vote of a member, with who cast it and when. A changed vote is kept, no longer
    current: only the current ballot of each member counts."""

    class Choice(models.TextChoices):
        YES = "ja", _("Ja")
        NO = "nein", _("Nein")
        ABSTAIN = "enthaltung", _("Enthaltung")

    vote = models.ForeignKey(
        WrittenVote,
        on_delete=models.CASCADE,
        related_name="ballots",
        verbose_name=_("Umlaufbeschluss"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("Mitglied")
    )
    choice = models.CharField(_("Stimme"), max_length=12, choices=Choice)
    deputy_name = models.CharField(
        _("abgegeben durch Vertretung"),
        max_length=200,
        blank=True,
        help_text=_("Wer an Stelle des Mitglieds entschieden hat, wenn die Abstimmung es erlaubt."),
    )
    cast_at = models.DateTimeField(_("abgegeben am"), default=timezone.now)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("abgegeben über den Zugang"),
    )
    is_current = models.BooleanField(_("gilt"), default=True)

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        ordering = ["vote", "person__last_name", "person__first_name", "-cast_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "person"],
                condition=Q(is_current=True),
                name="one_current_ballot_per_member",
            )
        ]

    get_choice_display = choice_display(Choice, "choice")

    def __str__(self):
        return f"{self.person}: {self.get_choice_display()}"
