"""Admin pieces every app's admin uses: the rich-text editor under the CSP, and file links that
lead to the permission-checked views."""

from django.contrib.admin.widgets import AdminFileWidget
from js_asset.media import Media


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
