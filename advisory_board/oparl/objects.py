"""The OParl types of the board: which rows each shows, when each last changed, and each row as
the dict OParl 1.1 describes.

The rows of a type come from one method of the models that defines what is public; nothing here
filters by its own rule. An object's `modified` is the latest change of anything it shows (a
person's memberships, a meeting's agenda and files, a file's release), so that a client asking
for `modified_since` learns of every change it can see.
"""

from django.db.models import Case, F, Max, Min, OuterRef, Prefetch, Subquery, When
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from koss.core.links import public_url

from ..models import AgendaItem, Board, Document, Meeting, Membership, Person, Term

SCHEMA = "https://schema.oparl.org/1.1/"
BODY_KEY = "koss"


def address(name, *args):
    return public_url(reverse(f"oparl:{name}", args=args))


def moment(value):
    return timezone.localtime(value).isoformat(timespec="seconds")


def day(value):
    return value.isoformat() if value else None


def compact(data):
    """OParl leaves out what is not known rather than writing null or an empty text."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def latest(related, field="updated_at"):
    """The latest `field` of the related rows (a queryset with OuterRef), as a subquery."""
    return Subquery(related.order_by(f"-{field}").values(field)[:1])


def released_at():
    """When a document became readable: its release, once that has come; else its last change."""
    return Case(
        When(published_at__lte=timezone.now(), then=F("published_at")),
        default=F("updated_at"),
    )


class Kind:
    """One OParl type: `path` names its list and objects under /oparl/v1.1/."""

    path = ""
    type = ""
    model = None

    def public(self):
        raise NotImplementedError

    def rows(self):
        """Every row, public or not: those no longer public become `deleted: true`."""
        return self.model.objects.all()

    def modified(self):
        return F("updated_at")

    def related(self, queryset):
        return queryset

    def data(self, obj):
        raise NotImplementedError

    def annotated(self, queryset):
        return self.related(queryset.annotate(oparl_modified=self.modified()))

    def url(self, obj_or_pk):
        return address("object", self.path, getattr(obj_or_pk, "pk", obj_or_pk))

    def list_url(self):
        return address("list", self.path)

    def stamped(self, obj, data):
        return {
            "id": self.url(obj),
            "type": SCHEMA + self.type,
            **compact(data),
            "created": moment(obj.created_at),
            "modified": moment(obj.oparl_modified),
        }

    def as_dict(self, obj):
        return self.stamped(obj, self.data(obj))

    def as_deleted(self, obj):
        """Its address and times only: nothing of what it showed remains public."""
        return {**self.stamped(obj, self.required_when_deleted(obj)), "deleted": True}

    def required_when_deleted(self, obj):
        return {}


class Organizations(Kind):
    path, type, model = "organization", "Organization", Board

    def public(self):
        # A board is public as a whole: its name, purpose and constitution.
        return Board.objects.all()

    def modified(self):
        # Any membership's change counts: a consent withdrawn takes one from the list.
        memberships = Membership.objects.filter(board=OuterRef("pk"))
        return Greatest("updated_at", Coalesce(latest(memberships), "updated_at"))

    def related(self, queryset):
        return queryset.prefetch_related(
            Prefetch("memberships", Membership.objects.public().only("pk", "board_id"), "public")
        )

    def data(self, board):
        return {
            "body": BODY.url(),
            "name": board.name,
            "shortName": board.slug,
            "organizationType": "Gremium",
            "classification": "Beirat",
            "startDate": day(board.constituted_on),
            "membership": [MEMBERSHIPS.url(membership) for membership in board.public],
            "website": public_url(reverse("advisory_board:index")) if board.is_current else None,
        }


class LegislativeTerms(Kind):
    path, type, model = "legislative-term", "LegislativeTerm", Term

    def public(self):
        return Term.objects.all()

    def data(self, term):
        return {
            "body": BODY.url(),
            "name": term.name,
            "startDate": day(term.starts_on),
            "endDate": day(term.ends_on),
        }


class Memberships(Kind):
    path, type, model = "membership", "Membership", Membership

    def public(self):
        return Membership.objects.public()

    def data(self, membership):
        return {
            "person": PERSONS.url(membership.person_id),
            "organization": ORGANIZATIONS.url(membership.board_id),
            "role": str(membership.get_role_display()),
            "startDate": day(membership.starts_on),
            "endDate": day(membership.ends_on),
        }


class Persons(Kind):
    path, type, model = "person", "Person", Person

    def public(self):
        return Person.objects.public()

    def modified(self):
        memberships = Membership.objects.filter(person=OuterRef("pk"))
        return Greatest("updated_at", Coalesce(latest(memberships), "updated_at"))

    def related(self, queryset):
        return queryset.only(
            "pk", "title", "first_name", "last_name", "created_at", "updated_at"
        ).prefetch_related(
            Prefetch(
                "memberships",
                Membership.objects.public().annotate(oparl_modified=F("updated_at")),
                "public",
            )
        )

    def data(self, person):
        return {
            "body": BODY.url(),
            "name": person.full_name,
            "familyName": person.last_name,
            "givenName": person.first_name,
            "title": [person.title] if person.title else None,
            "membership": [MEMBERSHIPS.as_dict(membership) for membership in person.public],
        }


class Meetings(Kind):
    path, type, model = "meeting", "Meeting", Meeting

    def public(self):
        return Meeting.objects.announced()

    def modified(self):
        items = AgendaItem.objects.filter(meeting=OuterRef("pk"))
        files = (
            Document.objects.public()
            .filter(meeting=OuterRef("pk"))
            .annotate(appeared_at=Greatest("updated_at", released_at()))
        )
        return Greatest(
            "updated_at",
            Coalesce(latest(items), "updated_at"),
            Coalesce(latest(files, "appeared_at"), "updated_at"),
        )

    def related(self, queryset):
        return queryset.select_related("board").prefetch_related(
            Prefetch(
                "agenda_items",
                AgendaItem.objects.annotate(oparl_modified=AGENDA_ITEMS.modified()),
                "agenda",
            ),
            Prefetch("documents", FILES.annotated(Document.objects.public()), "files"),
        )

    def data(self, meeting):
        return {
            "name": f"{meeting.board.name}: {meeting}",
            "meetingState": str(meeting.get_status_display()),
            "cancelled": meeting.status == Meeting.Status.CANCELLED,
            "start": moment(meeting.starts_at),
            "end": moment(meeting.ends_at) if meeting.ends_at else None,
            "location": LOCATIONS.as_dict(meeting),
            "organization": [ORGANIZATIONS.url(meeting.board_id)],
            "agendaItem": [AGENDA_ITEMS.as_dict(item) for item in meeting.agenda],
            "auxiliaryFile": [FILES.as_dict(document) for document in meeting.files],
            "web": public_url(meeting.get_absolute_url()),
        }


class Locations(Kind):
    """A meeting's place: no list of its own, one object per meeting."""

    path, type, model = "location", "Location", Meeting

    def public(self):
        return Meeting.objects.announced()

    def data(self, meeting):
        return {"description": meeting.location, "meetings": [MEETINGS.url(meeting)]}

    def as_dict(self, meeting):
        # Embedded in its meeting, read with it: the meeting's times are the place's.
        return {
            "id": self.url(meeting),
            "type": SCHEMA + self.type,
            **self.data(meeting),
            "created": moment(meeting.created_at),
            "modified": moment(meeting.updated_at),
        }


