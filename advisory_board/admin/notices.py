"""Announcing a meeting and telling its members: the confirmation of what is published and
who is told (with invitations for those it misses), and the reminder to reply."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from koss.core.history import record_history

from ..emails import (
    notice,
    notice_coverage,
    notify_new_documents,
    remind_to_reply,
)
from ..models import (
    Document,
    Meeting,
    Person,
)
from .people import send_invitations


class MeetingNoticeMixin:
    """The notice views and action of MeetingAdmin."""

    def publish_view(self, request, object_id):
        """The confirmation of "publish and notify" for one meeting, reached from its page."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=object_id)
        return self.confirm_and_publish(request, meeting) or HttpResponseRedirect(
            reverse("admin:advisory_board_meeting_changelist")
        )

    def to_publish(self, request, meeting):
        self.message_user(request, _("Die %(meeting)s ist gespeichert.") % {"meeting": meeting})
        return HttpResponseRedirect(
            reverse("admin:advisory_board_meeting_publish", args=[meeting.pk])
        )

    @admin.action(description=_("Dokumente veröffentlichen und Mitglieder benachrichtigen …"))
    def publish_documents(self, request, queryset):
        meeting = self.only_one(
            request,
            queryset,
            _("Bitte wählen Sie genau eine Sitzung aus, deren Dokumente Sie veröffentlichen."),
        )
        return meeting and self.confirm_and_publish(request, meeting)

    def invite_view(self, request, object_id):
        """Invite, from the confirmation of a notice, a member it would miss for want of a login;
        then back to the confirmation, with the documents as they were chosen."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.admin_site._registry[Person].has_change_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=object_id)
        invitable = {
            missed.person.pk: missed.person
            for missed in notice_coverage(meeting).missed
            if missed.can_invite
        }
        chosen = [
            invitable[int(v)]
            for v in request.POST.getlist("einladen")
            if v.isdigit() and int(v) in invitable
        ]
        if chosen:
            send_invitations(request, chosen)
        else:
            self.message_user(
                request,
                _("Niemand eingeladen: Die Person ist kein Mitglied ohne Zugang mehr."),
                messages.WARNING,
            )
        state = QueryDict(mutable=True)
        state["auswahl"] = "1"
        state.setlist("dokument", [v for v in request.POST.getlist("dokument") if v.isdigit()])
        url = reverse("admin:advisory_board_meeting_publish", args=[meeting.pk])
        return HttpResponseRedirect(f"{url}?{state.urlencode()}")

    def remind_view(self, request, object_id):
        """Remind the members who have not replied to the next meeting (from the start page, or
        from the meeting's page, to which it then returns)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=object_id)
        back = HttpResponseRedirect(
            reverse("admin:advisory_board_meeting_change", args=[meeting.pk])
            if request.POST.get("zurueck") == "sitzung"
            else reverse("admin:index")
        )
        if not (meeting.is_announced and meeting.is_upcoming):
            self.message_user(
                request,
                _("%(meeting)s: Erinnert wird nur an angekündigte, bevorstehende Sitzungen.")
                % {"meeting": meeting},
                messages.WARNING,
            )
            return back
        with transaction.atomic():
            count = remind_to_reply(meeting)
        self.message_user(
            request,
            ngettext(
                "%(meeting)s: Eine Erinnerung an %(count)d Mitglied ohne Rückmeldung wird "
                "versandt.",
                "%(meeting)s: Erinnerungen an %(count)d Mitglieder ohne Rückmeldung werden "
                "versandt.",
                count,
            )
            % {"meeting": meeting, "count": count},
            messages.SUCCESS if count else messages.INFO,
        )
        return back

    def confirm_and_publish(self, request, meeting):
        """First a page to confirm what is published and who is told; only what is confirmed
        there is published, and the notices are queued with it. A prepared meeting is announced
        by the same confirmation: from then on the public and the members see it."""
        waiting = (
            meeting.documents.filter(notified_at__isnull=True)
            .exclude(visibility=Document.Visibility.STAFF)
            .order_by("pk")
        )
        if request.method != "POST" or "bestaetigt" not in request.POST:
            documents = list(waiting)
            # Back from an invitation: the documents as they were chosen before.
            chosen = None
            if request.GET.get("auswahl") == "1":
                chosen = {int(v) for v in request.GET.getlist("dokument") if v.isdigit()}
            subject, body = notice(meeting, documents)
            coverage = notice_coverage(meeting)
            context = {
                **self.admin_site.each_context(request),
                "title": _("Dokumente veröffentlichen und benachrichtigen"),
                "opts": self.model._meta,
                "meeting": meeting,
                "announcing": not meeting.is_announced,
                "documents": documents,
                "held_back": {
                    document.pk
                    for document in documents
                    if chosen is not None and document.pk not in chosen
                },
                "recipients": list(coverage.recipients.items()),
                "missed": coverage.missed,
                "can_invite": self.admin_site._registry[Person].has_change_permission(request),
                "subject": subject,
                "body": body,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/advisory_board/meeting/publish_documents.html", context
            )
        chosen = [value for value in request.POST.getlist("dokument") if value.isdigit()]
        now = timezone.now()
        with transaction.atomic():
            # Locked, so that two confirmations announce the meeting once.
            announced = bool(
                Meeting.objects.select_for_update()
                .filter(pk=meeting.pk, announced_at__isnull=True)
                .update(announced_at=now, updated_at=now)
            )
            documents = list(waiting.select_for_update().filter(pk__in=chosen))
            for document in documents:
                document.published_at = document.published_at or now
                document.notified_at = document.updated_at = now
            Document.objects.bulk_update(documents, ["published_at", "notified_at", "updated_at"])
            meeting.refresh_from_db()
            record_history(
                [meeting, *documents], request.user, _("Bekanntgegeben und veröffentlicht.")
            )
            recipients = (
                notify_new_documents(request, meeting, documents) if documents or announced else 0
            )
        if not (documents or announced):
            self.message_user(
                request, _("Kein Dokument ausgewählt: nichts veröffentlicht."), messages.WARNING
            )
            return None
        parts = [str(_("bekanntgegeben"))] if announced else []
        if documents or not announced:
            parts.append(
                ngettext(
                    "%(count)d Dokument veröffentlicht",
                    "%(count)d Dokumente veröffentlicht",
                    len(documents),
                )
                % {"count": len(documents)}
            )
        parts.append(
            ngettext(
                "%(count)d Benachrichtigung wird versandt",
                "%(count)d Benachrichtigungen werden versandt",
                recipients,
            )
            % {"count": recipients}
        )
        self.message_user(request, f"{meeting}: {', '.join(parts)}.", messages.SUCCESS)
        return None
