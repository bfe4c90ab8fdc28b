"""The admin of documents, their versions, the comments on draft minutes and the downloads."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from koss.core.admin import CheckedFileLinksMixin
from koss.core.history import HistoryAdmin, record_history

from ..forms import DocumentAdminForm, DocumentInlineForm, DocumentInlineFormSet
from ..models import (
    Document,
    DocumentVersion,
    DownloadLog,
    MinutesComment,
)
from .common import ReadOnlyInline

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
            return queryset.approved_minutes()
        return queryset


class DocumentVersionInline(ReadOnlyInline):
    model = DocumentVersion
    fields = ["version", "download", "replaced_at"]

    @admin.display(description=_("Datei"))
    def download(self, version):
        return format_html('<a href="{}">{}</a>', version.get_absolute_url(), version.file.name)


@admin.register(Document)
class DocumentAdmin(CheckedFileLinksMixin, HistoryAdmin):
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
            # Approval makes minutes public: what changed since a moment names them (OParl).
            document.updated_at = timezone.now()
            try:
                document.clean_approval()
            except ValidationError as error:
                refused.append((document, error.message_dict.get("approved_on", error.messages)))
                continue
            drafts.append(document)
        Document.objects.bulk_update(drafts, ["approved_on", "updated_at"])
        record_history(drafts, request.user, _("Protokoll genehmigt."))
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
