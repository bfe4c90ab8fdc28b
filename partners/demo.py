"""The partner network as the demo content shows it.

The organisations, their relations and the texts on the cooperation follow the client's own material
(shared/seeds, FACTS.md). Kreis- and Stadtligen marked "Demo" are invented examples.
"""

from .models import Partner, Region, Topic

DEMO_MARK = "(Demo)"

TOPICS = {
    "kommunale-sozialplanung": "Kommunale Sozialplanung",
    "sozialraumorientierung": "Sozialraumorientierung",
    "armutspraevention": "Armutsprävention",
    "jugendhilfeplanung": "Jugendhilfe- und Sozialplanung",
    "pflege": "Zukunft der Pflege",
    "teilhabeplanung": "Integrierte Teilhabeplanung (ITP)",
    "regionalplanung": "Landes- und Regionalplanung",
    "demografischer-wandel": "Demografischer Wandel",
    "laendlicher-raum": "Ländlicher Raum",
}

_LIGA_ASSOCIATION = (
    "Als Mitgliedsverband der LIGA trägt der Verband das Kompetenzzentrum mit. Seine Expertinnen und "
    "Experten sind die engsten Partner von KOSS: In Gremien auf Landesebene arbeiten sie gemeinsam "
    "an Fragen der Sozialplanung."
)

_PLANNING_COMMUNITY = (
    "Die vier regionalen Planungsgemeinschaften erarbeiten die Regionalpläne Thüringens. KOSS "
    "arbeitet mit ihnen im Rahmen der Regionalplanung zusammen, damit die Sicherung der sozialen "
    "Infrastruktur in die räumliche Planung einfließt."
)

_DEMO_LEAGUE = (
    "Fiktiver Eintrag für die Demo-Inhalte. Auf lokaler Ebene kommt den Kreis- und Stadtligen eine "
    "besondere Bedeutung zu: KOSS berät sie zur kommunalen Sozialplanung und unterstützt die "
    "verbandsübergreifende Vernetzung der freien Träger und ihrer Einrichtungen vor Ort."
)

