from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .core.admin import ProseEditorAdminMixin
from .mail import deliver
from .models import Mail, Page


@admin.register(Page)
class PageAdmin(ProseEditorAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "body"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        # The pages are fixed by the site's address map; staff edit their text.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordAdmin(admin.ModelAdmin):
    """A record the portal writes itself: staff read it, nobody adds, edits or deletes one."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class LogEntryAdmin(RecordAdmin):
    """Who changed what in the admin: Django records it; staff read it here."""

    list_display = [
        "action_time",
        "user",
        "content_type",
        "object_repr",
        "action_flag",
        "change_message",
    ]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "change_message", "user__email"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]


@admin.register(Mail)
class MailAdmin(RecordAdmin):
    """What the portal sent to whom, what still waits, and what failed."""

    list_display = ["created_at", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["recipient", "subject"]
    date_hierarchy = "created_at"
    actions = ["deliver_again"]
    fields = [
        "recipient",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "from_email",
        "body",
        "attachment_names",
    ]
    readonly_fields = fields

    @admin.display(description=_("Anhänge"))
    def attachment_names(self, mail):
        return ", ".join(attachment["filename"] for attachment in mail.attachments) or "–"

    @admin.action(description=_("Gescheiterte E-Mails erneut zustellen"))
    def deliver_again(self, request, queryset):
        failed = list(queryset.filter(status=Mail.Status.FAILED).values_list("pk", flat=True))
        with transaction.atomic():
            Mail.objects.filter(pk__in=failed).update(
                status=Mail.Status.PENDING, attempts=0, next_attempt_at=None
            )
            for mail_id in failed:
                deliver.enqueue(mail_id)
        self.message_user(
            request,
            ngettext(
                "%d E-Mail wird erneut zugestellt.",
                "%d E-Mails werden erneut zugestellt.",
                len(failed),
            )
            % len(failed),
            messages.SUCCESS,
        )
