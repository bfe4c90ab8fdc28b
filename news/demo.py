"""News for the demo content: the press release of 6 October 2014 from the client's material and
real milestones from FACTS.md. Entries marked "(Demo)" are invented to show the workflow."""

import datetime
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from koss.core.demo import demo_pdf
from partners.models import Partner

from .models import Article, Attachment

BERLIN = ZoneInfo("Europe/Berlin")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=BERLIN)


PRESS_RELEASE_BODY = """
<p><strong>Erfurt/Jena.</strong> Am 6. Oktober konstituierte sich unter der Leitung der LIGA der
Freien Wohlfahrtspflege in Thüringen e.V. der Beirat für Sozialplanung, der aus 17 Personen
besteht, in der Staatskanzlei in Erfurt. Schirmherrin des Beirates ist Christine Lieberknecht, die
bereits seit 2008 diese Idee eines Beirates verfolgt.</p>
<p>Ziel ist es, sich Gedanken zu machen, wie über Planungsprozesse im Freistaat (Landes-, Regional-
und Sozialplanung) unter den bestehenden Bedingungen eine nachhaltige Sicherung der sozialen
Infrastruktur, insbesondere im ländlichen Raum, erreicht werden kann und welche Prozesse es dazu
braucht?! Weiter steht die Frage im Raum, wie sich eine neue Kultur der Zusammenarbeit gestalten
muss, damit so etwas gelingt?</p>
<p>Diese Leitfragen werden in den folgenden zwei Jahren, in denen der Beirat sich einmal im Quartal
trifft, diskutiert. Mitglied des Beirates ist auch der ThASG e.V., vertreten durch Andreas
Mehlich.</p>
<p>Seitens der LIGA heißt es:</p>
<blockquote><p>„Der interdisziplinär besetzte Beirat soll als Impulsgeber, Denkfabrik und
Stichwortgeber fungieren. Losgelöst von starren Strukturen denken die Mitglieder des Gremiums „über
den Tag und Tellerrand“ hinaus und entwickeln visionäre Vorschläge zur Handhabung der Folgen und
Herausforderungen des demografischen Wandels für die soziale Infrastruktur in Thüringen, besonders
mit Blick auf den Erhalt der sozialen Daseinsvorsorge im ländlichen Raum. Auf diese Weise sollen
insbesondere auf kommunaler Ebene die Akteure aus Politik, Verwaltung und (Sozial-) Wirtschaft für
die Herausforderungen und den daraus resultierenden Handlungsbedarf nicht nur weiter
sensibilisiert, sondern ihnen auch ganz konkret Lösungsansätze angeboten werden.“</p></blockquote>
"""

