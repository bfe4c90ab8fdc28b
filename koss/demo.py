"""The site's own content as the demo shows it: the section in Leichte Sprache and the glossary.

The glossary explains the words of the field the client's texts use (shared/seeds, FACTS.md).
"""

import importlib

from django.apps import apps

from .models import Page, Term

GLOSSARY = [
    # slug, term, further forms, explanation
    (
        "sozialplanung",
        "Sozialplanung",
        "",
        "Die Planung der sozialen Angebote einer Kommune: Welche Hilfe brauchen die Menschen vor "
        "Ort, wo und von wem? Landkreise und kreisfreie Städte planen so etwa Pflege, Jugendhilfe "
        "und Beratung, oft gemeinsam mit den freien Trägern.\n\n"
        "Strategische Sozialplanung schaut dabei über Jahre voraus, etwa auf den demografischen "
        "Wandel.",
    ),
    (
        "planungsregion",
        "Planungsregion",
        "",
        "Thüringen ist für die Regionalplanung in vier Planungsregionen geteilt: Nord-, Mittel-, "
        "Ost- und Südwestthüringen. In jeder erarbeitet eine regionale Planungsgemeinschaft den "
        "Regionalplan, der auch die soziale Infrastruktur berücksichtigt.",
    ),
    (
        "kreisliga",
        "Kreisliga",
        "Kreisligen",
        "Der Zusammenschluss der Wohlfahrtsverbände in einem Landkreis; in einer kreisfreien Stadt "
        "heißt er Stadtliga. Die Kreis- und Stadtligen sprechen vor Ort für die freien Träger und "
        "sind die wichtigsten Partner von KOSS auf der kommunalen Ebene.",
    ),
    (
        "freie-traeger",
        "freie Träger",
        "freier Träger",
        "Gemeinnützige Organisationen, die soziale Dienste und Einrichtungen betreiben, etwa "
        "Pflegedienste, Kindertagesstätten oder Beratungsstellen. Sie stehen neben den öffentlichen "
        "Trägern (Land, Landkreise, Städte und Gemeinden); viele gehören einem Wohlfahrtsverband an.",
    ),
    (
        "beirat",
        "Beirat",
        "Beiräte\nBeiräten",
        "Ein Gremium, das berät, aber nicht entscheidet. Der Beirat für Sozialplanung begleitet "
        "seit dem 6. Oktober 2014 die Arbeit von KOSS: 17 Personen aus Politik, Verwaltung, "
        "Verbänden und Wissenschaft, die sich einmal im Quartal treffen.",
    ),
    (
        "wohlfahrtsverband",
        "Wohlfahrtsverband",
        "Wohlfahrtsverbände\nWohlfahrtsverbänden",
        "Ein Verband der Freien Wohlfahrtspflege, der soziale Arbeit leistet und die Interessen "
        "seiner Mitglieder vertritt. In Thüringen arbeiten AWO, Caritas, Diakonie, DRK, der "
        "Paritätische und die Jüdische Landesgemeinde in der LIGA zusammen.",
    ),
    (
        "sozialraumorientierung",
        "Sozialraumorientierung",
        "",
        "Ein Grundsatz der sozialen Arbeit und Planung: Hilfe setzt dort an, wo Menschen leben – "
        "im Stadtteil, im Dorf, im Quartier – und nutzt, was es dort schon an Angeboten und "
        "Engagement gibt.",
    ),
    (
        "esf-plus",
        "ESF Plus",
        "Europäischer Sozialfonds Plus\nEuropäischen Sozialfonds Plus",
        "Der Europäische Sozialfonds Plus ist das Förderprogramm der Europäischen Union für "
        "Beschäftigung, Bildung und soziale Teilhabe. Aus ihm wird KOSS plus seit Februar 2024 "
        "nach der Thüringer Sozialstrategierichtlinie gefördert.",
    ),
]


def load_demo_content():
    importlib.import_module("koss.migrations.0010_easy_read_and_glossary").create_easy_read_pages(
        apps, None
    )
    for slug, name, forms, explanation in GLOSSARY:
        Term.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "forms": forms,
                "explanation": explanation,
                "is_published": True,
            },
        )
    pages = Page.objects.filter(slug__in=Page.EASY_READ_SLUGS).count()
    return f"Leichte Sprache: {pages} Seiten; Glossar: {Term.objects.count()} Begriffe."
