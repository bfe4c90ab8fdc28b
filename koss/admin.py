from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .core.admin import GermanSlugAdminMixin, ProseEditorAdminMixin
from .core.history import HistoryAdmin
from .core.rights import GRANT_REFUSAL, REFUSAL, outranks, rights_beyond
from .mail import deliver
from .models import Mail, Page, TaskResult, Term


class LanguageFilter(admin.SimpleListFilter):
    title = _("Sprache")
    parameter_name = "sprache"

    def lookups(self, request, model_admin):
        return [("leicht", _("Leichte Sprache")), ("standard", _("Standardsprache"))]

    def queryset(self, request, queryset):
        if self.value() == "leicht":
            return queryset.filter(slug__in=Page.EASY_READ_SLUGS)
        if self.value() == "standard":
            return queryset.exclude(slug__in=Page.EASY_READ_SLUGS)
        return queryset


@admin.register(Page)
class PageAdmin(ProseEditorAdminMixin, HistoryAdmin):
    list_display = ["title", "slug", "checked", "updated_at"]
    list_filter = [LanguageFilter]
    search_fields = ["title", "body"]
    readonly_fields = ["updated_at", "easy_read_hints"]
    TEXT_FIELDS = ["slug", "title", "lead", "body"]
    CHECK_FIELDS = ["checked_by", "checked_on"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.is_easy_read:
            return [*self.TEXT_FIELDS, "easy_read_hints", *self.CHECK_FIELDS, "updated_at"]
        return [*self.TEXT_FIELDS, "updated_at"]

    @admin.display(description=_("Geprüft von der Zielgruppe"))
    def checked(self, page):
        if not page.is_easy_read:
            return "–"
        if page.is_checked:
            return gettext("ja, am %(date)s") % {"date": date_format(page.checked_on)}
        return gettext("noch nicht")

    @admin.display(description=_("Hinweise zur Leichten Sprache"))
    def easy_read_hints(self, page):
        warnings = page.easy_read_warnings()
        if not warnings:
            return gettext("Keine Hinweise: alle Sätze sind kurz, lange Wörter sind getrennt.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((warning.message,) for warning in warnings)),
        )

    def save_model(self, request, obj, form, change):
        if any(name in form.changed_data for name in self.CHECK_FIELDS):
            # A check recorded in this save is a check of the text as saved now.
            obj.record_check(obj.checked_by, obj.checked_on)
        super().save_model(request, obj, form, change)
        if not obj.is_easy_read:
            return
        text_changed = any(name in form.changed_data for name in self.TEXT_FIELDS)
        if text_changed and not obj.is_checked:
            self.message_user(
                request,
                gettext(
                    "Die Seite gilt als „noch nicht von Prüferinnen und Prüfern gelesen“, bis Sie "
                    "eine neue Prüfung eintragen."
                ),
                messages.INFO,
            )
        warnings = obj.easy_read_warnings()
        if warnings:
            self.message_user(
                request,
                ngettext(
                    "Gespeichert, mit %(count)d Hinweis zur Leichten Sprache: %(first)s",
                    "Gespeichert, mit %(count)d Hinweisen zur Leichten Sprache, zuerst: %(first)s",
                    len(warnings),
                )
                % {"count": len(warnings), "first": warnings[0].message},
                messages.WARNING,
            )

    def has_add_permission(self, request):
        # The pages are fixed by the site's address map; staff edit their text.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Term)
class TermAdmin(GermanSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["name", "forms", "explanation"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "forms", "explanation", "is_published", "updated_at"]
    readonly_fields = ["updated_at"]


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
        "change",
    ]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "change_message", "user__email"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]
    fields = [*list_display[:-1], "change"]
    readonly_fields = fields

    # The stored message is JSON for Django; people read it in sentences.
    @admin.display(description=_("Änderung"))
    def change(self, entry):
        return entry.get_change_message()


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
        "text",
        "attachment_names",
    ]
    readonly_fields = fields

    @admin.display(description=_("Text"))
    def text(self, mail):
        if mail.carries_login_link:
            return gettext(
                "Der Text enthält einen Anmeldelink und wird nicht angezeigt; nach der Zustellung "
                "wird er gelöscht."
            )
        return mail.body

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


# --- Packages' admins, in German ------------------------------------------------------------
# What their catalogues cannot translate (names of fields without a verbose_name, permission
# names stored in English, the names of objects) is named here.