class AgendaItems(Kind):
    """The items of announced meetings. The portal shows a meeting's agenda to the members of its
    board and to staff only: OParl tells an item's place on the agenda, not its title."""

    path, type, model = "agenda-item", "AgendaItem", AgendaItem

    def public(self):
        return AgendaItem.objects.of_announced_meetings()

    def modified(self):
        return Greatest("updated_at", "meeting__updated_at")

    def data(self, item):
        return {
            "meeting": MEETINGS.url(item.meeting_id),
            "number": str(item.position),
            "order": item.position,
            "public": False,
        }


class Files(Kind):
    path, type, model = "file", "File", Document

    def public(self):
        return Document.objects.public()

    def modified(self):
        return Greatest("updated_at", "meeting__updated_at", released_at())

    def related(self, queryset):
        return queryset.select_related("meeting").defer(
            "text", "search_vector", "search_stems", "meeting__search_vector"
        )

    def required_when_deleted(self, document):
        # The schema requires it; the address answers only those who may read the file.
        return {"accessUrl": public_url(document.get_absolute_url())}

    def data(self, document):
        download = public_url(document.get_absolute_url())
        return {
            "name": document.title,
            "fileName": document.download_name,
            "mimeType": document.content_type,
            "size": document.size,
            "date": day(timezone.localdate(document.published_at)),
            "accessUrl": download,
            "downloadUrl": download,
            "meeting": [MEETINGS.url(document.meeting_id)],
            "agendaItem": [AGENDA_ITEMS.url(document.agenda_item_id)]
            if document.agenda_item_id
            else None,
        }


