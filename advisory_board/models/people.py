"""The people of a board: the board and its terms, persons and their memberships."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koss.core.choices import choice_display
from koss.core.collation import GERMAN
from partners.models import Partner

# After this long away, the documents of the previous visit no longer count as new.
VISIT_GAP = datetime.timedelta(minutes=30)
# How precisely the end of a visit is recorded.
VISIT_RESOLUTION = datetime.timedelta(minutes=1)


class Audience(models.TextChoices):
    """Who reads: a document's visibility, and whose ZIP or meeting book of a meeting one gets."""

    PUBLIC = "oeffentlich", _("öffentlich")
    MEMBERS = "mitglieder", _("für Mitglieder")
    STAFF = "redaktion", _("nur Redaktion")


class BoardQuerySet(models.QuerySet):
    def current(self):
        """The board the site shows: the one marked current, else the first; None without any."""
        return self.filter(is_current=True).first() or self.first()


class Board(models.Model):
    """An advisory board, e.g. the Beirat für Sozialplanung constituted in 2014."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    purpose = models.TextField(
        _("Auftrag"),
        help_text=_("Wofür der Beirat da ist; erscheint öffentlich. Leerzeilen trennen Absätze."),
    )
    constituted_on = models.DateField(_("konstituiert am"))
    constituted_at = models.CharField(_("konstituiert in"), max_length=200, blank=True)
    is_current = models.BooleanField(
        _("aktueller Beirat"),
        default=False,
        help_text=_("Der aktuelle Beirat erscheint unter /beirat/."),
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beirat")
        verbose_name_plural = _("Beiräte")
        ordering = ["-constituted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_board"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.constituted_on.year})"


class Term(models.Model):
    """A term of office of a board, usually two years."""

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="terms", verbose_name=_("Beirat")
    )
    name = models.CharField(
        _("Bezeichnung"), max_length=100, help_text=_("Z. B. „Amtszeit 2014–2016“.")
    )
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Amtszeit")
        verbose_name_plural = _("Amtszeiten")
        ordering = ["board", "starts_on"]

    def __str__(self):
        return f"{self.board.name}: {self.name}"


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People who may appear publicly: with at least one membership whose consent they gave
        (MembershipQuerySet.public())."""
        return self.filter(
            models.Exists(Membership.objects.public().filter(person=models.OuterRef("pk")))
        )


class Person(models.Model):
    """Somebody who serves or served on a board; may have a login for the members' area."""

    title = models.CharField(_("Titel"), max_length=50, blank=True, help_text=_("Z. B. „Dr.“"))
    first_name = models.CharField(_("Vorname"), max_length=100, db_collation=GERMAN)
    last_name = models.CharField(_("Nachname"), max_length=100, db_collation=GERMAN)
    email = models.EmailField(
        _("E-Mail"),
        blank=True,
        help_text=_("An diese Adresse gehen Einladung und Benachrichtigungen."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_person",
        verbose_name=_("Zugang"),
    )
    is_demo = models.BooleanField(_("Demo-Person"), default=False, editable=False)
    # Documents changed after this moment are shown as new in the members' area.
    seen_until = models.DateTimeField(
        _("Dokumente gesehen bis"), null=True, blank=True, editable=False
    )
    last_visit_at = models.DateTimeField(_("letzter Besuch"), null=True, blank=True, editable=False)
    # Which login session the visit of last_visit_at belongs to (a hash of the session key): a
    # new session is a new visit.
    visit_session = models.CharField(max_length=64, blank=True, editable=False)
    calendar_token = models.CharField(
        _("Kalender-Schlüssel"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    def record_visit(self, session_key, now):
        """Documents are new if they appeared after the previous visit ended: the same on every
        page of a visit. A visit is a login session; it ends early after VISIT_GAP without a page
        view."""
        session = hashlib.sha256((session_key or "").encode()).hexdigest()[:32]
        last = self.last_visit_at
        if last is None or self.visit_session != session or now - last > VISIT_GAP:
            # A new visit: what appeared before the last one ended is no longer new. Before the
            # first visit, everything since the membership began is new.
            self.seen_until = last
            self.visit_session = session
        elif now - last < VISIT_RESOLUTION:
            return  # the same visit, recorded moments ago: no write for every page view
        self.last_visit_at = now
        self.save(update_fields=["seen_until", "last_visit_at", "visit_session"])

    def new_calendar_token(self):
        self.calendar_token = secrets.token_urlsafe(32)
        self.save(update_fields=["calendar_token"])
        return self.calendar_token


class MembershipQuerySet(models.QuerySet):
    @staticmethod
    def in_force(on=None):
        """The condition of a membership in force on the day (today): the one rule."""
        on = on or timezone.localdate()
        return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def current(self, on=None):
        return self.filter(self.in_force(on))

    def current_first(self):
        """Current memberships first, then the latest."""
        return self.annotate(
            is_in_force=ExpressionWrapper(self.in_force(), output_field=BooleanField())
        ).order_by("-is_in_force", "-starts_on")

    def public(self):
        """Memberships shown publicly, with name, role and organisation: only with consent."""
        return self.filter(public_consent=True)

    def current_of(self, user):
        """The memberships a login holds now: the one rule for whose boards a person is on. In no
        order: the list's order would join the boards on every page a member opens."""
        return self.current().filter(person__user=user).order_by()


class Membership(models.Model):
    class Role(models.TextChoices):
        PATRON = "schirmherrschaft", _("Schirmherrschaft")
        CHAIR = "vorsitz", _("Vorsitz")
        DEPUTY = "stellvertretung", _("Stellvertretender Vorsitz")
        MEMBER = "mitglied", _("Mitglied")

    ROLE_ORDER = [Role.PATRON, Role.CHAIR, Role.DEPUTY, Role.MEMBER]

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Person")
    )
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Beirat")
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role, default=Role.MEMBER)
    organisation = models.CharField(
        _("vertritt"),
        max_length=200,
        blank=True,
        help_text=_("Die Organisation, für die die Person im Beirat sitzt."),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_memberships",
        verbose_name=_("Organisation im Partnernetzwerk"),
        help_text=_("Verlinkt die Organisation mit ihrer Partnerseite."),
    )
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(
        _("Ende"), null=True, blank=True, help_text=_("Leer, solange die Mitgliedschaft läuft.")
    )
    public_consent = models.BooleanField(
        _("Einwilligung zur Veröffentlichung"),
        default=False,
        help_text=_("Nur mit Einwilligung erscheinen Name, Rolle und Organisation öffentlich."),
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["board", "person__last_name", "person__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            )
        ]

    get_role_display = choice_display(Role, "role")

    def __str__(self):
        return f"{self.person} – {self.get_role_display()} ({self.board.name})"

    @property
    def role_rank(self):
        return self.ROLE_ORDER.index(self.role)


def current_person(user):
    """The board person behind a login, or None."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def current_member(user):
    """The board person behind a login and the ids of the boards they currently belong to, in one
    query; (None, set()) for everyone who belongs to no board now."""
    if not user.is_authenticated:
        return None, set()
    memberships = list(Membership.objects.current_of(user).select_related("person"))
    if not memberships:
        return None, set()
    return memberships[0].person, {membership.board_id for membership in memberships}
