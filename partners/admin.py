from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from koss.core.admin import CheckedFileLinksMixin, GermanSlugAdminMixin, RelevantSearchResultsMixin
from koss.core.history import HistoryAdmin, record_history

from .models import OpenDataLicence, Partner, Region, Topic


@admin.register(Region)
class RegionAdmin(RelevantSearchResultsMixin, GermanSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "planning_region", "ags"]
    list_filter = ["kind", "planning_region"]
    search_fields = ["name", "ags"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(GermanSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partner)
class PartnerAdmin(
    RelevantSearchResultsMixin, GermanSlugAdminMixin, CheckedFileLinksMixin, HistoryAdmin
):
    file_urls = {"logo": lambda file: reverse("partners:logo", args=[file.instance.slug])}
    # Chosen to fit 1280 px beside the filters; "geändert" is in each partner's history.
    list_display = ["name", "short_name", "kind", "level", "region", "is_published"]
    list_filter = ["is_published", "kind", "level", "region", "topics"]
    list_select_related = ["region"]
    search_fields = ["name", "short_name", "city", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "region"]
    filter_horizontal = ["districts", "topics"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    save_on_top = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "is_published"]}),
        (
            _("Einordnung"),
            {"fields": ["kind", "level", "region", "districts", "parent", "topics"]},
        ),
        (_("Beschreibung"), {"fields": ["summary", "cooperation", "logo", "logo_alt"]}),
        (
            _("Kontakt"),
            {"fields": ["website", "email", "phone", "street", "postal_code", "city"]},
        ),
        (
            _("Lage für die Geodaten"),
            {
                "fields": ["latitude", "longitude"],
                "description": _(
                    "Freiwillig: Wo die Adresse liegt, für die Geodaten des Partnernetzwerks "
                    "(GeoJSON). Ohne Angabe steht dort der Mittelpunkt des Kreises."
                ),
            },
        ),
        (_("Verlauf"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        partner = form.instance
        if not partner.districts.exists():
            partner.districts.set(partner.default_districts())

    @admin.action(description=_("Ausgewählte Partner veröffentlichen"))
    def publish(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = queryset.update(is_published=True)
        record_history(Partner.objects.filter(pk__in=selected), request.user, _("Veröffentlicht."))
        self.message_user(
            request,
            ngettext("%d Partner veröffentlicht.", "%d Partner veröffentlicht.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Veröffentlichung ausgewählter Partner zurücknehmen"))
    def unpublish(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = queryset.update(is_published=False)
        record_history(
            Partner.objects.filter(pk__in=selected),
            request.user,
            _("Veröffentlichung zurückgenommen."),
        )
        self.message_user(
            request,
            ngettext(
                "%d Partner nicht mehr veröffentlicht.",
                "%d Partner nicht mehr veröffentlicht.",
                count,
            )
            % count,
            messages.SUCCESS,
        )


@admin.register(OpenDataLicence)
class OpenDataLicenceAdmin(admin.ModelAdmin):
    """One licence for the directory's downloads; without it the settings' default applies."""

    list_display = ["name", "url", "updated_at"]
    readonly_fields = ["updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not OpenDataLicence.objects.exists()