ARTICLES = [
    {
        "slug": "beirat-fuer-sozialplanung-konstituiert",
        "kind": "pressemitteilung",
        "title": "Beirat für Sozialplanung konstituierte sich am 6. Oktober 2014",
        "teaser": "In der Staatskanzlei in Erfurt hat sich unter der Leitung der LIGA der Beirat für "
        "Sozialplanung konstituiert: 17 Personen, Schirmherrin ist Christine Lieberknecht.",
        "body": PRESS_RELEASE_BODY,
        "publish_at": at(2014, 10, 7),
        "partners": ["liga-thueringen", "thasg"],
        "attachments": [
            (
                "Pressemitteilung Konstituierung Beirat für Sozialplanung (Demo-PDF)",
                "pressemitteilung-beirat-2014-demo.pdf",
                "Pressemitteilung: Beirat für Sozialplanung konstituiert",
            ),
            (
                "LIGA-Machbarkeitsstudie zur Implementierung eines strategischen Zentrums für "
                "Sozialplanung (Demo-PDF)",
                "machbarkeitsstudie-demo.pdf",
                "LIGA-Machbarkeitsstudie Strategisches Zentrum für Sozialplanung",
            ),
        ],
    },
    {
        "slug": "koss-nimmt-arbeit-auf",
        "kind": "meldung",
        "title": "Kompetenzzentrum Strategische Sozialplanung nimmt die Arbeit auf",
        "teaser": "Seit Juni 2014 unterstützt, berät und vernetzt KOSS bei der LIGA die "
        "Sozialplanung in Thüringen – mit zwei Vollzeitstellen.",
        "body": "<p>Das Kompetenzzentrum Strategische Sozialplanung (KOSS) ist seit Juni 2014 bei der "
        "LIGA der Freien Wohlfahrtspflege in Thüringen e.V. angesiedelt, auf Stabsebene und nah an "
        "der Leitung der Verbände. Zwei Grundsatzreferentinnen und Grundsatzreferenten Strategische "
        "Sozialplanung bauen es auf.</p><p>KOSS plant nicht selbst: Es unterstützt, berät und "
        "vernetzt, und es bereitet freie Träger vor Ort darauf vor, sich an der kommunalen "
        "Sozialplanung zu beteiligen.</p>",
        "publish_at": at(2014, 6, 2),
        "partners": ["liga-thueringen"],
    },
    {
        "slug": "esf-foerderung-ab-2015",
        "kind": "meldung",
        "title": "Förderung durch den Europäischen Sozialfonds ab 2015",
        "teaser": "Vom 1. Januar 2015 an fördert der Europäische Sozialfonds KOSS im Rahmen der "
        "Thüringer Armutspräventionsrichtlinie.",
        "body": "<p>Seit dem 1. Januar 2015 wird das Kompetenzzentrum aus dem Europäischen Sozialfonds "
        "(ESF) nach der Armutspräventionsrichtlinie des Freistaats gefördert. Alle Arbeit von KOSS "
        "folgt dem Ziel, Armut vorzubeugen.</p>",
        "publish_at": at(2015, 1, 5),
        "partners": ["tmasgff"],
    },
    {
        "slug": "machbarkeitsstudie-abgeschlossen",
        "kind": "meldung",
        "title": "Machbarkeitsstudie „Strategisches Zentrum für Sozialplanung“ abgeschlossen",
        "teaser": "Von September 2010 bis Februar 2012 untersuchte ein dreiköpfiges Team unter "
        "Leitung von Andreas Beck, wie ein strategisches Zentrum für Sozialplanung aussehen kann.",
        "body": "<p>Die LIGA-Machbarkeitsstudie lief von September 2010 bis Februar 2012, geleitet "
        "von Andreas Beck und gefördert aus dem ESF und vom Sozialministerium; die Gesamtkosten "
        "betrugen 175.000 Euro.</p><p>Den Hintergrund bildete die Prognose, dass Thüringens "
        "Bevölkerung bis 2030 von 2,25 auf 1,8 Millionen Menschen schrumpft – am stärksten im "
        "ländlichen Raum. Ein erster Beirat begleitete die Studie; er konstituierte sich am "
        "13. September 2011 in der Thüringer Staatskanzlei.</p>",
        "publish_at": at(2012, 2, 29),
        "partners": ["liga-thueringen", "tmasgff"],
    },
    {
        "slug": "koss-plus-ab-2024",
        "kind": "meldung",
        "title": "KOSS plus: neue Förderperiode ab Februar 2024",
        "teaser": "Seit Februar 2024 wird das Kompetenzzentrum als „KOSS plus“ nach der "
        "Sozialstrategierichtlinie aus dem ESF Plus gefördert.",
        "body": "<p>Mit der neuen Förderperiode heißt das Kompetenzzentrum „KOSS plus“. Die Themen: "
        "Beratung der Kreis- und Stadtligen zur kommunalen Sozialplanung, Sozialraumorientierung, "
        "Jugendhilfe- und Sozialplanung mit dem Schwerpunkt Armutsprävention, die Zukunft der "
        "Pflege und das ITP-Modell im Kontext kommunaler Sozialplanung.</p>",
        "publish_at": at(2024, 2, 1),
        "partners": ["liga-thueringen", "stabsstelle-strategische-sozialplanung"],
    },
    {
        "slug": "fachtag-sozialraumorientierung-demo",
        "kind": "veranstaltung",
        "title": "Fachtag Sozialraumorientierung (Demo)",
        "teaser": "Fiktiver Veranstaltungshinweis für die Demo-Inhalte: Ein Fachtag für Kreis- und "
        "Stadtligen zur Sozialraumorientierung.",
        "body": "<p>Dieser Veranstaltungshinweis ist erfunden und zeigt, wie Termine auf der Website "
        "erscheinen.</p>",
        "publish_at": at(2026, 9, 15),
        # Always ahead of the day the demo content is loaded, at 9:30 to 16:00.
        "event_in_days": (40, (9, 30), (16, 0)),
        "location": "Erfurt (erfundener Ort für die Demo)",
        "partners": ["stadtliga-erfurt-demo"],
    },
    {
        "slug": "werkstattgespraech-pflege-demo",
        "kind": "veranstaltung",
        "title": "Werkstattgespräch Zukunft der Pflege (Demo)",
        "teaser": "Fiktiver, vergangener Veranstaltungshinweis: Er steht in der Liste nach den "
        "bevorstehenden Veranstaltungen.",
        "body": "<p>Dieser Veranstaltungshinweis ist erfunden.</p>",
        "publish_at": at(2025, 4, 1),
        "event": (at(2025, 5, 14, 13), at(2025, 5, 14, 17)),
        "location": "Online (erfundener Termin für die Demo)",
        "partners": [],
    },
    {
        "slug": "geplante-meldung-demo",
        "kind": "meldung",
        "title": "Geplante Meldung (Demo)",
        "teaser": "Fiktiver Beitrag, der erst in der Zukunft erscheint: Die Redaktion sieht ihn als "
        "Vorschau.",
        "body": "<p>Dieser Beitrag ist für einen Zeitpunkt in der Zukunft geplant.</p>",
        "publish_in_days": 30,
        "partners": [],
    },
    {
        "slug": "entwurf-demo",
        "kind": "pressemitteilung",
        "title": "Entwurf einer Pressemitteilung (Demo)",
        "teaser": "Fiktiver Entwurf: nur für die Redaktion sichtbar.",
        "body": "<p>Noch nicht freigegeben.</p>",
        "status": "entwurf",
        "publish_at": at(2026, 11, 1),
        "partners": [],
    },
]


