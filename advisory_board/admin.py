from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from koss.core.admin import CheckedFileLinksMixin, GermanSlugAdminMixin, RelevantSearchResultsMixin
from koss.core.rights import AccountOutranksActor, outranks

from .emails import (
    invite_person,
    notice,
    notice_coverage,
    notify_new_documents,
    remind_to_reply,
)
from .forms import DocumentAdminForm, DocumentInlineForm, DocumentInlineFormSet
from .models import (
    AgendaItem,
    Attendance,
    Board,
    Document,
    DocumentVersion,
    DownloadLog,
    Meeting,
    Membership,
    MinutesComment,
    Outcome,
    OutcomeStatusChange,
    Person,
    Reply,
    Term,
)


class ReadOnlyInline(admin.TabularInline):
    """Records the site writes (replies, earlier versions): staff read them, never edit them."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(Board)
class BoardAdmin(GermanSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "constituted_on", "is_current"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [TermInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["partner"]
    fields = ["board", "role", "organisation", "partner", "starts_on", "ends_on", "public_consent"]


@admin.register(Person)
class PersonAdmin(RelevantSearchResultsMixin, admin.ModelAdmin):
    # One name column, so that role, organisation and membership fit 1280 px.
    list_display = ["name", "role", "organisation", "is_member", "has_login", "last_visit_at"]
    search_fields = ["last_name", "first_name", "email", "memberships__organisation"]
    list_filter = ["memberships__board", "memberships__role"]
    readonly_fields = ["user", "last_visit_at", "seen_until"]
    inlines = [MembershipInline]
    actions = ["send_invitation"]

    class Media:
        css = {"all": ["css/admin-board.css"]}

    def get_readonly_fields(self, request, obj=None):
        # The address an invitation goes to is not for those with fewer rights than the login.
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and outranks(obj.user, request.user):
            return [*fields, "email"]
        return fields

    def get_queryset(self, request):
        # One query for the people and one for all their memberships, however long the list.
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .annotate(is_current=Exists(Membership.objects.current().filter(person=OuterRef("pk"))))
            .prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.order_by("-starts_on"))
            )
        )

    def membership(self, person):
        """The membership the list shows: a current one, else the latest."""
        memberships = person.memberships.all()
        today = timezone.localdate()
        current = [
            m for m in memberships if m.starts_on <= today and (not m.ends_on or m.ends_on >= today)
        ]
        return (current or memberships or [None])[0]

    @admin.display(description=_("Name"), ordering="last_name")
    def name(self, person):
        return f"{person.last_name}, {person.first_name}"

    @admin.display(description=_("Rolle"))
    def role(self, person):
        membership = self.membership(person)
        return membership.get_role_display() if membership else "–"

    @admin.display(description=_("vertritt"))
    def organisation(self, person):
        membership = self.membership(person)
        return (membership.organisation or "–") if membership else "–"

    @admin.display(boolean=True, description=_("Mitglied"), ordering="is_current")
    def is_member(self, person):
        return person.is_current

    @admin.display(boolean=True, description=_("Zugang"))
    def has_login(self, person):
        return person.user_id is not None and person.user.has_usable_password()

    @admin.action(description=_("Einladung zum Mitgliederbereich per E-Mail senden"))
    def send_invitation(self, request, queryset):
        send_invitations(request, queryset)


def send_invitations(request, people):
    """Invite each person with an address; the one way staff invite, from the people's list and
    from the confirmation of a notice. An account that holds rights the acting person lacks is
    left alone, with the refusal."""
    sent, missing, refused = 0, [], []
    with transaction.atomic():
        for person in people:
            if not person.email:
                missing.append(str(person))
                continue
            try:
                invite_person(request, person)
            except AccountOutranksActor as refusal:
                refused.append(str(refusal))
                continue
            sent += 1
    for refusal in refused:
        messages.error(request, refusal)
    if sent:
        messages.success(
            request,
            ngettext("%d Einladung verschickt.", "%d Einladungen verschickt.", sent) % sent,
        )
    if missing:
        messages.warning(request, _("Ohne E-Mail-Adresse keine Einladung: %s") % ", ".join(missing))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "board",
        "role",
        "organisation",
        "starts_on",
        "ends_on",
        "public_consent",
    ]
    list_filter = ["board", "role", "public_consent"]
    search_fields = ["person__last_name", "person__first_name", "organisation"]
    autocomplete_fields = ["person", "partner"]
    list_select_related = ["person", "board"]


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


# The query parameter that carries the page to return to after saving a document.
WAY_BACK = "zurueck"


def published_on(document):
    """The day a document is (or will be) released, short, for lists and rows."""
    if document.published_at is None:
        return "–"
    return date_format(timezone.localtime(document.published_at), "SHORT_DATE_FORMAT")


def document_url(file):
    return file.instance.get_absolute_url()


class DocumentInline(CheckedFileLinksMixin, admin.TabularInline):
    """Documents are added on the meeting page, each tied to an agenda item by its number."""

    model = Document
    form = DocumentInlineForm
    formset = DocumentInlineFormSet
    file_urls = {"file": document_url}
    extra = 0
    fields = [
        "kind",
        "title",
        "top",
        "visibility",
        "file",
        "published_on",
        "minutes_status",
        "edit_link",
    ]
    readonly_fields = ["published_on", "minutes_status", "edit_link"]

    @admin.display(description=_("Seite des Dokuments"))
    def edit_link(self, document):
        # Saved there, the document leads back to this meeting (DocumentAdmin.way_back).
        if document.pk is None:
            return "–"
        change = reverse("admin:advisory_board_document_change", args=[document.pk])
        back = reverse("admin:advisory_board_meeting_change", args=[document.meeting_id])
        return format_html(
            '<a href="{}?{}">{}</a>', change, urlencode({WAY_BACK: back}), _("Bearbeiten")
        )

    @admin.display(description=_("veröffentlicht"))
    def published_on(self, document):
        return published_on(document)

    @admin.display(description=_("Protokollstatus"))
    def minutes_status(self, document):
        return minutes_status(document)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agenda_item")


class ReplyInline(ReadOnlyInline):
    model = Reply
    fields = ["person", "answer", "deputy_name", "comment", "replied_at"]


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


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["person", "status", "represented_by"]
    autocomplete_fields = ["person"]
    verbose_name_plural = _(
        "Anwesenheit (mit der Aktion „Anwesenheit aus den Rückmeldungen vorbelegen“ vorbelegt)"
    )


def previous_status(form):
    """The status an outcome had before this form: "" for a new one."""
    return "" if form.instance._state.adding else form.initial.get("status", "")


@admin.register(Meeting)
class MeetingAdmin(RelevantSearchResultsMixin, admin.ModelAdmin):
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

    def publish_view(self, request, object_id):
        """The confirmation of "publish and notify" for one meeting, reached from its page."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=object_id)
        return self.confirm_and_publish(request, meeting) or HttpResponseRedirect(
            reverse("admin:advisory_board_meeting_changelist")
        )

    def response_add(self, request, obj, post_url_continue=None):
        if "_publish" in request.POST:
            return self.to_publish(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            return self.to_publish(request, obj)
        return super().response_change(request, obj)

    def to_publish(self, request, meeting):
        self.message_user(request, _("Die %(meeting)s ist gespeichert.") % {"meeting": meeting})
        return HttpResponseRedirect(
            reverse("admin:advisory_board_meeting_publish", args=[meeting.pk])
        )

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

    @admin.action(description=_("Dokumente veröffentlichen und Mitglieder benachrichtigen …"))
    def publish_documents(self, request, queryset):
        meeting = self.only_one(
            request,
            queryset,
            _("Bitte wählen Sie genau eine Sitzung aus, deren Dokumente Sie veröffentlichen."),
        )
        return meeting and self.confirm_and_publish(request, meeting)

    def invite_view(self, request, object_id):
        """Invite, from the confirmation of a notice, a member it would miss for want of a login;
        then back to the confirmation, with the documents as they were chosen."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.admin_site._registry[Person].has_change_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=object_id)
        invitable = {
            missed.person.pk: missed.person
            for missed in notice_coverage(meeting).missed
            if missed.can_invite
        }
        chosen = [
            invitable[int(v)]
            for v in request.POST.getlist("einladen")
            if v.isdigit() and int(v) in invitable
        ]
        if chosen:
            send_invitations(request, chosen)
        else:
            self.message_user(
                request,
                _("Niemand eingeladen: Die Person ist kein Mitglied ohne Zugang mehr."),
                messages.WARNING,
            )
        state = QueryDict(mutable=True)
        state["auswahl"] = "1"
        state.setlist("dokument", [v for v in request.POST.getlist("dokument") if v.isdigit()])
        url = reverse("admin:advisory_board_meeting_publish", args=[meeting.pk])
        return HttpResponseRedirect(f"{url}?{state.urlencode()}")

    def remind_view(self, request, object_id):
        """Remind the members who have not replied to the next meeting (from the start page)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=object_id)
        if not (meeting.is_announced and meeting.is_upcoming):
            self.message_user(
                request,
                _("%(meeting)s: Erinnert wird nur an angekündigte, bevorstehende Sitzungen.")
                % {"meeting": meeting},
                messages.WARNING,
            )
            return HttpResponseRedirect(reverse("admin:index"))
        with transaction.atomic():
            count = remind_to_reply(meeting)
        self.message_user(
            request,
            ngettext(
                "%(meeting)s: Eine Erinnerung an %(count)d Mitglied ohne Rückmeldung wird "
                "versandt.",
                "%(meeting)s: Erinnerungen an %(count)d Mitglieder ohne Rückmeldung werden "
                "versandt.",
                count,
            )
            % {"meeting": meeting, "count": count},
            messages.SUCCESS if count else messages.INFO,
        )
        return HttpResponseRedirect(reverse("admin:index"))

    def confirm_and_publish(self, request, meeting):
        """First a page to confirm what is published and who is told; only what is confirmed
        there is published, and the notices are queued with it. A prepared meeting is announced
        by the same confirmation: from then on the public and the members see it."""
        waiting = (
            meeting.documents.filter(notified_at__isnull=True)
            .exclude(visibility=Document.Visibility.STAFF)
            .order_by("pk")
        )
        if request.method != "POST" or "bestaetigt" not in request.POST:
            documents = list(waiting)
            # Back from an invitation: the documents as they were chosen before.
            chosen = None
            if request.GET.get("auswahl") == "1":
                chosen = {int(v) for v in request.GET.getlist("dokument") if v.isdigit()}
            subject, body = notice(meeting, documents)
            coverage = notice_coverage(meeting)
            context = {
                **self.admin_site.each_context(request),
                "title": _("Dokumente veröffentlichen und benachrichtigen"),
                "opts": self.model._meta,
                "meeting": meeting,
                "announcing": not meeting.is_announced,
                "documents": documents,
                "held_back": {
                    document.pk
                    for document in documents
                    if chosen is not None and document.pk not in chosen
                },
                "recipients": list(coverage.recipients.items()),
                "missed": coverage.missed,
                "can_invite": self.admin_site._registry[Person].has_change_permission(request),
                "subject": subject,
                "body": body,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/advisory_board/meeting/publish_documents.html", context
            )
        chosen = [value for value in request.POST.getlist("dokument") if value.isdigit()]
        now = timezone.now()
        with transaction.atomic():
            # Locked, so that two confirmations announce the meeting once.
            announced = bool(
                Meeting.objects.select_for_update()
                .filter(pk=meeting.pk, announced_at__isnull=True)
                .update(announced_at=now)
            )
            documents = list(waiting.select_for_update().filter(pk__in=chosen))
            for document in documents:
                document.published_at = document.published_at or now
                document.notified_at = now
            Document.objects.bulk_update(documents, ["published_at", "notified_at"])
            recipients = (
                notify_new_documents(request, meeting, documents) if documents or announced else 0
            )
        if not (documents or announced):
            self.message_user(
                request, _("Kein Dokument ausgewählt: nichts veröffentlicht."), messages.WARNING
            )
            return None
        parts = [str(_("bekanntgegeben"))] if announced else []
        if documents or not announced:
            parts.append(
                ngettext(
                    "%(count)d Dokument veröffentlicht",
                    "%(count)d Dokumente veröffentlicht",
                    len(documents),
                )
                % {"count": len(documents)}
            )
        parts.append(
            ngettext(
                "%(count)d Benachrichtigung wird versandt",
                "%(count)d Benachrichtigungen werden versandt",
                recipients,
            )
            % {"count": recipients}
        )
        self.message_user(request, f"{meeting}: {', '.join(parts)}.", messages.SUCCESS)
        return None


