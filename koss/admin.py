from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.widgets import AdminFileWidget
from js_asset.media import Media

from .models import Page


class ProseEditorAdminMixin:
    """The rich-text editor under the Content-Security-Policy.

    It loads through an inline import map, admitted by the request's nonce, and injects its own
    small stylesheet and style attributes, which these staff-only forms admit (scripts stay
    strict).
    """

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        response = super().render_change_form(request, context, *args, **kwargs)
        response._csp_update = {
            "style-src-elem": ["'self'", "'unsafe-inline'"],
            "style-src-attr": ["'unsafe-inline'"],
        }
        return response


class LinkedFile:
    """What the file widget shows: the file's name, linked to `url`."""

    def __init__(self, name, url):
        self.name = name
        self.url = url

    def __str__(self):
        return self.name


class CheckedFileInput(AdminFileWidget):
    """Links the current file to a view that checks permission: media is never served directly.

    `url` gets the field's file (which knows its model instance) and returns that view's address.
    """

    def __init__(self, url, attrs=None):
        super().__init__(attrs)
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value) and value.instance.pk:
            context["widget"]["value"] = LinkedFile(value.name, self.url(value))
        return context


class CheckedFileLinksMixin:
    """For a ModelAdmin or inline: `file_urls` maps file fields to the address of their view."""

    file_urls = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.file_urls:
            kwargs["widget"] = CheckedFileInput(self.file_urls[db_field.name])
        return super().formfield_for_dbfield(db_field, request, **kwargs)


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
