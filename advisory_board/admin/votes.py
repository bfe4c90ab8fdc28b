"""The admin of written votes: staff prepare one, start it with one button and publish its
result; who voted how is shown once it is counted."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..emails import start_vote, vote_recipients
from ..models import Board, Person, VoteDocument, WrittenVote

# What staff enter; once the vote runs, it stays as the members received it.
VOTE_FIELDS = [
    "board",
    "title",
    "motion",
    ("rule", "allows_abstention"),
    ("deadline", "deputies_may_vote"),
]


class VoteDocumentInline(admin.TabularInline):
    model = VoteDocument
    fields = ["title", "file"]
    extra = 0
    verbose_name = _("Unterlage")
    verbose_name_plural = _("Unterlagen (freiwillig, für die Mitglieder)")

    def has_add_permission(self, request, obj=None):
        return (obj is None or not obj.is_started) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_started) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_started) and super().has_delete_permission(request, obj)


@admin.register(WrittenVote)
class WrittenVoteAdmin(admin.ModelAdmin):
    list_display = ["title", "board", "deadline", "state", "participation", "published"]
    list_filter = ["board", "result"]
    search_fields = ["title", "motion"]
    date_hierarchy = "deadline"
    inlines = [VoteDocumentInline]
    actions = ["publish_results"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 8, "cols": 80})}
    }

    def has_delete_permission(self, request, obj=None):
        # A vote that ran is a record of the board: who voted how and when stays.
        return (obj is None or not obj.is_started) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        """ "Delete selected" removes drafts only."""
        kept = queryset.filter(started_at__isnull=False).count()
        queryset.filter(started_at__isnull=True).delete()
        if kept:
            self.message_user(
                request,
                ngettext(
                    "%(count)s Umlaufbeschluss lief bereits und bleibt als Nachweis erhalten.",
                    "%(count)s Umlaufbeschlüsse liefen bereits und bleiben als Nachweis erhalten.",
                    kept,
                )
                % {"count": kept},
                messages.WARNING,
            )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("board")
            .annotate(
                ballot_count=Count("ballots", filter=Q(ballots__is_current=True), distinct=True)
            )
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": VOTE_FIELDS})]
        if obj is not None and obj.is_started:
            fieldsets.append(
                (
                    _("Verlauf und Ergebnis"),
                    {
                        "fields": [
                            "state",
                            ("started_at", "reminded_at", "closed_at"),
                            "tally",
                            "outcome_link",
                            "published_at",
                            "ballot_record",
                        ]
                    },
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        shown = [
            "state",
            "started_at",
            "reminded_at",
            "closed_at",
            "tally",
            "outcome_link",
            "published_at",
            "ballot_record",
        ]
        if obj is not None and obj.is_started:
            return [
                *shown,
                "board",
                "title",
                "motion",
                "rule",
                "allows_abstention",
                "deadline",
                "deputies_may_vote",
            ]
        return shown

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        board = Board.objects.current()
        if board is not None:
            initial.setdefault("board", board.pk)
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if "_start" in request.POST:
            return self.start_and_return(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_start" in request.POST:
            return self.start_and_return(request, obj)
        return super().response_change(request, obj)

    def start_and_return(self, request, vote):
        """Start the vote and go back to its page, saying who the mail reaches and who not."""
        if start_vote(vote):
            recipients = vote_recipients(vote)
            reached = {person.pk for person in recipients.values()}
            missed = Person.objects.filter(pk__in=vote.electorate_ids() - reached).order_by(
                "last_name", "first_name"
            )
            deadline = localtime(vote.deadline)
            self.message_user(
                request,
                ngettext(
                    "Die Abstimmung läuft bis %(date)s. %(count)s Mitglied erhält die E-Mail "
                    "mit dem Link zur Abstimmung.",
                    "Die Abstimmung läuft bis %(date)s. %(count)s Mitglieder erhalten die E-Mail "
                    "mit dem Link zur Abstimmung.",
                    len(recipients),
                )
                % {"date": date_format(deadline, "j. F Y, H:i"), "count": len(recipients)},
                messages.SUCCESS,
            )
            if missed:
                self.message_user(
                    request,
                    _(
                        "Ohne E-Mail, weil ohne aktiven Zugang oder Adresse (bitte auf anderem "
                        "Weg informieren oder einladen): %(names)s"
                    )
                    % {"names": ", ".join(person.full_name for person in missed)},
                    messages.WARNING,
                )
        else:
            self.message_user(
                request, _("Diese Abstimmung lief bereits; es wurde nichts erneut versandt.")
            )
        return self.redirect_to(vote)

    def redirect_to(self, vote):
        return HttpResponseRedirect(
            reverse("admin:advisory_board_writtenvote_change", args=[vote.pk])
        )

    @admin.action(description=_("Ergebnis der ausgewählten Umlaufbeschlüsse veröffentlichen"))
    def publish_results(self, request, queryset):
        published = sum(vote.publish() for vote in queryset)
        skipped = len(queryset) - published
        if published:
            self.message_user(
                request,
                ngettext(
                    "%(count)s Ergebnis ist jetzt öffentlich.",
                    "%(count)s Ergebnisse sind jetzt öffentlich.",
                    published,
                )
                % {"count": published},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)s Umlaufbeschluss ist noch nicht ausgewertet oder schon öffentlich "
                    "und blieb unverändert.",
                    "%(count)s Umlaufbeschlüsse sind noch nicht ausgewertet oder schon "
                    "öffentlich und blieben unverändert.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.display(description=_("Stand"))
    def state(self, obj):
        return obj.status_label

    @admin.display(description=_("abgegebene Stimmen"), ordering="ballot_count")
    def participation(self, obj):
        return obj.ballot_count if obj.is_started else "–"

    @admin.display(description=_("öffentlich"), boolean=True)
    def published(self, obj):
        return obj.is_published

    @admin.display(description=_("Stimmen"))
    def tally(self, obj):
        return obj.tally_line() if obj.is_closed else _("erst nach dem Ende der Abstimmung")

    @admin.display(description=_("Beschluss"))
    def outcome_link(self, obj):
        if obj.outcome_id is None:
            if obj.is_closed:
                return _("Wird festgehalten, sobald die nächste Sitzung des Beirats angelegt ist.")
            return "–"
        url = reverse("admin:advisory_board_outcome_change", args=[obj.outcome_id])
        return format_html('<a href="{}">{}</a>', url, obj.outcome.meeting)

    @admin.display(description=_("Stimmabgaben"))
    def ballot_record(self, obj):
        """Every ballot with who and when, changed ones included; how, once it is counted."""
        ballots = obj.ballots.select_related("person").order_by(
            "person__last_name", "person__first_name", "cast_at"
        )
        if not ballots:
            return _("Noch keine Stimme.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} – {}{}{}</li>",
                (
                    (
                        ballot.person.full_name,
                        ballot.get_choice_display() if obj.is_closed else _("hat abgestimmt"),
                        date_format(localtime(ballot.cast_at), "j. F Y, H:i"),
                        f" ({_('durch die Vertretung')} {ballot.deputy_name})"
                        if ballot.deputy_name
                        else "",
                        "" if ballot.is_current else f" ({_('später geändert')})",
                    )
                    for ballot in ballots
                ),
            ),
        )
