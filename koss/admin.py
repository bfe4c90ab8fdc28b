from django.contrib import admin
from django.contrib.admin.models import LogEntry

from .core.admin import ProseEditorAdminMixin
from .models import Page


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


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
