"""The admin of decisions and tasks, each with the form that fits its kind."""

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..forms import DocumentAdminForm
from ..models import (
    AgendaItem,
    Outcome,
    OutcomeStatusChange,
)
from .common import ReadOnlyInline

RESPONSIBLE = _("Verantwortlich")


RESPONSIBLE_HELP = _(
    "Wer die Aufgabe erledigt: eine Person des Beirats, eine Partnerorganisation oder ein "
    "freier Text – nur eines davon."
)


def statuses_by_kind():
    """The statuses grouped under the kind they fit, for one list to choose from."""
    return [
        (Outcome.Kind(kind).label, [(status, Outcome.Status(status).label) for status in statuses])
        for kind, statuses in Outcome.STATUSES.items()
    ]


class OutcomeInlineForm(forms.ModelForm):
    """Decisions and tasks share a row: the statuses are grouped by the kind they fit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = statuses_by_kind()


class OutcomeInline(admin.StackedInline):
    model = Outcome
    form = OutcomeInlineForm
    extra = 0
    fieldsets = [
        (None, {"fields": [("kind", "agenda_item"), "text", ("status", "due_on")]}),
        (
            _("Verantwortlich (nur bei Aufgaben)"),
            {
                "fields": [("responsible_person", "responsible_partner", "responsible")],
                "description": RESPONSIBLE_HELP,
            },
        ),
    ]
    autocomplete_fields = ["responsible_person", "responsible_partner"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})}
    }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the agenda of the meeting being edited.
        if db_field.name == "agenda_item":
            meeting_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = AgendaItem.objects.filter(meeting_id=meeting_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def previous_status(form):
    """The status an outcome had before this form: "" for a new one."""
    return "" if form.instance._state.adding else form.initial.get("status", "")


class OutcomeAdminForm(DocumentAdminForm):
    """Offers the agenda of the outcome's meeting only, as for documents, and the statuses that
    fit the kind."""

    class Meta(DocumentAdminForm.Meta):
        model = Outcome
        fields = [
            "meeting",
            "agenda_item",
            "kind",
            "text",
            "responsible_person",
            "responsible_partner",
            "responsible",
            "due_on",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.kind()
        if "status" in self.fields and kind in Outcome.STATUSES:
            statuses = Outcome.STATUSES[kind]
            self.fields["status"].choices = [
                (status, Outcome.Status(status).label) for status in statuses
            ]
            if self.instance._state.adding:
                self.initial["status"] = statuses[0]

    def kind(self):
        """The kind being entered: as posted, else as saved or asked for in the address."""
        if self.is_bound:
            return self.data.get(self.add_prefix("kind"))
        return self.get_initial_for_field(self.fields["kind"], "kind")


class OutcomeStatusChangeInline(ReadOnlyInline):
    model = OutcomeStatusChange
    fields = ["changed_at", "old_status", "new_status", "changed_by"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    form = OutcomeAdminForm
    # Short columns and a short meeting label: the list fits 1280 px beside the filters.
    list_display = ["text_short", "kind", "status", "due_on", "responsible_names", "meeting_short"]
    list_filter = ["status", "kind", "meeting__board"]
    search_fields = ["text", "responsible"]
    list_select_related = ["meeting", "responsible_person", "responsible_partner"]
    autocomplete_fields = ["meeting", "responsible_person", "responsible_partner"]
    readonly_fields = ["status_changed_at"]
    inlines = [OutcomeStatusChangeInline]
    actions = ["mark_in_progress", "mark_done", "mark_implemented"]

    def kind(self, request, obj):
        """The kind the form is for: the saved one, else the one posted or asked for."""
        if obj is not None:
            return obj.kind
        kind = request.POST.get("kind") or request.GET.get("kind")
        return kind if kind in Outcome.Kind.values else Outcome.Kind.TASK

    def get_fieldsets(self, request, obj=None):
        what = {"fields": ["meeting", "agenda_item", "kind", "text"]}
        if self.kind(request, obj) == Outcome.Kind.TASK:
            return [
                (None, what),
                (
                    RESPONSIBLE,
                    {
                        "fields": ["responsible_person", "responsible_partner", "responsible"],
                        "description": RESPONSIBLE_HELP,
                    },
                ),
                (_("Frist und Stand"), {"fields": ["due_on", "status", "status_changed_at"]}),
            ]
        fieldsets = [(None, what), (_("Stand"), {"fields": ["status", "status_changed_at"]})]
        # Entered before a decision had none: shown, so that it can be emptied.
        left = [
            name
            for name in ("responsible", "responsible_person", "responsible_partner", "due_on")
            if obj is not None and getattr(obj, name)
        ]
        if left:
            fieldsets.append(
                (
                    _("Nur für Aufgaben – bitte leeren"),
                    {
                        "fields": left,
                        "description": _(
                            "Ein Beschluss hat keine Verantwortlichen und keine Frist; legen Sie "
                            "dafür eine Aufgabe an."
                        ),
                    },
                )
            )
        return fieldsets

    def add_view(self, request, form_url="", extra_context=None):
        title = (
            _("Beschluss hinzufügen")
            if self.kind(request, None) == Outcome.Kind.DECISION
            else _("Aufgabe hinzufügen")
        )
        return super().add_view(request, form_url, {"title": title, **(extra_context or {})})

    @admin.display(description=_("Wortlaut"), ordering="text")
    def text_short(self, outcome):
        return Truncator(outcome.text).chars(70)

    @admin.display(description=_("verantwortlich"))
    def responsible_names(self, outcome):
        return outcome.responsible_names

    @admin.display(description=_("Sitzung"), ordering="meeting__starts_at")
    def meeting_short(self, outcome):
        return _("%(number)s. Sitzung, %(date)s") % {
            "number": outcome.meeting.number,
            "date": timezone.localtime(outcome.meeting.starts_at).strftime("%d.%m.%Y"),
        }

    def save_model(self, request, obj, form, change):
        obj.save_with_history(previous_status=previous_status(form), user=request.user)

    def set_status(self, request, queryset, status):
        changed = skipped = 0
        # The lock holds until every change and its history are saved: one transaction, which
        # the admin does not open for an action. Only the outcomes are locked: the list's order
        # joins meetings and agenda items, which PostgreSQL cannot lock on the nullable side of
        # an outer join.
        with transaction.atomic():
            for outcome in queryset.select_for_update(of=("self",)):
                if status not in Outcome.STATUSES[outcome.kind]:
                    skipped += 1
                elif outcome.status != status:
                    previous, outcome.status = outcome.status, status
                    outcome.save_with_history(previous_status=previous, user=request.user)
                    changed += 1
        self.message_user(
            request,
            ngettext(
                "Stand von %(count)d Eintrag geändert.",
                "Stand von %(count)d Einträgen geändert.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS,
        )
        if skipped:
            decision = status in Outcome.STATUSES[Outcome.Kind.TASK]
            self.message_user(
                request,
                (
                    ngettext(
                        "%(count)d Beschluss nicht geändert: Der Stand „%(status)s“ gilt nur "
                        "für Aufgaben.",
                        "%(count)d Beschlüsse nicht geändert: Der Stand „%(status)s“ gilt nur "
                        "für Aufgaben.",
                        skipped,
                    )
                    if decision
                    else ngettext(
                        "%(count)d Aufgabe nicht geändert: Der Stand „%(status)s“ gilt nur "
                        "für Beschlüsse.",
                        "%(count)d Aufgaben nicht geändert: Der Stand „%(status)s“ gilt nur "
                        "für Beschlüsse.",
                        skipped,
                    )
                )
                % {"count": skipped, "status": Outcome.Status(status).label},
                messages.WARNING,
            )

    @admin.action(description=_("Aufgabe: in Bearbeitung"))
    def mark_in_progress(self, request, queryset):
        self.set_status(request, queryset, Outcome.Status.IN_PROGRESS)

    @admin.action(description=_("Aufgabe: erledigt"))
    def mark_done(self, request, queryset):
        self.set_status(request, queryset, Outcome.Status.DONE)

    @admin.action(description=_("Beschluss: umgesetzt"))
    def mark_implemented(self, request, queryset):
        self.set_status(request, queryset, Outcome.Status.IMPLEMENTED)
