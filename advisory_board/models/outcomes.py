"""What a meeting decides and hands out: decisions and tasks, with the history of their
status."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from koss.core.choices import choice_display
from koss.core.querysets import has_staff_rights
from partners.models import Partner

from .meetings import AgendaItem, Meeting
from .people import Membership, Person


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
            "meeting",
            "agenda_item",
            "responsible_person",
            "responsible_partner",
            # The written vote a decision comes from (models/votes.py), if any.
            "written_vote",
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
