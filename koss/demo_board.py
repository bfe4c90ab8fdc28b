"""The advisory board for the demo content.

Real: the Beirat für Sozialplanung constituted on 6 October 2014 in the Staatskanzlei, its patron
Christine Lieberknecht and the member ThASG e.V. represented by Andreas Mehlich (seeds, FACTS.md),
and the first board of 2011. Everything marked "(Demo)" is invented: the other people, the
meetings after the constituent one, their agendas and documents.
"""

import datetime

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