def titled(filter_class, title):
    """A list filter of the given class under a German title."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class GermanPermissionField(forms.ModelMultipleChoiceField):
    """Django stores the names of its default permissions in English ("Can add partner")."""

    ACTIONS = {
        "add": _("%(model)s hinzufügen"),
        "change": _("%(model)s ändern"),
        "delete": _("%(model)s löschen"),
        "view": _("%(model)s ansehen"),
    }

    def label_from_instance(self, permission):
        model = permission.content_type.model_class()
        action, _separator, model_name = permission.codename.partition("_")
        if model is None or action not in self.ACTIONS or model_name != model._meta.model_name:
            return str(permission)
        return " | ".join(
            [
                str(model._meta.app_config.verbose_name),
                str(model._meta.verbose_name),
                self.ACTIONS[action] % {"model": model._meta.verbose_name},
            ]
        )


class GermanPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in {"permissions", "user_permissions"}:
            kwargs["form_class"] = GermanPermissionField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(User)
admin.site.unregister(Group)


class NoRightsBeyondOwnMixin:
    """Nobody changes an account (or group) that holds rights they lack, nor gives rights they
    lack (koss.core.rights). The form refuses such rights; an account with more rights is
    refused as a whole, with a message instead of its form."""

    def holds_more_rights(self, request, obj):
        raise NotImplementedError

    def rights_given(self, form):
        """The superuser status and permissions the submitted form gives."""
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.holds_more_rights(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.holds_more_rights(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def refused(self, request, obj):
        self.message_user(request, REFUSAL % {"account": obj}, messages.ERROR)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.holds_more_rights(request, obj):
            return self.refused(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        admin_site = self

        class RightsCheckedForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                beyond = rights_beyond(request.user, **admin_site.rights_given(self))
                if beyond:
                    raise forms.ValidationError(GRANT_REFUSAL % {"rights": ", ".join(beyond)})
                return cleaned_data

        return RightsCheckedForm


@admin.register(User)
class GermanUserAdmin(NoRightsBeyondOwnMixin, GermanPermissionsMixin, UserAdmin):
    def holds_more_rights(self, request, obj):
        return outranks(obj, request.user)

    def rights_given(self, form):
        data = form.cleaned_data
        groups = [group.pk for group in data.get("groups", [])]
        chosen = [permission.pk for permission in data.get("user_permissions", [])]
        return {
            "is_superuser": bool(data.get("is_superuser")),
            "permissions": Permission.objects.filter(Q(pk__in=chosen) | Q(group__in=groups)),
        }

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and self.holds_more_rights(request, user):
            return self.refused(request, user)
        return super().user_change_password(request, id, form_url)


@admin.register(Group)
class GermanGroupAdmin(NoRightsBeyondOwnMixin, GermanPermissionsMixin, GroupAdmin):
    def holds_more_rights(self, request, obj):
        return bool(rights_beyond(request.user, permissions=obj.permissions.all()))

    def rights_given(self, form):
        chosen = [permission.pk for permission in form.cleaned_data.get("permissions", [])]
        return {"permissions": Permission.objects.filter(pk__in=chosen)}


class AuthenticatorForm(forms.ModelForm):
    class Meta:
        labels = {
            "user": _("Benutzer"),
            "type": _("Art"),
            "data": _("Daten"),
            "created_at": _("eingerichtet am"),
            "last_used_at": _("zuletzt verwendet am"),
        }


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class GermanAuthenticatorAdmin(AuthenticatorAdmin):
    """The second factors of staff and members (allauth's fields have no German names): what
    kind, since when, last used, never a secret. Only a superuser removes one (its owner then sets
    up a new one); nobody adds or edits one here."""

    form = AuthenticatorForm
    list_select_related = ["user"]
    list_display = ["owner", "kind", "created", "last_used"]
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    list_filter = [
        ("type", titled(admin.ChoicesFieldListFilter, _("Art"))),
        ("created_at", titled(admin.DateFieldListFilter, _("eingerichtet am"))),
        ("last_used_at", titled(admin.DateFieldListFilter, _("zuletzt verwendet am"))),
    ]

    @admin.display(description=_("Benutzer"), ordering="user__email")
    def owner(self, authenticator):
        return authenticator.user

    @admin.display(description=_("Art"), ordering="type")
    def kind(self, authenticator):
        return authenticator.get_type_display()

    @admin.display(description=_("eingerichtet am"), ordering="created_at")
    def created(self, authenticator):
        return authenticator.created_at

    @admin.display(description=_("zuletzt verwendet am"), ordering="last_used_at")
    def last_used(self, authenticator):
        return authenticator.last_used_at or self.get_empty_value_display()


admin.site.unregister(DBTaskResult)


@admin.register(TaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """The background tasks (mail delivery above all): what waits, runs, failed."""

    list_display = [
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return ["arguments" if name == "args_kwargs" else name for name in fields]

    @admin.display(description=_("Aufgabe"))
    def task(self, result):
        return result.task_name

    @admin.display(description=_("Argumente"))
    def arguments(self, result):
        values = [*result.args_kwargs.get("args", [])]
        values += [f"{key}={value}" for key, value in result.args_kwargs.get("kwargs", {}).items()]
        return ", ".join(str(value) for value in values) or gettext("keine")

    @admin.display(description=_("Fehlerverlauf"))
    def formatted_traceback(self, result):
        return super().formatted_traceback(result)

    @admin.display(description=_("frühestens am"))
    def display_run_after(self, result):
        return super().display_run_after(result)
