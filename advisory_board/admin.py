from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from koss.core.admin import CheckedFileLinksMixin

from .emails import invite_person, notice, notice_recipients, notify_new_documents
from .models import (
    AgendaItem,
    Board,
    Document,
    DocumentVersion,
    DownloadLog,
    Meeting,
    Membership,
    MinutesComment,
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
class BoardAdmin(admin.ModelAdmin):
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
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "has_login", "last_visit_at"]
    search_fields = ["last_name", "first_name", "email"]
    list_filter = ["memberships__board", "memberships__role"]
    readonly_fields = ["user", "last_visit_at", "seen_until"]
    inlines = [MembershipInline]
    actions = ["send_invitation"]

    @admin.display(boolean=True, description=_("Zugang"))
    def has_login(self, person):
        return person.user_id is not None and person.user.has_usable_password()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.action(description=_("Einladung zum Mitgliederbereich per E-Mail senden"))
    def send_invitation(self, request, queryset):
        sent, missing = 0, []
        with transaction.atomic():
            for person in queryset:
                if not person.email:
                    missing.append(str(person))
                    continue
                invite_person(request, person)
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext("%d Einladung verschickt.", "%d Einladungen verschickt.", sent) % sent,
                messages.SUCCESS,
            )
        if missing:
            self.message_user(
                request,
                _("Ohne E-Mail-Adresse keine Einladung: %s") % ", ".join(missing),
                messages.WARNING,
            )


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


def document_url(file):
    return file.instance.get_absolute_url()


class DocumentInline(CheckedFileLinksMixin, admin.StackedInline):
    model = Document
    file_urls = {"file": document_url}
    extra = 0
    fields = [
        "kind",
        "title",
        "agenda_item",
        "visibility",
        "file",
        "published_at",
        "version",
        "notified_at",
        "minutes_status",
    ]
    readonly_fields = ["version", "notified_at", "minutes_status"]

    @admin.display(description=_("Protokollstatus"))
    def minutes_status(self, document):
        return minutes_status(document)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the agenda of the meeting being edited.
        if db_field.name == "agenda_item":
            meeting_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = AgendaItem.objects.filter(meeting_id=meeting_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReplyInline(ReadOnlyInline):
    model = Reply
    fields = ["person", "attending", "replied_at"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "board", "starts_at", "location", "status", "reply_count"]
    list_filter = ["board", "status"]
    search_fields = ["location", "public_summary", "agenda_items__title"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, DocumentInline, ReplyInline]
    actions = ["publish_documents"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("board")
            .annotate(attending_count=Count("replies", filter=Q(replies__attending=True)))
        )

    @admin.display(description=_("Zusagen"), ordering="attending_count")
    def reply_count(self, meeting):
        return meeting.attending_count

    @admin.action(description=_("Dokumente veröffentlichen und Mitglieder benachrichtigen …"))
    def publish_documents(self, request, queryset):
        """First a page to confirm what is published and who is told; only what is confirmed
        there is published, and the notices are queued with it."""
        if len(queryset) != 1:
            self.message_user(
                request,
                _("Bitte wählen Sie genau eine Sitzung aus, deren Dokumente Sie veröffentlichen."),
                messages.WARNING,
            )
            return None
        (meeting,) = queryset
        waiting = (
            meeting.documents.filter(notified_at__isnull=True)
            .exclude(visibility=Document.Visibility.STAFF)
            .order_by("pk")
        )
        if "bestaetigt" not in request.POST:
            documents = list(waiting)
            subject, body = notice(meeting, documents)
            context = {
                **self.admin_site.each_context(request),
                "title": _("Dokumente veröffentlichen und benachrichtigen"),
                "opts": self.model._meta,
                "meeting": meeting,
                "documents": documents,
                "recipients": list(notice_recipients(meeting).items()),
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
            documents = list(waiting.select_for_update().filter(pk__in=chosen))
            for document in documents:
                document.published_at = document.published_at or now
                document.notified_at = now
            Document.objects.bulk_update(documents, ["published_at", "notified_at"])
            recipients = notify_new_documents(request, meeting, documents) if documents else 0
        if not documents:
            self.message_user(
                request, _("Kein Dokument ausgewählt: nichts veröffentlicht."), messages.WARNING
            )
            return None
        published = ngettext(
            "%(count)d Dokument veröffentlicht",
            "%(count)d Dokumente veröffentlicht",
            len(documents),
        ) % {"count": len(documents)}
        queued = ngettext(
            "%(count)d Benachrichtigung wird versandt",
            "%(count)d Benachrichtigungen werden versandt",
            recipients,
        ) % {"count": recipients}
        self.message_user(request, f"{meeting}: {published}, {queued}.", messages.SUCCESS)
        return None


class AgendaItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        # The meeting in the label: staff can tell whose agenda an item is.
        return _("%(meeting)s (%(board)s) – %(item)s") % {
            "meeting": item.meeting,
            "board": item.meeting.board.name,
            "item": item,
        }


class DocumentAdminForm(forms.ModelForm):
    """Offers the agenda of the document's meeting only; Document.clean() rejects any other."""

    class Meta:
        model = Document
        fields = [
            "meeting",
            "agenda_item",
            "kind",
            "title",
            "visibility",
            "file",
            "published_at",
            "approval_item",
            "approved_on",
        ]
        field_classes = {
            "agenda_item": AgendaItemChoiceField,
            "approval_item": AgendaItemChoiceField,
        }
        help_texts = {
            "agenda_item": _(
                "Angeboten wird die Tagesordnung der gespeicherten Sitzung. Wenn Sie die Sitzung "
                "wechseln, leeren Sie dieses Feld und wählen den Punkt nach dem Speichern neu."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "agenda_item" in self.fields:
            self.fields["agenda_item"].queryset = AgendaItem.objects.filter(
                meeting_id=self.meeting_id()
            ).select_related("meeting__board")
        if "approval_item" in self.fields:
            # Minutes are approved at a later meeting of their board.
            meeting = Meeting.objects.filter(pk=self.meeting_id()).first()
            later = AgendaItem.objects.none()
            if meeting is not None:
                later = AgendaItem.objects.filter(
                    meeting__board_id=meeting.board_id, meeting__starts_at__gt=meeting.starts_at
                ).order_by("meeting__starts_at", "position")
            self.fields["approval_item"].queryset = later.select_related("meeting__board")

    def meeting_id(self):
        """The saved meeting; for a new document the chosen one (or the one in the address)."""
        if self.instance.pk:
            return self.instance.meeting_id
        if self.is_bound:
            value = self.data.get(self.add_prefix("meeting"))
        else:
            value = self.get_initial_for_field(self.fields["meeting"], "meeting")
        try:
            return int(value)
        except (TypeError, ValueError):
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
    list_display = [
        "title",
        "meeting",
        "kind",
        "visibility",
        "version",
        "published_at",
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
        """Approved on the day of the meeting that approves them once it has begun, else today."""
        selected = queryset.count()
        drafts = list(queryset.minutes_drafts().select_related("approval_item__meeting"))
        today = timezone.localdate()
        for document in drafts:
            item = document.approval_item
            meeting_day = timezone.localdate(item.meeting.starts_at) if item else today
            document.approved_on = min(meeting_day, today)
        Document.objects.bulk_update(drafts, ["approved_on"])
        skipped = selected - len(drafts)
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

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(downloads_total=Count("downloads"))

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
    list_display = ["downloaded_at", "document", "user", "version", "via_zip"]
    list_filter = ["via_zip", "document__meeting"]
    search_fields = ["document__title", "user__email"]
    date_hierarchy = "downloaded_at"
    list_select_related = ["document", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