class Papers(Kind):
    """The board keeps no papers (Drucksachen); OParl requires the list, which stays empty."""

    path, type, model = "paper", "Paper", Meeting

    def public(self):
        return Meeting.objects.none()

    def rows(self):
        return Meeting.objects.none()


class Bodies(Kind):
    """KOSS, the one body: its boards are the organizations."""

    path, type = "body", "Body"

    def url(self, obj=None):
        return address("body", BODY_KEY)

    def as_dict(self, times):
        return {
            "id": self.url(),
            "type": SCHEMA + self.type,
            "system": address("system"),
            "name": "Kompetenzzentrum Strategische Sozialplanung (KOSS)",
            "shortName": "KOSS",
            "website": public_url("/"),
            "organization": ORGANIZATIONS.list_url(),
            "person": PERSONS.list_url(),
            "meeting": MEETINGS.list_url(),
            "paper": PAPERS.list_url(),
            "agendaItem": AGENDA_ITEMS.list_url(),
            "file": FILES.list_url(),
            "membership": MEMBERSHIPS.list_url(),
            "legislativeTermList": LEGISLATIVE_TERMS.list_url(),
            "legislativeTerm": [
                LEGISLATIVE_TERMS.as_dict(term)
                for term in LEGISLATIVE_TERMS.annotated(Term.objects.order_by("pk"))
            ],
            "created": moment(times["created"]),
            "modified": moment(times["modified"]),
            "web": public_url("/"),
        }

    @staticmethod
    def times():
        """The body began with its first board and changes with its boards and terms; before
        any board exists, it begins now."""
        boards = Board.objects.aggregate(created=Min("created_at"), modified=Max("updated_at"))
        terms = Term.objects.aggregate(modified=Max("updated_at"))
        now = timezone.now()
        changes = [value for value in (boards["modified"], terms["modified"]) if value]
        return {"created": boards["created"] or now, "modified": max(changes, default=now)}


ORGANIZATIONS = Organizations()
LEGISLATIVE_TERMS = LegislativeTerms()
MEMBERSHIPS = Memberships()
PERSONS = Persons()
MEETINGS = Meetings()
LOCATIONS = Locations()
AGENDA_ITEMS = AgendaItems()
FILES = Files()
PAPERS = Papers()
BODY = Bodies()

# The external lists of the body, by their path.
LISTS = {
    kind.path: kind
    for kind in (
        ORGANIZATIONS,
        PERSONS,
        MEMBERSHIPS,
        MEETINGS,
        AGENDA_ITEMS,
        FILES,
        LEGISLATIVE_TERMS,
        PAPERS,
    )
}
# The objects with an address of their own.
OBJECTS = {**LISTS, LOCATIONS.path: LOCATIONS}