# Each entry: slug, name, short name, kind, level, region slug, parent slug, topic slugs,
# summary, cooperation text, published.
PARTNERS = [
    {
        "slug": "liga-thueringen",
        "name": "LIGA der Freien Wohlfahrtspflege in Thüringen e.V.",
        "short_name": "LIGA",
        "kind": "wohlfahrtsverband",
        "level": "land",
        "region": "thueringen",
        "topics": ["kommunale-sozialplanung", "armutspraevention", "sozialraumorientierung"],
        "summary": "Der Zusammenschluss der Spitzenverbände der Freien Wohlfahrtspflege in Thüringen "
        "und Träger des Kompetenzzentrums Strategische Sozialplanung.",
        "cooperation": "KOSS ist auf Stabsebene der LIGA angesiedelt, nah an der Leitung der Verbände. "
        "Das Kompetenzzentrum wurde als gemeinsame Ressource der in der LIGA organisierten "
        "Wohlfahrtsverbände eingerichtet.\n\nDie LIGA leitete 2010 bis 2012 die Machbarkeitsstudie "
        "„Strategisches Zentrum für Sozialplanung“ und 2014 die Konstituierung des Beirats für "
        "Sozialplanung.",
    },
    {
        "slug": "awo-thueringen",
        "name": "AWO Landesverband Thüringen e.V.",
        "short_name": "AWO",
        "kind": "wohlfahrtsverband",
        "level": "land",
        "region": "thueringen",
        "topics": ["kommunale-sozialplanung", "pflege"],
        "summary": "Landesverband der Arbeiterwohlfahrt und Mitgliedsverband der LIGA.",
        "cooperation": _LIGA_ASSOCIATION,
    },
    {
        "slug": "caritas-bistum-erfurt",
        "name": "Caritasverband für das Bistum Erfurt e.V.",
        "short_name": "Caritas",
        "kind": "wohlfahrtsverband",
        "level": "land",
        "region": "thueringen",
        "topics": ["kommunale-sozialplanung", "armutspraevention"],
        "summary": "Verband der katholischen Caritas im Bistum Erfurt und Mitgliedsverband der LIGA.",
        "cooperation": _LIGA_ASSOCIATION,
    },
    {
        "slug": "diakonie-mitteldeutschland",
        "name": "Diakonie Mitteldeutschland",
        "short_name": "",
        "kind": "wohlfahrtsverband",
        "level": "land",
        "region": "thueringen",
        "topics": ["kommunale-sozialplanung", "teilhabeplanung"],
        "summary": "Diakonisches Werk der Evangelischen Kirche in Mitteldeutschland und "
        "Mitgliedsverband der LIGA.",
        "cooperation": _LIGA_ASSOCIATION,
    },
    {
        "slug": "drk-thueringen",
        "name": "DRK-Landesverband Thüringen e.V.",
        "short_name": "DRK",
        "kind": "wohlfahrtsverband",
        "level": "land",
        "region": "thueringen",
        "topics": ["kommunale-sozialplanung", "pflege"],
        "summary": "Landesverband des Deutschen Roten Kreuzes und Mitgliedsverband der LIGA.",
        "cooperation": _LIGA_ASSOCIATION,
    },
    {
        "slug": "paritaetischer-thueringen",
        "name": "Der Paritätische Thüringen",
        "short_name": "Paritätischer",
        "kind": "wohlfahrtsverband",
        "level": "land",
        "region": "thueringen",
        "topics": ["kommunale-sozialplanung", "sozialraumorientierung"],
        "summary": "Landesverband des Paritätischen Wohlfahrtsverbands und Mitgliedsverband der LIGA.",
        "cooperation": _LIGA_ASSOCIATION,
    },
    {
        "slug": "juedische-landesgemeinde-thueringen",
        "name": "Jüdische Landesgemeinde Thüringen",
        "short_name": "",
        "kind": "wohlfahrtsverband",
        "level": "land",
        "region": "thueringen",
        "topics": ["kommunale-sozialplanung"],
        "summary": "Die Jüdische Landesgemeinde vertritt die jüdische Wohlfahrtspflege in der LIGA.",
        "cooperation": _LIGA_ASSOCIATION,
    },
    {
        "slug": "tmasgff",
        "name": "Thüringer Ministerium für Arbeit, Soziales, Gesundheit, Frauen und Familie",
        "short_name": "TMASGFF",
        "kind": "behoerde",
        "level": "land",
        "region": "erfurt",
        "topics": ["kommunale-sozialplanung", "armutspraevention"],
        "summary": "Das Sozialministerium des Freistaats; es förderte die Machbarkeitsstudie der LIGA "
        "und ist Sitz der Stabsstelle Strategische Sozialplanung.",
        "cooperation": "Das Ministerium förderte gemeinsam mit dem Europäischen Sozialfonds die "
        "Machbarkeitsstudie „Strategisches Zentrum für Sozialplanung“ (2010 bis 2012).",
    },
    {
        "slug": "stabsstelle-strategische-sozialplanung",
        "name": "Stabsstelle Strategische Sozialplanung",
        "short_name": "",
        "kind": "behoerde",
        "level": "land",
        "region": "erfurt",
        "parent": "tmasgff",
        "topics": ["kommunale-sozialplanung", "armutspraevention", "jugendhilfeplanung"],
        "summary": "Schnittstelle und Koordinator zwischen Kommunen, Landkreisen, Land und Bund sowie "
        "zwischen öffentlichen und freien Trägern.",
        "cooperation": "Die Stabsstelle ist ein wichtiger und enger Kooperationspartner von KOSS. Sie "
        "koordiniert auf allen Ebenen zwischen Kommunen, Landkreisen, Landes- und Bundesebene und "
        "zwischen öffentlichen und freien Trägern.\n\nGemeinsam mit dem IKPE, kommunalen "
        "Planungskoordinatorinnen und -koordinatoren und KOSS erarbeitete eine Arbeitsgruppe des "
        "Ministeriums eine fachliche Empfehlung zur Beteiligung regionaler Akteure am "
        "Planungsprozess.",
    },
    {
        "slug": "tmil",
        "name": "Thüringer Ministerium für Infrastruktur und Landwirtschaft",
        "short_name": "TMIL",
        "kind": "behoerde",
        "level": "land",
        "region": "erfurt",
        "topics": ["regionalplanung", "laendlicher-raum", "demografischer-wandel"],
        "summary": "Das Infrastrukturministerium des Freistaats mit der Akademie Ländlicher Raum, der "
        "Strategischen Landesentwicklung und der Serviceagentur Demografischer Wandel.",
        "cooperation": "Vielfältige Kooperationen mit Einrichtungen beim Ministerium eröffnen neue "
        "Perspektiven für den fachpolitischen Austausch.",
    },
    {
        "slug": "akademie-laendlicher-raum",
        "name": "Akademie Ländlicher Raum",
        "short_name": "",
        "kind": "behoerde",
        "level": "land",
        "region": "thueringen",
        "parent": "tmil",
        "topics": ["laendlicher-raum", "demografischer-wandel"],
        "summary": "Bildungs- und Dialogplattform für die Entwicklung der ländlichen Räume Thüringens.",
        "cooperation": "Die Zusammenarbeit mit der Akademie Ländlicher Raum ist ein Beispiel für den "
        "fachpolitischen Austausch über die Sozialplanung hinaus. Die LIGA ist im Beirat der Akademie "
        "vertreten.",
    },
    {
        "slug": "strategische-landesentwicklung",
        "name": "Strategische Landesentwicklung",
        "short_name": "",
        "kind": "behoerde",
        "level": "land",
        "region": "thueringen",
        "parent": "tmil",
        "topics": ["regionalplanung", "demografischer-wandel"],
        "summary": "Die Landesentwicklungsplanung des Freistaats beim Infrastrukturministerium.",
        "cooperation": "KOSS bringt die Perspektive der sozialen Infrastruktur in die Landesplanung "
        "ein: Landes-, Regional- und Sozialplanung sollen zusammenwirken.",
    },
    {
        "slug": "serviceagentur-demografischer-wandel",
        "name": "Serviceagentur Demografischer Wandel",
        "short_name": "",
        "kind": "behoerde",
        "level": "land",
        "region": "thueringen",
        "parent": "tmil",
        "topics": ["demografischer-wandel", "laendlicher-raum"],
        "summary": "Anlaufstelle des Landes für Kommunen und Initiativen, die den demografischen "
        "Wandel gestalten.",
        "cooperation": "Thüringens Bevölkerung schrumpft, am stärksten im ländlichen Raum. Mit der "
        "Serviceagentur tauscht KOSS sich darüber aus, wie die soziale Daseinsvorsorge unter diesen "
        "Bedingungen gesichert werden kann.",
    },
    {
        "slug": "rpg-nordthueringen",
        "name": "Regionale Planungsgemeinschaft Nordthüringen",
        "short_name": "",
        "kind": "planungsgemeinschaft",
        "level": "regional",
        "region": "kyffhaeuserkreis",
        "topics": ["regionalplanung", "laendlicher-raum"],
        "summary": "Regionalplanung für Eichsfeld, Nordhausen, den Kyffhäuserkreis und den "
        "Unstrut-Hainich-Kreis.",
        "cooperation": _PLANNING_COMMUNITY,
    },
    {
        "slug": "rpg-mittelthueringen",
        "name": "Regionale Planungsgemeinschaft Mittelthüringen",
        "short_name": "",
        "kind": "planungsgemeinschaft",
        "level": "regional",
        "region": "weimar",
        "topics": ["regionalplanung", "laendlicher-raum"],
        "summary": "Regionalplanung für Erfurt, Weimar, Gotha, Sömmerda, den Ilm-Kreis und das "
        "Weimarer Land.",
        "cooperation": _PLANNING_COMMUNITY,
    },
    {
        "slug": "rpg-ostthueringen",
        "name": "Regionale Planungsgemeinschaft Ostthüringen",
        "short_name": "",
        "kind": "planungsgemeinschaft",
        "level": "regional",
        "region": "gera",
        "topics": ["regionalplanung", "laendlicher-raum"],
        "summary": "Regionalplanung für Gera, Jena, Altenburger Land, Greiz, Saalfeld-Rudolstadt, den "
        "Saale-Holzland- und den Saale-Orla-Kreis.",
        "cooperation": _PLANNING_COMMUNITY,
    },
    {
        "slug": "rpg-suedwestthueringen",
        "name": "Regionale Planungsgemeinschaft Südwestthüringen",
        "short_name": "",
        "kind": "planungsgemeinschaft",
        "level": "regional",
        "region": "suhl",
        "topics": ["regionalplanung", "laendlicher-raum"],
        "summary": "Regionalplanung für Suhl, Hildburghausen, Schmalkalden-Meiningen, Sonneberg und "
        "den Wartburgkreis.",
        "cooperation": _PLANNING_COMMUNITY,
    },
    {
        "slug": "deutscher-verein",
        "name": "Deutscher Verein für öffentliche und private Fürsorge e.V.",
        "short_name": "Deutscher Verein",
        "kind": "fachverband",
        "level": "bund",
        "region": "bundesweit",
        "topics": ["kommunale-sozialplanung", "armutspraevention"],
        "summary": "Das bundesweite Forum der öffentlichen und freien Träger der sozialen Arbeit.",
        "cooperation": "Im überregionalen Dialog ist der Deutsche Verein ein zentraler Partner. Die "
        "Partnerschaft öffnet KOSS den Zugang zu Expertise und Erfahrungen aus bundesweiten "
        "Netzwerken von Sozialplanerinnen und Sozialplanern.",
    },
    {
        "slug": "verein-fuer-sozialplanung",
        "name": "Verein für Sozialplanung e.V.",
        "short_name": "VSOP",
        "kind": "fachverband",
        "level": "bund",
        "region": "bundesweit",
        "topics": ["kommunale-sozialplanung", "sozialraumorientierung"],
        "summary": "Der bundesweite Fachverband für Sozialplanung in Kommunen, Wohlfahrtsverbänden "
        "und Wissenschaft.",
        "cooperation": "Im überregionalen Dialog ist der Verein für Sozialplanung ein zentraler "
        "Partner: Er verbindet Sozialplanerinnen und Sozialplaner aus Kommunen, "
        "Wohlfahrtsorganisationen und Wissenschaft.",
    },
    {
        "slug": "thasg",
        "name": "ThASG e.V.",
        "short_name": "",
        "kind": "sonstige",
        "level": "land",
        "region": "thueringen",
        "topics": ["kommunale-sozialplanung"],
        "summary": "Mitgliedsorganisation des Beirats für Sozialplanung, vertreten durch Andreas "
        "Mehlich.",
        "cooperation": "Der ThASG e.V. gehört seit der Konstituierung am 6. Oktober 2014 dem Beirat "
        "für Sozialplanung an.",
    },
    {
        "slug": "ikpe",
        "name": "Institut für kommunale Planung und Entwicklung e.V.",
        "short_name": "IKPE",
        "kind": "forschung",
        "level": "land",
        "region": "erfurt",
        "topics": ["kommunale-sozialplanung", "sozialraumorientierung"],
        "summary": "Wissenschaftliche Begleitung kommunaler Planungsprozesse in Thüringen.",
        "cooperation": "Gemeinsam mit dem Sozialministerium, kommunalen Planungskoordinatorinnen und "
        "-koordinatoren und KOSS erarbeitete das IKPE eine fachliche Empfehlung zur Beteiligung "
        "regionaler Akteure am Planungsprozess.",
    },
    {
        "slug": "stadtliga-erfurt-demo",
        "name": f"Stadtliga Erfurt {DEMO_MARK}",
        "kind": "liga",
        "level": "kommunal",
        "region": "erfurt",
        "parent": "liga-thueringen",
        "topics": ["kommunale-sozialplanung", "sozialraumorientierung"],
        "summary": "Fiktiver Demo-Eintrag: Zusammenschluss der freien Träger in der Stadt Erfurt.",
        "cooperation": _DEMO_LEAGUE,
        "email": "stadtliga-erfurt@example.org",
    },
    {
        "slug": "stadtliga-jena-demo",
        "name": f"Stadtliga Jena {DEMO_MARK}",
        "kind": "liga",
        "level": "kommunal",
        "region": "jena",
        "parent": "liga-thueringen",
        "topics": ["kommunale-sozialplanung", "jugendhilfeplanung"],
        "summary": "Fiktiver Demo-Eintrag: Zusammenschluss der freien Träger in der Stadt Jena.",
        "cooperation": _DEMO_LEAGUE,
        "email": "stadtliga-jena@example.org",
    },
    {
        "slug": "kreisliga-saalfeld-rudolstadt-demo",
        "name": f"Kreisliga Saalfeld-Rudolstadt {DEMO_MARK}",
        "kind": "liga",
        "level": "kommunal",
        "region": "saalfeld-rudolstadt",
        "parent": "liga-thueringen",
        "topics": ["kommunale-sozialplanung", "pflege", "laendlicher-raum"],
        "summary": "Fiktiver Demo-Eintrag: Zusammenschluss der freien Träger im Landkreis "
        "Saalfeld-Rudolstadt.",
        "cooperation": _DEMO_LEAGUE,
    },
    {
        "slug": "kreisliga-nordhausen-demo",
        "name": f"Kreisliga Nordhausen {DEMO_MARK}",
        "kind": "liga",
        "level": "kommunal",
        "region": "nordhausen",
        "parent": "liga-thueringen",
        "topics": ["kommunale-sozialplanung", "armutspraevention"],
        "summary": "Fiktiver Demo-Eintrag: Zusammenschluss der freien Träger im Landkreis Nordhausen.",
        "cooperation": _DEMO_LEAGUE,
    },
    {
        "slug": "kreisliga-wartburgkreis-demo",
        "name": f"Kreisliga Wartburgkreis {DEMO_MARK}",
        "kind": "liga",
        "level": "kommunal",
        "region": "wartburgkreis",
        "parent": "liga-thueringen",
        "topics": ["kommunale-sozialplanung", "teilhabeplanung"],
        "summary": "Fiktiver Demo-Eintrag: Zusammenschluss der freien Träger im Wartburgkreis.",
        "cooperation": _DEMO_LEAGUE,
    },
    {
        "slug": "kreisliga-gotha-demo",
        "name": f"Kreisliga Gotha {DEMO_MARK}",
        "kind": "liga",
        "level": "kommunal",
        "region": "gotha",
        "parent": "liga-thueringen",
        "topics": ["kommunale-sozialplanung"],
        "summary": "Fiktiver Demo-Eintrag, noch nicht veröffentlicht: zeigt der Redaktion die "
        "Vorschau eines Entwurfs.",
        "cooperation": _DEMO_LEAGUE,
        "is_published": False,
    },
]


def load_demo_content():
    """Topics and partners of the demo content; safe to run again. Returns what it loaded."""
    topics = {
        slug: Topic.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in TOPICS.items()
    }
    regions = {region.slug: region for region in Region.objects.all()}
    partners = {}
    for entry in PARTNERS:
        partner, _ = Partner.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "short_name": entry.get("short_name", ""),
                "kind": entry["kind"],
                "level": entry["level"],
                "region": regions[entry["region"]],
                "summary": entry["summary"],
                "cooperation": entry["cooperation"],
                "email": entry.get("email", ""),
                "is_published": entry.get("is_published", True),
            },
        )
        partner.topics.set(topics[slug] for slug in entry["topics"])
        partner.districts.set(partner.default_districts())
        partners[partner.slug] = partner
    for entry in PARTNERS:
        parent = partners[entry["parent"]] if entry.get("parent") else None
        Partner.objects.filter(slug=entry["slug"]).update(parent=parent)
    return f"{len(PARTNERS)} Partner und {len(TOPICS)} Themen geladen."