def minutes_status(document):
    """How staff see a document's place in the lifecycle of minutes, as members see it."""
    if not document.is_minutes:
        return "–"
    if document.approved_on:
        return _("genehmigt am %(date)s") % {"date": date_format(document.approved_on)}
    return _("Entwurf – noch nicht genehmigt")


class MinutesStatusFilter(admin.SimpleListFilter):
    title = _("Protokollstatus")
    parameter_name = "protokoll"

    def lookups(self, request, model_admin):
        return [("entwurf", _("Entwurf")), ("genehmigt", _("genehmigt"))]

    def queryset(self, request, queryset):
        if self.value() == "entwurf":
            return queryset.minutes_drafts()
        if self.value() == "genehmigt":
            return queryset.filter(kind=Document.Kind.MINUTES, approved_on__isnull=False)
        return queryset


class DocumentVersionInline(ReadOnlyInline):
    model = DocumentVersion
    fields = ["version", "download", "replaced_at"]

    @admin.display(description=_("Datei"))
    def download(self, version):
        return format_html('<a href="{}">{}</a>', version.get_absolute_url(), version.file.name)


@admin.register(Document)
class DocumentAdmin(CheckedFileLinksMixin, admin.ModelAdmin):
    form = DocumentAdminForm
    file_urls = {"file": document_url}
    # Kind and version are filters and on the document's page: the list fits 1280 px.
    list_display = [
        "title",
        "meeting",
        "visibility",
        "published_on",
        "minutes_status",
        "download_count",
    ]
    list_filter = ["visibility", "kind", MinutesStatusFilter, "meeting__board"]
    search_fields = ["title"]
    list_select_related = ["meeting"]
    readonly_fields = [
        "content_type",
        "size",
        "version",
        "changed_at",
        "notified_at",
        "comments",
    ]
    autocomplete_fields = ["meeting"]
    inlines = [DocumentVersionInline]
    actions = ["approve_minutes"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "meeting",
                    "agenda_item",
                    "kind",
                    "title",
                    "visibility",
                    "file",
                    "published_at",
                    "content_type",
                    "size",
                    "version",
                    "changed_at",
                    "notified_at",
                ]
            },
        ),
        (
            _("Genehmigung des Protokolls"),
            {
                "fields": ["approval_item", "approved_on", "comments"],
                "description": _(
                    "Ein Protokoll ist ein Entwurf, den die Mitglieder kommentieren, bis Sie das "
                    "Datum der Genehmigung eintragen. Frühere Fassungen bleiben erhalten."
                ),
            },
        ),
    ]

    @admin.display(description=_("Protokollstatus"), ordering="approved_on")
    def minutes_status(self, document):
        return minutes_status(document)

    def way_back(self, request):
        """The page a document was opened from (its meeting), if it is one of this site's."""
        url = request.GET.get(WAY_BACK, "")
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
        return None

    def keep_way_back(self, request, response):
        """Saved for good, back to the meeting; saved to go on ("weiter bearbeiten", "neu
        hinzufügen"), on to the next form with the way back still in hand."""
        back = self.way_back(request)
        if back is None or not isinstance(response, HttpResponseRedirect):
            return response
        if not {"_continue", "_addanother", "_saveasnew"} & set(request.POST):
            return HttpResponseRedirect(back)
        separator = "&" if "?" in response.url else "?"
        return HttpResponseRedirect(f"{response.url}{separator}{urlencode({WAY_BACK: back})}")

    def response_add(self, request, obj, post_url_continue=None):
        return self.keep_way_back(request, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self.keep_way_back(request, super().response_change(request, obj))

    @admin.display(description=_("Kommentare der Mitglieder"))
    def comments(self, document):
        # Read here, not in an inline: the change form's data stays the same for every kind.
        if document.pk is None:
            return "–"
        comments = document.comments.select_related("person")
        if not comments:
            return _("Keine Kommentare.")
        return format_html_join(
            "",
            "<p><strong>{}</strong>, {}, {}:<br>{}</p>",
            (
                (
                    comment.person,
                    date_format(timezone.localtime(comment.created_at), "DATETIME_FORMAT"),
                    _("zu Fassung %(version)d") % {"version": comment.version},
                    comment.text,
                )
                for comment in comments
            ),
        )

    @admin.action(
        description=_("Ausgewählte Protokolle als genehmigt markieren"), permissions=["change"]
    )
    def approve_minutes(self, request, queryset):
        """Approved on the day of the meeting that approves them, never before it: the rule of
        the change form (`Document.clean_approval`) holds for every draft chosen."""
        selected = queryset.count()
        candidates = queryset.minutes_drafts().select_related("meeting", "approval_item__meeting")
        today = timezone.localdate()
        drafts, refused = [], []
        for document in candidates:
            item = document.approval_item
            meeting_day = timezone.localdate(item.meeting.starts_at) if item else today
            document.approved_on = min(meeting_day, today)
            try:
                document.clean_approval()
            except ValidationError as error:
                refused.append((document, error.message_dict.get("approved_on", error.messages)))
                continue
            drafts.append(document)
        Document.objects.bulk_update(drafts, ["approved_on"])
        for document, errors in refused:
            self.message_user(
                request, f"{document}: {' '.join(str(e) for e in errors)}", messages.WARNING
            )
        skipped = selected - len(drafts) - len(refused)
        if drafts:
            self.message_user(
                request,
                ngettext(
                    "%(count)d Protokoll als genehmigt markiert.",
                    "%(count)d Protokolle als genehmigt markiert.",
                    len(drafts),
                )
                % {"count": len(drafts)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d Dokument übergangen: kein Protokollentwurf.",
                    "%(count)d Dokumente übergangen: keine Protokollentwürfe.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    class Media:
        css = {"all": ["css/admin-board.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(downloads_total=Count("downloads"))

    @admin.display(description=_("veröffentlicht"), ordering="published_at")
    def published_on(self, document):
        return published_on(document)

    @admin.display(description=_("Downloads"), ordering="downloads_total")
    def download_count(self, document):
        return document.downloads_total


@admin.register(MinutesComment)
class MinutesCommentAdmin(admin.ModelAdmin):
    """The members' comments on drafts of the minutes: staff read them, members write them."""

    list_display = ["created_at", "document", "person", "version", "short_text"]
    list_filter = ["document__meeting__board", "document__meeting"]
    search_fields = ["text", "person__last_name", "document__title"]
    date_hierarchy = "created_at"
    list_select_related = ["document", "person"]

    @admin.display(description=_("Kommentar"))
    def short_text(self, comment):
        return Truncator(comment.text).chars(80)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DownloadLog)
class DownloadLogAdmin(admin.ModelAdmin):
    list_display = ["downloaded_at", "document", "user", "version", "via_zip", "via_book"]
    list_filter = ["via_zip", "via_book", "document__meeting"]
    search_fields = ["document__title", "user__email"]
    date_hierarchy = "downloaded_at"
    list_select_related = ["document", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
