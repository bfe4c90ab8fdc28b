"""The admin of boards, persons and memberships, and the invitations to the members' area."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from koss.core.admin import GermanSlugAdminMixin, RelevantSearchResultsMixin
from koss.core.history import HistoryAdmin
from koss.core.rights import AccountOutranksActor, outranks

from ..emails import (
    invite_person,
)
from ..models import (
    Board,
    Membership,
    Person,
    Term,
)


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(Board)
class BoardAdmin(GermanSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "constituted_on", "is_current"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [TermInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["partner"]
    fields = ["board", "role", "organisation", "partner", "starts_on", "ends_on", "public_consent"]


@admin.register(Person)
class PersonAdmin(RelevantSearchResultsMixin, HistoryAdmin):
    history_follow = ["memberships"]
    history_keep = ["user", "last_visit_at", "seen_until"]
    # One name column, so that role, organisation and membership fit 1280 px.
    list_display = ["name", "role", "organisation", "is_member", "has_login", "last_visit_at"]
    search_fields = ["last_name", "first_name", "email", "memberships__organisation"]
    list_filter = ["memberships__board", "memberships__role"]
    readonly_fields = ["user", "last_visit_at", "seen_until"]
    inlines = [MembershipInline]
    actions = ["send_invitation"]

    class Media:
        css = {"all": ["css/admin-board.css"]}

    def get_readonly_fields(self, request, obj=None):
        # The address an invitation goes to is not for those with fewer rights than the login.
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and outranks(obj.user, request.user):
            return [*fields, "email"]
        return fields

    def get_queryset(self, request):
        # One query for the people and one for all their memberships, however long the list.
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .annotate(is_current=Exists(Membership.objects.current().filter(person=OuterRef("pk"))))
            .prefetch_related(Prefetch("memberships", queryset=Membership.objects.current_first()))
        )

    def membership(self, person):
        """The membership the list shows: a current one, else the latest."""
        return next(iter(person.memberships.all()), None)

    @admin.display(description=_("Name"), ordering="last_name")
    def name(self, person):
        return f"{person.last_name}, {person.first_name}"

    @admin.display(description=_("Rolle"))
    def role(self, person):
        membership = self.membership(person)
        return membership.get_role_display() if membership else "–"

    @admin.display(description=_("vertritt"))
    def organisation(self, person):
        membership = self.membership(person)
        return (membership.organisation or "–") if membership else "–"

    @admin.display(boolean=True, description=_("Mitglied"), ordering="is_current")
    def is_member(self, person):
        return person.is_current

    @admin.display(boolean=True, description=_("Zugang"))
    def has_login(self, person):
        return person.user_id is not None and person.user.has_usable_password()

    @admin.action(description=_("Einladung zum Mitgliederbereich per E-Mail senden"))
    def send_invitation(self, request, queryset):
        send_invitations(request, queryset)


def send_invitations(request, people):
    """Invite each person with an address; the one way staff invite, from the people's list and
    from the confirmation of a notice. An account that holds rights the acting person lacks is
    left alone, with the refusal."""
    sent, missing, refused = 0, [], []
    with transaction.atomic():
        for person in people:
            if not person.email:
                missing.append(str(person))
                continue
            try:
                invite_person(request, person)
            except AccountOutranksActor as refusal:
                refused.append(str(refusal))
                continue
            sent += 1
    for refusal in refused:
        messages.error(request, refusal)
    if sent:
        messages.success(
            request,
            ngettext("%d Einladung verschickt.", "%d Einladungen verschickt.", sent) % sent,
        )
    if missing:
        messages.warning(request, _("Ohne E-Mail-Adresse keine Einladung: %s") % ", ".join(missing))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "board",
        "role",
        "organisation",
        "starts_on",
        "ends_on",
        "public_consent",
    ]
    list_filter = ["board", "role", "public_consent"]
    search_fields = ["person__last_name", "person__first_name", "organisation"]
    autocomplete_fields = ["person", "partner"]
    list_select_related = ["person", "board"]
