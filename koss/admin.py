from django.contrib import admin
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
