"""Between the meetings in the back office: date polls (start, the table of answers, choosing
the date) and, on each meeting, who has opened which document, with the reminder to open the
invitation."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Board, DatePoll, DatePollAnswer, DatePollOption, Meeting, read_status
from ..poll_emails import announce_chosen_date, invite_to_poll, remind_to_open_invitation


class OptionForm(forms.ModelForm):
    class Meta:
        model = DatePollOption
        fields = ["starts_at"]

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at <= timezone.now():
            raise ValidationError(_("Bitte schlagen Sie einen Termin in der Zukunft vor."))
        return starts_at


class OptionFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        "too_few_forms": _("Bitte schlagen Sie mindestens zwei Termine vor."),
        "too_many_forms": _("Bitte schlagen Sie höchstens sechs Termine vor."),
    }

    def clean(self):
        # In place of the model formset's check of unique values, which names the field by its
        # code name: the same check, in the Redaktion's words.
        starts = [
            form.cleaned_data["starts_at"]
            for form in self.forms
            if form.cleaned_data.get("starts_at") and not self._should_delete_form(form)
        ]
        if len(starts) != len(set(starts)):
            raise ValidationError(_("Jeder Termin darf nur einmal vorkommen."))


class DatePollOptionInline(admin.TabularInline):
    model = DatePollOption
    form = OptionForm
    formset = OptionFormSet
    min_num = DatePoll.MIN_OPTIONS
    max_num = DatePoll.MAX_OPTIONS
    extra = 0
    verbose_name_plural = _("Terminvorschläge (zwei bis sechs)")

    def get_formset(self, request, obj=None, **kwargs):
        # Two to six dates, checked: the admin passes min_num and max_num without validating.
        return super().get_formset(request, obj, validate_min=True, validate_max=True, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Members answered these dates: once the poll runs, they stay as they were asked.
        return obj is None and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return obj is None and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None and super().has_delete_permission(request, obj)


@admin.register(DatePoll)
class DatePollAdmin(admin.ModelAdmin):
    list_display = ["title", "answer_until", "state", "results_link"]
    list_filter = ["board"]
    fields = ["board", "title", "note", "answer_until"]
    inlines = [DatePollOptionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("chosen_option")

    @admin.display(description=_("Stand"))
    def state(self, poll):
        if poll.is_decided:
            return _("entschieden: %(date)s") % {"date": poll.chosen_option.label}
        if poll.is_open:
            return _("läuft")
        return _("beendet, Termin noch nicht gewählt")

    @admin.display(description=_("Auswertung"))
    def results_link(self, poll):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:advisory_board_datepoll_results", args=[poll.pk]),
            _("Antworten ansehen und Termin wählen"),
        )

    def get_readonly_fields(self, request, obj=None):
        # The board of a running poll stays: its members were asked.
        return ["board"] if obj else []

    def suggestion(self):
        return DatePoll.suggested_for(Board.objects.filter(is_current=True).first())

    def get_changeform_initial_data(self, request):
        """A new poll for the current board's next meeting: its title, two weeks to answer."""
        poll, _starts = self.suggestion()
        initial = {"title": poll.title, "answer_until": poll.answer_until}
        if poll.board_id:
            initial["board"] = poll.board_id
        return {**initial, **super().get_changeform_initial_data(request)}

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """The first two dates suggested as Meeting.suggested_for() places the next meeting, a
        week apart; staff change them and add more."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj.pk is None and request.method == "GET":
            _poll, starts = self.suggestion()
            kwargs["initial"] = [{"starts_at": start} for start in starts]
        return kwargs

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # Inside the admin's transaction: the poll and its mails are stored together.
        count = invite_to_poll(obj)
        self.message_user(
            request,
            ngettext(
                "Die Terminabstimmung läuft. %(count)d Mitglied wird per E-Mail gefragt.",
                "Die Terminabstimmung läuft. %(count)d Mitglieder werden per E-Mail gefragt.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:advisory_board_datepoll_results", args=[obj.pk]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/auswertung/",
                view(self.results_view),
                name="advisory_board_datepoll_results",
            ),
            path(
                "<int:object_id>/waehlen/",
                view(self.choose_view),
                name="advisory_board_datepoll_choose",
            ),
            *super().get_urls(),
        ]

    def results_view(self, request, object_id):
        """The table: every current member × every date, the counts, and a button per date."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        poll = get_object_or_404(
            DatePoll.objects.select_related("board", "chosen_option", "meeting"), pk=object_id
        )
        options, rows = poll.table()
        context = {
            **self.admin_site.each_context(request),
            "title": poll.title,
            "opts": self.model._meta,
            "poll": poll,
            "options": options,
            "rows": rows,
            "waiting": sum(1 for row in rows if not any(row.answers)),
            "can_choose": self.has_change_permission(request, poll) and not poll.is_decided,
            "Answer": DatePollAnswer.Answer,
        }
        return TemplateResponse(request, "admin/advisory_board/datepoll/results.html", context)

    def choose_view(self, request, object_id):
        """Choose a date: the meeting is prepared from the board's latest and everyone is told."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        poll = get_object_or_404(DatePoll.objects.select_related("board"), pk=object_id)
        if not self.has_change_permission(request, poll) or not self.admin_site._registry[
            Meeting
        ].has_add_permission(request):
            raise PermissionDenied
        results = reverse("admin:advisory_board_datepoll_results", args=[poll.pk])
        chosen = request.POST.get("termin", "")
        option = poll.options.filter(pk=chosen).first() if chosen.isdigit() else None
        if option is None:
            self.message_user(request, _("Bitte wählen Sie einen der Termine."), messages.WARNING)
            return HttpResponseRedirect(results)
        try:
            with transaction.atomic():
                meeting = poll.choose(option)
                count = announce_chosen_date(poll)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.WARNING)
            return HttpResponseRedirect(results)
        self.log_addition(request, meeting, [{"added": {}}])
        self.message_user(
            request,
            ngettext(
                "Der Termin steht fest: %(date)s. Die %(meeting)s ist in Vorbereitung; "
                "%(count)d Mitglied wird benachrichtigt.",
                "Der Termin steht fest: %(date)s. Die %(meeting)s ist in Vorbereitung; "
                "%(count)d Mitglieder werden benachrichtigt.",
                count,
            )
            % {"date": option.label, "meeting": meeting, "count": count},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:advisory_board_meeting_change", args=[meeting.pk])
        )


class ReadStatusMixin:
    """The read status of MeetingAdmin: who has opened which document of the meeting."""

    def read_status_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/gelesen/",
                view(self.read_status_view),
                name="advisory_board_meeting_read_status",
            ),
            path(
                "<int:object_id>/gelesen/erinnern/",
                view(self.remind_invitation_view),
                name="advisory_board_meeting_remind_invitation",
            ),
        ]

    def read_status_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=object_id)
        documents, rows = read_status(meeting)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Wer hat was geöffnet? – %(meeting)s") % {"meeting": meeting},
            "opts": self.model._meta,
            "meeting": meeting,
            "documents": documents,
            "rows": rows,
            "has_invitation": any(document.is_invitation for document in documents),
            # Who the reminder reaches: members with a login who have not opened it.
            "unopened": sum(1 for row in rows if row.person.user_id and not row.opened_invitation),
            "can_remind": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/advisory_board/meeting/read_status.html", context)

    def remind_invitation_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=object_id)
        back = HttpResponseRedirect(
            reverse("admin:advisory_board_meeting_read_status", args=[meeting.pk])
        )
        if not (meeting.is_announced and meeting.is_upcoming):
            self.message_user(
                request,
                _("%(meeting)s: Erinnert wird nur an angekündigte, bevorstehende Sitzungen.")
                % {"meeting": meeting},
                messages.WARNING,
            )
            return back
        with transaction.atomic():
            Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
            count = remind_to_open_invitation(meeting)
        self.message_user(
            request,
            ngettext(
                "%(meeting)s: Eine Erinnerung an %(count)d Mitglied, das die Einladung noch nicht "
                "geöffnet hat, wird versandt.",
                "%(meeting)s: Erinnerungen an %(count)d Mitglieder, die die Einladung noch nicht "
                "geöffnet haben, werden versandt.",
                count,
            )
            % {"meeting": meeting, "count": count},
            messages.SUCCESS if count else messages.INFO,
        )
        return back