def event_dates(entry):
    """The start and end of a demo event: fixed, or some days after the day of loading."""
    if "event" in entry:
        return entry["event"]
    if "event_in_days" not in entry:
        return None, None
    days, start, end = entry["event_in_days"]
    day = timezone.localdate() + datetime.timedelta(days=days)
    return (
        datetime.datetime.combine(day, datetime.time(*start), tzinfo=BERLIN),
        datetime.datetime.combine(day, datetime.time(*end), tzinfo=BERLIN),
    )


def load_demo_content():
    """Articles and their attachments of the demo content; safe to run again."""
    partners = {partner.slug: partner for partner in Partner.objects.all()}
    for entry in ARTICLES:
        publish_at = entry.get("publish_at") or timezone.now() + datetime.timedelta(
            days=entry["publish_in_days"]
        )
        starts_at, ends_at = event_dates(entry)
        article, _ = Article.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "kind": entry["kind"],
                "title": entry["title"],
                "teaser": entry["teaser"],
                "body": entry["body"],
                "status": entry.get("status", Article.Status.PUBLISHED),
                "publish_at": publish_at,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "location": entry.get("location", ""),
                "contact_name": "Kompetenzzentrum Strategische Sozialplanung (KOSS)",
            },
        )
        article.related_partners.set(partners[slug] for slug in entry["partners"])
        for title, filename, heading in entry.get("attachments", []):
            if article.attachments.filter(title=title).exists():
                continue
            pdf = demo_pdf(
                f"DEMO – {heading}",
                [
                    "Dieses PDF wurde für die Demo-Inhalte des KOSS-Portals erzeugt.",
                    "Es ist ein Platzhalter für das Originaldokument der LIGA.",
                ],
            )
            Attachment.objects.create(
                article=article, title=title, file=ContentFile(pdf, name=filename)
            )
    return f"{len(ARTICLES)} Beiträge geladen."
