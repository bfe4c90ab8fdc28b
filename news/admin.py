from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from koss.core.admin import CheckedFileLinksMixin, GermanSlugAdminMixin, ProseEditorAdminMixin
from koss.core.history import HistoryAdmin, record_history

from . import press_list
from .models import Article, Attachment, PressListSend, Subscription


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A released article that is due goes to the press list once committed; a scheduled one
        # when `manage.py send_press_list` finds it due.
        transaction.on_commit(press_list.send_due_articles)

    @admin.action(description=_("Ausgewählte Beiträge jetzt veröffentlichen"))
    def publish_now(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = queryset.update(status=Article.Status.PUBLISHED, publish_at=timezone.now())
        record_history(
            Article.objects.filter(pk__in=selected), request.user, _("Jetzt veröffentlicht.")
        )
        transaction.on_commit(press_list.send_due_articles)
        self.message_user(
            request,
            ngettext("%d Beitrag veröffentlicht.", "%d Beiträge veröffentlicht.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Subscribers, waiting sign-ups and unsubscribes, with the proof of both steps. Only the
    subscribers themselves sign up (double opt-in); staff cannot add anyone."""

    list_display = ["email", "kinds", "state", "signed_up_at", "confirmed_at", "unsubscribed_at"]
    list_filter = [
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("unsubscribed_at", admin.EmptyFieldListFilter),
        "press_releases",
        "events",
        "news",
    ]
    search_fields = ["email"]
    date_hierarchy = "signed_up_at"
    fields = [
        "email",
        "press_releases",
        "events",
        "news",
        "consent_text",
        "signed_up_at",
        "signed_up_from",
        "confirmation_sent_at",
        "confirmed_at",
        "confirmed_from",
        "unsubscribed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Erhält"))
    def kinds(self, subscription):
        return subscription.kinds_label

    @admin.display(description=_("Stand"))
    def state(self, subscription):
        return subscription.state_label


@admin.register(PressListSend)
class PressListSendAdmin(admin.ModelAdmin):
    """Which article went to how many subscribers, and when."""

    list_display = ["article", "sent_at", "recipients"]
    list_select_related = ["article"]
    search_fields = ["article__title"]
    date_hierarchy = "sent_at"
    fields = ["article", "sent_at", "recipients"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
