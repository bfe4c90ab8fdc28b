from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from koss.core.admin import CheckedFileLinksMixin, GermanSlugAdminMixin, ProseEditorAdminMixin
from koss.core.history import HistoryAdmin, record_history

from .models import Article, Attachment


class AttachmentInline(CheckedFileLinksMixin, admin.TabularInline):
    model = Attachment
    file_urls = {"file": lambda file: file.instance.get_absolute_url()}
    extra = 1
    fields = ["title", "file", "content_type", "size"]
    readonly_fields = ["content_type", "size"]


@admin.register(Article)
class ArticleAdmin(
    GermanSlugAdminMixin, CheckedFileLinksMixin, ProseEditorAdminMixin, HistoryAdmin
):
    history_follow = ["attachments"]
    file_urls = {"image": lambda file: reverse("news:image", args=[file.instance.slug])}
    list_display = ["title", "kind", "state", "publish_at", "starts_at", "updated_at"]
    list_filter = ["status", "kind", "publish_at"]
    search_fields = ["title", "teaser", "body"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related_partners", "related_meetings"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AttachmentInline]
    actions = ["publish_now"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "teaser", "body"]}),
        (
            _("Veranstaltung"),
            {
                "fields": ["starts_at", "ends_at", "location"],
                "description": _(
                    "Nur für Veranstaltungshinweise: Beginn und Ort sind dort Pflicht. Die Website "
                    "zeigt bevorstehende Veranstaltungen zuerst und bietet sie als Kalendereintrag an."
                ),
            },
        ),
        (
            _("Veröffentlichung"),
            {
                "fields": ["status", "publish_at"],
                "description": _(
                    "Entwürfe sind nur für die Redaktion sichtbar („Auf der Website anzeigen“ zeigt "
                    "die Vorschau). Freigegebene Beiträge erscheinen zum angegebenen Zeitpunkt."
                ),
            },
        ),
        (_("Bild"), {"fields": ["image", "image_alt", "image_credit", "image_license"]}),
        (_("Ansprechperson"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (_("Verknüpfungen"), {"fields": ["related_partners", "related_meetings"]}),
        (_("Verlauf"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("Status"))
    def state(self, article):
        return article.state_label

    @admin.action(description=_("Ausgewählte Beiträge jetzt veröffentlichen"))
    def publish_now(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = queryset.update(status=Article.Status.PUBLISHED, publish_at=timezone.now())
        record_history(
            Article.objects.filter(pk__in=selected), request.user, _("Jetzt veröffentlicht.")
        )
        self.message_user(
            request,
            ngettext("%d Beitrag veröffentlicht.", "%d Beiträge veröffentlicht.", count) % count,
            messages.SUCCESS,
        )
