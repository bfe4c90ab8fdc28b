"""The admin of meetings: agenda, documents, replies, attendance, decisions and tasks on one
page; preparing the next meeting."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from koss.core.admin import RelevantSearchResultsMixin
from koss.core.history import HistoryAdmin

from ..models import (
    AgendaItem,
    Attendance,
    Board,
    Meeting,
    Outcome,
    Reply,
)
from .common import ReadOnlyInline
from .documents import DocumentInline
from .notices import MeetingNoticeMixin
from .outcomes import OutcomeInline, previous_status
from .polls import ReadStatusMixin


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    # Small fields, so that the agenda rows fit the page at 1280 px.
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 40})},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
        models.PositiveSmallIntegerField: {
            "widget": forms.NumberInput(attrs={"class": "vSmallField"})
        },
    }


class ReplyInline(ReadOnlyInline):
    model = Reply
    fields = ["person", "answer", "deputy_name", "comment", "replied_at"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["person", "status", "represented_by"]
    autocomplete_fields = ["person"]
    verbose_name_plural = _(
        "Anwesenheit (mit der Aktion „Anwesenheit aus den Rückmeldungen vorbelegen“ vorbelegt)"
    )


@admin.register(Meeting)
class MeetingAdmin(MeetingNoticeMixin, ReadStatusMixin, RelevantSearchResultsMixin, HistoryAdmin):
    # Saved, compared and restored together with the meeting.
    history_follow = ["agenda_items"]
    # The board is a filter, not a column: the list fits 1280 px beside the menu and filters.
    list_display = ["title", "location", "status", "reply_summary"]
    list_filter = ["board", "status"]
    search_fields = ["location", "public_summary", "agenda_items__title"]
    date_hierarchy = "starts_at"
    readonly_fields = ["announcement"]
    inlines = [AgendaItemInline, DocumentInline, OutcomeInline, ReplyInline, AttendanceInline]
    actions = [
        "prepare_meeting",
        "publish_documents",
        "prefill_attendance",
        "put_open_tasks_on_agenda",
    ]

    class Media:
        css = {"all": ["css/admin-board.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("board")
            .annotate(
                attending_count=Count("replies", filter=Q(replies__answer__in=Reply.COMING)),
                declining_count=Count("replies", filter=Q(replies__answer=Reply.Answer.NO)),
            )
        )

    @admin.display(description=_("Sitzung"), ordering="starts_at")
    def title(self, meeting):
        if meeting.is_announced:
            return str(meeting)
        return format_html(
            '{} <span class="meeting-preparing">{}</span>', meeting, _("in Vorbereitung")
        )

    @admin.display(description=_("Bekanntgabe"))
    def announcement(self, meeting):
        if meeting.pk is None or not meeting.is_announced:
            return _(
                "in Vorbereitung – nur die Redaktion sieht die Sitzung, bis Sie sie mit "
                "„Sichern und veröffentlichen …“ bekanntgeben"
            )
        return _("bekanntgegeben am %(date)s") % {
            "date": date_format(timezone.localtime(meeting.announced_at), "DATETIME_FORMAT")
        }

    @admin.display(description=_("Rückmeldungen"), ordering="attending_count")
    def reply_summary(self, meeting):
        # A deputy fills the seat: counted with those who come.
        return _("%(yes)d ja, %(no)d nein") % {
            "yes": meeting.attending_count,
            "no": meeting.declining_count,
        }

    def get_search_results(self, request, queryset, search_term):
        # "9", "9. Sitzung", "16.01.2027": by number and German date, besides the text fields.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        found = results | queryset.matching(search_term)
        # Combining drops the default ordering, which the autocomplete's pages rely on.
        return found.order_by(*Meeting._meta.ordering, "pk"), may_have_duplicates

    def get_changeform_initial_data(self, request):
        """A new meeting starts as the current board's next: number, place and time suggested
        from its latest meeting."""
        board = Board.objects.filter(is_current=True).first()
        suggested = Meeting.suggested_for(board)
        initial = {
            "board": board,
            "number": suggested.number,
            "starts_at": suggested.starts_at,
            "ends_at": suggested.ends_at,
            "location": suggested.location,
        }
        initial = {name: value for name, value in initial.items() if value}
        return {**initial, **super().get_changeform_initial_data(request)}

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/vorbereiten/",
                view(self.prepare_view),
                name="advisory_board_meeting_prepare",
            ),
            path(
                "<int:object_id>/veroeffentlichen/",
                view(self.publish_view),
                name="advisory_board_meeting_publish",
            ),
            path(
                "<int:object_id>/veroeffentlichen/einladen/",
                view(self.invite_view),
                name="advisory_board_meeting_invite",
            ),
            path(
                "<int:object_id>/erinnern/",
                view(self.remind_view),
                name="advisory_board_meeting_remind",
            ),
            *self.read_status_urls(),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        latest = (
            Meeting.objects.filter(board__is_current=True).order_by("-starts_at").first()
            if self.has_add_permission(request)
            else None
        )
        return super().changelist_view(request, {"latest_meeting": latest, **(extra_context or {})})

    def prepare_view(self, request, object_id):
        # It creates a meeting: only by a form's POST, never by following a link.
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return self.prepare_and_open(request, get_object_or_404(Meeting, pk=object_id))

    def prepare_and_open(self, request, meeting):
        if not self.has_add_permission(request):
            raise PermissionDenied
        prepared = meeting.prepare_next()
        self.log_addition(request, prepared, [{"added": {}}])
        self.message_user(
            request,
            _(
                "Die %(meeting)s ist vorbereitet, mit der Tagesordnung der %(previous)s. "
                "Prüfen Sie Datum und Tagesordnung und fügen Sie die Dokumente hinzu."
            )
            % {"meeting": prepared, "previous": meeting},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:advisory_board_meeting_change", args=[prepared.pk])
        )

    @admin.action(description=_("Nächste Sitzung mit dieser Tagesordnung vorbereiten"))
    def prepare_meeting(self, request, queryset):
        meeting = self.only_one(
            request,
            queryset,
            _("Bitte wählen Sie genau eine Sitzung aus, deren Tagesordnung Sie übernehmen."),
        )
        return meeting and self.prepare_and_open(request, meeting)

    def only_one(self, request, queryset, warning):
        """The one meeting an action works on; with more or none chosen, the warning."""
        if len(queryset) != 1:
            self.message_user(request, warning, messages.WARNING)
            return None
        return queryset[0]

    def response_add(self, request, obj, post_url_continue=None):
        if "_publish" in request.POST:
            return self.to_publish(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            return self.to_publish(request, obj)
        return super().response_change(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Outcome:
            return super().save_formset(request, form, formset, change)
        # Saved one by one, so that each change of status is recorded with who made it.
        formset.save(commit=False)
        for outcome in formset.deleted_objects:
            outcome.delete()
        for outcome_form in formset.forms:
            if outcome_form in formset.deleted_forms or not outcome_form.has_changed():
                continue
            outcome_form.instance.save_with_history(
                previous_status=previous_status(outcome_form), user=request.user
            )
        return None

    @admin.action(description=_("Anwesenheit aus den Rückmeldungen vorbelegen"))
    def prefill_attendance(self, request, queryset):
        due = []
        for meeting in queryset:
            if meeting.takes_attendance:
                due.append(meeting)
            else:
                # Entries taken from the replies would tell who said yes before the meeting.
                self.message_user(
                    request,
                    f"{meeting}: {Attendance.before_the_day_message(meeting)}",
                    messages.WARNING,
                )
        if not due:
            return
        added = sum(Attendance.objects.prefill(meeting) for meeting in due)
        self.message_user(
            request,
            ngettext(
                "%(count)d Eintrag zur Anwesenheit vorbelegt. Bitte prüfen Sie ihn in der Sitzung.",
                "%(count)d Einträge zur Anwesenheit vorbelegt. Bitte prüfen Sie sie in der Sitzung.",
                added,
            )
            % {"count": added},
            messages.SUCCESS if added else messages.INFO,
        )

    @admin.action(description=_("Offene Aufgaben als Tagesordnungspunkt übernehmen"))
    def put_open_tasks_on_agenda(self, request, queryset):
        for meeting in queryset.select_related("board"):
            if meeting.status != Meeting.Status.PLANNED:
                self.message_user(
                    request,
                    _("%(meeting)s: Offene Aufgaben übernehmen nur geplante Sitzungen.")
                    % {"meeting": meeting},
                    messages.WARNING,
                )
                continue
            item, count = Outcome.objects.put_on_agenda(meeting)
            if item is None:
                self.message_user(
                    request,
                    _("%(meeting)s: Es gibt keine offenen Aufgaben.") % {"meeting": meeting},
                    messages.INFO,
                )
                continue
            self.message_user(
                request,
                ngettext(
                    "%(meeting)s: %(count)d offene Aufgabe steht unter %(item)s.",
                    "%(meeting)s: %(count)d offene Aufgaben stehen unter %(item)s.",
                    count,
                )
                % {"meeting": meeting, "count": count, "item": item},
                messages.SUCCESS,
            )
