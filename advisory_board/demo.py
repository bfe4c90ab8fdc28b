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
    Attendance,
    Board,
    Document,
    Meeting,
    Membership,
    MinutesComment,
    Outcome,
    OutcomeStatusChange,
    Person,
    Reply,
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
        # The demo's meetings are announced; the Redaktion prepares the next one in the admin.
        meeting, _ = Meeting.objects.update_or_create(
            board=board,
            number=entry["number"],
            defaults={**entry, "starts_at": starts_at},
            create_defaults={**entry, "starts_at": starts_at, "announced_at": timezone.now()},
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
        load_replies_and_attendance(meeting)
    load_minutes_lifecycle(board, approval_items)
    load_outcomes(board, partners, users.get("redaktion@example.org"))
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


# A deputy for every seat that is not taken in person now and then.
DEPUTIES = {
    "Mehlich": "Ute Beispiel (Demo)",
    "Planung (Demo)": "Petra Muster (Demo)",
    "Wissenschaft (Demo)": "Lars Vertreter (Demo)",
}


def load_replies_and_attendance(meeting):
    """Replies of the members, and for held meetings the attendance taken from them; the upcoming
    meeting leaves the demo member's reply open, so the reply form can be tried."""
    day = timezone.localdate(meeting.starts_at)
    members = (
        Membership.objects.current(on=day).filter(board=meeting.board).select_related("person")
    )
    upcoming = meeting.status == Meeting.Status.PLANNED
    for n, membership in enumerate(members):
        person = membership.person
        if upcoming and person.user_id is not None:
            continue
        deputy = DEPUTIES.get(person.last_name)
        turn = (n + meeting.number) % 5
        if upcoming:
            # One deputy with a comment for the meeting to come.
            turn = 0 if person.last_name == "Planung (Demo)" else 1
        answer = {"answer": Reply.Answer.YES, "deputy_name": "", "comment": ""}
        if deputy and turn == 0:
            answer |= {"answer": Reply.Answer.DEPUTY, "deputy_name": deputy}
        elif turn == 3:
            answer["answer"] = Reply.Answer.NO
        if upcoming and deputy and turn == 0:
            answer["comment"] = "Meine Vertretung bringt die Zahlen aus der Region mit. (Demo)"
        Reply.objects.update_or_create(meeting=meeting, person=person, defaults=answer)
    if meeting.status == Meeting.Status.HELD:
        Attendance.objects.prefill(meeting)


# meeting number, kind, text, responsible text, partner slug, person's last name, due date,
# and the history of the status: (status, date of the change)
OUTCOMES = [
    (
        1,
        "beschluss",
        "Der Beirat tagt einmal im Quartal; die Geschäftsstelle lädt vier Wochen vorher ein. (Demo)",
        "",
        None,
        None,
        None,
        [("gefasst", datetime.date(2014, 10, 6))],
    ),
    (
        1,
        "aufgabe",
        "Entwurf einer Geschäftsordnung an die Mitglieder senden. (Demo)",
        "Geschäftsstelle KOSS",
        None,
        None,
        datetime.date(2014, 11, 15),
        [
            ("offen", datetime.date(2014, 10, 6)),
            ("in_bearbeitung", datetime.date(2014, 10, 20)),
            ("erledigt", datetime.date(2014, 11, 12)),
        ],
    ),
    (
        6,
        "aufgabe",
        "Eckpunkte für einen Sozialstrukturatlas Thüringen zusammenstellen. (Demo)",
        "",
        "liga-thueringen",
        None,
        datetime.date(2016, 6, 30),
        [("offen", datetime.date(2016, 1, 20)), ("in_bearbeitung", datetime.date(2016, 3, 1))],
    ),
    (
        7,
        "aufgabe",
        "Gute Beispiele kommunaler Sozialplanung aus den Landkreisen sammeln. (Demo)",
        "",
        None,
        "Planung (Demo)",
        datetime.date(2016, 9, 30),
        [("offen", datetime.date(2016, 4, 20))],
    ),
    (
        7,
        "aufgabe",
        "Fachtag „Sozialplanung im ländlichen Raum“ im Herbst 2016 vorbereiten. (Demo)",
        "Arbeitsgruppe Ländlicher Raum (Demo)",
        None,
        None,
        datetime.date(2016, 8, 31),
        [("offen", datetime.date(2016, 4, 20)), ("entfallen", datetime.date(2016, 7, 13))],
    ),
    (
        8,
        "beschluss",
        "Der Beirat empfiehlt dem Land, Sozialplanung in allen Landkreisen zu fördern. (Demo)",
        "",
        None,
        None,
        None,
        [("gefasst", datetime.date(2016, 7, 13))],
    ),
    (
        8,
        "aufgabe",
        "Stellungnahme zum Landesentwicklungsprogramm vorbereiten. (Demo)",
        "",
        None,
        "Vorsitz (Demo)",
        datetime.date(2016, 10, 31),
        [("offen", datetime.date(2016, 7, 13))],
    ),
]


def load_outcomes(board, partners, editor):
    """Decisions and tasks of the held meetings with their history, and the open ones on the
    upcoming meeting's agenda."""
    meetings = {meeting.number: meeting for meeting in board.meetings.all()}
    people = {
        person.last_name: person for person in Person.objects.filter(memberships__board=board)
    }
    for number, kind, text, responsible, partner, person, due_on, history in OUTCOMES:
        meeting = meetings[number]
        at = [
            timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 0)))
            for _status, day in history
        ]
        outcome, created = Outcome.objects.update_or_create(
            meeting=meeting,
            text=text,
            defaults={
                "kind": kind,
                # The guiding question: the third item of the constituent meeting, the fourth
                # of those that approve the minutes of the one before.
                "agenda_item": meeting.agenda_items.filter(title__startswith="Leitfrage").first(),
                "responsible": responsible,
                "responsible_partner": partners.get(partner),
                "responsible_person": people.get(person),
                "due_on": due_on,
                "status": history[-1][0],
                "status_changed_at": at[-1],
            },
        )
        if created:
            previous = [""] + [status for status, _day in history]
            OutcomeStatusChange.objects.bulk_create(
                OutcomeStatusChange(
                    outcome=outcome,
                    old_status=old,
                    new_status=status,
                    changed_at=changed_at,
                    changed_by=editor,
                )
                for old, (status, _day), changed_at in zip(previous, history, at, strict=False)
            )
    upcoming = board.meetings.upcoming().first()
    if upcoming:
        Outcome.objects.put_on_agenda(upcoming)
