"""The advisory board for the demo content.

Real: the Beirat für Sozialplanung constituted on 6 October 2014 in the Staatskanzlei, its patron
Christine Lieberknecht and the member ThASG e.V. represented by Andreas Mehlich (seeds, FACTS.md),
and the first board of 2011. Everything marked "(Demo)" is invented: the other people, the
meetings after the constituent one, their agendas and documents.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from koss.core.demo import demo_pdf
from partners.models import Partner

from .models import (
    AgendaItem,
    Board,
    Document,
    Meeting,
    Membership,
    MinutesComment,
    Person,
    Term,
)

BOARD_PURPOSE = (
    "Der interdisziplinär besetzte Beirat für Sozialplanung soll als Impulsgeber, Denkfabrik und "
    "Stichwortgeber wirken. Er fragt, wie über Planungsprozesse im Freistaat – Landes-, Regional- "
    "und Sozialplanung – die soziale Infrastruktur nachhaltig gesichert werden kann, besonders im "
    "ländlichen Raum, und welche neue Kultur der Zusammenarbeit es dafür braucht.\n\n"
    "Dem Beirat gehören 17 Personen an. Er trifft sich einmal im Quartal; Schirmherrin ist "
    "Christine Lieberknecht, die die Idee eines solchen Beirats seit 2008 verfolgt."
)

FIRST_BOARD_PURPOSE = (
    "Der erste Beirat begleitete die LIGA-Machbarkeitsstudie „Strategisches Zentrum für "
    "Sozialplanung“ (2010 bis 2012). Er konstituierte sich am 13. September 2011 in der Thüringer "
    "Staatskanzlei."
)

TERM_START = datetime.date(2014, 10, 6)
TERM_END = datetime.date(2016, 10, 5)

# first name, last name, role, organisation, partner slug, public consent, end date, login
PEOPLE = [
    ("Christine", "Lieberknecht", "schirmherrschaft", "", None, True, None, None),
    ("Andreas", "Mehlich", "mitglied", "ThASG e.V.", "thasg", True, None, None),
    (
        "Jana",
        "Vorsitz (Demo)",
        "vorsitz",
        "LIGA der Freien Wohlfahrtspflege in Thüringen e.V.",
        "liga-thueringen",
        True,
        None,
        None,
    ),
    (
        "Maria",
        "Mitglied (Demo)",
        "mitglied",
        "Stadtliga Erfurt (Demo)",
        "stadtliga-erfurt-demo",
        True,
        None,
        "mitglied@example.org",
    ),
    (
        "Erik",
        "Ehemalig (Demo)",
        "mitglied",
        "Kreisliga Nordhausen (Demo)",
        "kreisliga-nordhausen-demo",
        False,
        TERM_END,
        "ehemalig@example.org",
    ),
    (
        "Paul",
        "Planung (Demo)",
        "stellvertretung",
        "Regionale Planungsgemeinschaft Mittelthüringen",
        "rpg-mittelthueringen",
        True,
        None,
        None,
    ),
    (
        "Sabine",
        "Wissenschaft (Demo)",
        "mitglied",
        "Institut für kommunale Planung und Entwicklung e.V.",
        "ikpe",
        False,
        None,
        None,
    ),
    (
        "Tom",
        "Verwaltung (Demo)",
        "mitglied",
        "Stabsstelle Strategische Sozialplanung",
        "stabsstelle-strategische-sozialplanung",
        True,
        None,
        None,
    ),
]

AGENDA = [
    ("Begrüßung und Feststellung der Tagesordnung", ""),
    ("Genehmigung des Protokolls der vorigen Sitzung", ""),
    ("Bericht aus dem Kompetenzzentrum", "Aktueller Stand der Arbeit von KOSS."),
    ("Leitfrage: Sicherung der sozialen Infrastruktur im ländlichen Raum", ""),
    ("Verschiedenes", ""),
]


def meetings():
    """Eight quarterly meetings from the constituent one to 2016, and one still to come."""
    dates = [
        datetime.datetime(2014, 10, 6, 14, 0),
        datetime.datetime(2015, 1, 21, 14, 0),
        datetime.datetime(2015, 4, 22, 14, 0),
        datetime.datetime(2015, 7, 8, 14, 0),
        datetime.datetime(2015, 10, 14, 14, 0),
        datetime.datetime(2016, 1, 20, 14, 0),
        datetime.datetime(2016, 4, 20, 14, 0),
        datetime.datetime(2016, 7, 13, 14, 0),
    ]
    result = []
    for number, starts_at in enumerate(dates, start=1):
        constituent = number == 1
        result.append(
            {
                "number": number,
                "starts_at": starts_at,
                "location": "Thüringer Staatskanzlei, Erfurt"
                if constituent
                else "LIGA-Geschäftsstelle, Erfurt (Demo)",
                "status": "stattgefunden",
                "public_summary": (
                    "Konstituierende Sitzung des Beirats für Sozialplanung unter der Leitung der LIGA. "
                    "Schirmherrin ist Christine Lieberknecht."
                    if constituent
                    else f"Fiktive Zusammenfassung der {number}. Sitzung für die Demo-Inhalte."
                ),
            }
        )
    return result


def load_demo_content():
    """The boards, people, meetings and documents of the demo content; safe to run again."""
    Board.objects.update_or_create(
        slug="beirat-machbarkeitsstudie-2011",
        defaults={
            "name": "Beirat zur Machbarkeitsstudie",
            "purpose": FIRST_BOARD_PURPOSE,
            "constituted_on": datetime.date(2011, 9, 13),
            "constituted_at": "Thüringer Staatskanzlei",
            "is_current": False,
        },
    )
    board, _ = Board.objects.update_or_create(
        slug="beirat-fuer-sozialplanung-2014",
        defaults={
            "name": "Beirat für Sozialplanung",
            "purpose": BOARD_PURPOSE,
            "constituted_on": TERM_START,
            "constituted_at": "Thüringer Staatskanzlei in Erfurt",
            "is_current": True,
        },
    )
    Term.objects.update_or_create(
        board=board,
        name="Amtszeit 2014–2016",
        defaults={"starts_on": TERM_START, "ends_on": TERM_END},
    )
    users = {user.email: user for user in get_user_model().objects.all()}
    partners = {partner.slug: partner for partner in Partner.objects.all()}
    for first, last, role, organisation, partner, consent, ends_on, login in PEOPLE:
        person, _ = Person.objects.update_or_create(
            first_name=first,
            last_name=last,
            defaults={
                "email": login or "",
                "user": users.get(login),
                "is_demo": "(Demo)" in last,
            },
        )
        Membership.objects.update_or_create(
            person=person,
            board=board,
            defaults={
                "role": role,
                "organisation": organisation,
                "partner": partners.get(partner),
                "starts_on": TERM_START,
                "ends_on": ends_on,
                "public_consent": consent,
            },
        )
    entries = meetings()
    upcoming = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
    entries.append(
        {
            "number": len(entries) + 1,
            "starts_at": (upcoming + datetime.timedelta(days=45)).replace(tzinfo=None),
            "location": "LIGA-Geschäftsstelle, Erfurt (Demo)",
            "status": "geplant",
            "public_summary": "Fiktive kommende Sitzung für die Demo-Inhalte.",
        }
    )
    approval_items = []
    for entry in entries:
        starts_at = timezone.make_aware(entry.pop("starts_at"))
        meeting, _ = Meeting.objects.update_or_create(
            board=board, number=entry["number"], defaults={**entry, "starts_at": starts_at}
        )
        # The constituent meeting has no minutes of an earlier one to approve.
        agenda = AGENDA if meeting.number > 1 else [AGENDA[0], *AGENDA[2:]]
        items = [
            AgendaItem.objects.update_or_create(
                meeting=meeting,
                position=position,
                defaults={"title": title, "description": text},
            )[0]
            for position, (title, text) in enumerate(agenda, start=1)
        ]
        if meeting.number > 1:
            approval_items.append(items[1])
        load_meeting_documents(meeting, items)
    load_minutes_lifecycle(board, approval_items)
    return f"Beirat mit {len(PEOPLE)} Personen und {len(entries)} Sitzungen geladen."


def load_minutes_lifecycle(board, approval_items):
    """Each meeting's minutes go up for approval at the next one; all but the last held meeting's
    are approved there. The last draft has a second version and comments of two members."""
    for item in approval_items:
        minutes = Document.objects.filter(
            meeting__board=board,
            meeting__number=item.meeting.number - 1,
            kind=Document.Kind.MINUTES,
        ).first()
        if minutes is None:
            continue
        approved = item.meeting.status == Meeting.Status.HELD
        minutes.approval_item = item
        minutes.approved_on = timezone.localdate(item.meeting.starts_at) if approved else None
        # Saved field by field: the document keeps the moment it last changed.
        minutes.save(update_fields=["approval_item", "approved_on"])
        if not approved:
            load_draft_comments(minutes)


def load_draft_comments(draft):
    if draft.comments.exists():
        return
    commenters = {
        person.last_name: person
        for person in Person.objects.filter(last_name__in=["Planung (Demo)", "Mitglied (Demo)"])
    }
    MinutesComment.objects.create(
        document=draft,
        person=commenters["Planung (Demo)"],
        version=draft.version,
        text="Unter TOP 3 fehlt der Hinweis auf die Rückmeldung der Planungsgemeinschaften. "
        "Bitte ergänzen. (Demo)",
    )
    pdf = demo_pdf(
        f"DEMO – {draft.title}, Fassung {draft.version + 1}",
        [
            f"{draft.meeting.board.name}, {draft.meeting}",
            "Entwurf mit der Ergänzung unter TOP 3.",
            "Fiktives Dokument für die Demo-Inhalte des KOSS-Portals.",
        ],
    )
    draft.file = ContentFile(pdf, name=f"sitzung-{draft.meeting.number:02d}-protokoll-demo.pdf")
    draft.save()
    MinutesComment.objects.create(
        document=draft,
        person=commenters["Mitglied (Demo)"],
        version=draft.version,
        text="Danke für die Ergänzung. Aus meiner Sicht kann das Protokoll so genehmigt "
        "werden. (Demo)",
    )


def load_meeting_documents(meeting, items):
    past = meeting.status == Meeting.Status.HELD
    released = min(meeting.starts_at - datetime.timedelta(days=14), timezone.now())
    documents = [
        ("einladung", f"Einladung zur {meeting.number}. Sitzung", "mitglieder", None, released),
        ("tagesordnung", "Tagesordnung", "mitglieder", items[0], released),
        (
            "praesentation",
            "Präsentation: Bericht aus dem Kompetenzzentrum",
            "oeffentlich",
            next(item for item in items if item.title.startswith("Bericht")),
            meeting.starts_at if past else None,
        ),
    ]
    if past:
        minutes_at = meeting.starts_at + datetime.timedelta(days=21)
        documents.append(
            (
                "protokoll",
                f"Protokoll der {meeting.number}. Sitzung",
                "mitglieder",
                None,
                minutes_at,
            )
        )
    if meeting.number == 1:
        documents.append(
            ("beschluss", "Interner Vermerk der Redaktion", "redaktion", None, released)
        )
    for kind, title, visibility, item, published_at in documents:
        title = f"{title} (Demo)"
        if Document.objects.filter(meeting=meeting, kind=kind, title=title).exists():
            continue
        pdf = demo_pdf(
            f"DEMO – {title}",
            [
                f"{meeting.board.name}, {meeting}",
                "Fiktives Dokument für die Demo-Inhalte des KOSS-Portals.",
            ],
        )
        document = Document.objects.create(
            meeting=meeting,
            agenda_item=item,
            kind=kind,
            title=title,
            visibility=visibility,
            file=ContentFile(pdf, name=f"sitzung-{meeting.number:02d}-{kind}-demo.pdf"),
            published_at=published_at,
            notified_at=published_at,
        )
        if published_at:
            Document.objects.filter(pk=document.pk).update(changed_at=published_at)
