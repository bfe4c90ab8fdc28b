"""The first text of the pages the Redaktion maintains in the admin."""

from django.db import migrations

PAGES = {
    "ueber-uns": (
        "Über KOSS",
        "Das Kompetenzzentrum Strategische Sozialplanung – seit der Förderperiode 2024 „KOSS plus“ – "
        "ist eine gemeinsame Einrichtung der in der LIGA der Freien Wohlfahrtspflege in Thüringen e.V. "
        "zusammengeschlossenen Verbände, angesiedelt auf Stabsebene der LIGA.",
        "<h2>Was wir tun</h2>"
        "<p>KOSS plant nicht selbst: Es unterstützt, berät und vernetzt. Es verankert Sozialplanung in "
        "den Strukturen der LIGA und ihrer Verbände und bereitet freie Träger vor Ort darauf vor, sich "
        "an der kommunalen Planung zu beteiligen. KOSS organisiert den Austausch mit den "
        "Planungskoordinatorinnen und Planungskoordinatoren, die in 15 Landkreisen und kreisfreien "
        "Städten tätig sind.</p>"
        "<h2>Unsere Themen</h2><ul>"
        "<li><p>Beratung der Kreis- und Stadtligen zur kommunalen Sozialplanung</p></li>"
        "<li><p>Sozialraumorientierung</p></li>"
        "<li><p>Jugendhilfe- und Sozialplanung mit dem Schwerpunkt Armutsprävention</p></li>"
        "<li><p>Zukunft der Pflege: wohnortnahe, flächendeckende Versorgung</p></li>"
        "<li><p>Das ITP-Modell (Integrierte Teilhabeplanung) im Kontext kommunaler Sozialplanung</p></li>"
        "</ul><p>Alle Arbeit folgt dem Ziel, Armut vorzubeugen.</p>"
        "<h2>Geschichte</h2><ul>"
        "<li><p><strong>2010 bis 2012:</strong> Machbarkeitsstudie der LIGA „Strategisches Zentrum für "
        "Sozialplanung“, geleitet von Andreas Beck, gefördert aus dem ESF und vom Sozialministerium. "
        "Den Hintergrund bildete die Prognose, dass Thüringens Bevölkerung bis 2030 von 2,25 auf 1,8 "
        "Millionen Menschen schrumpft – am stärksten im ländlichen Raum.</p></li>"
        "<li><p><strong>13. September 2011:</strong> Ein erster Beirat begleitet die Studie; er "
        "konstituiert sich in der Thüringer Staatskanzlei.</p></li>"
        "<li><p><strong>Juni 2014:</strong> KOSS nimmt mit zwei Vollzeitstellen die Arbeit auf.</p></li>"
        "<li><p><strong>6. Oktober 2014:</strong> Der Beirat für Sozialplanung konstituiert sich in der "
        "Staatskanzlei in Erfurt; Schirmherrin ist Christine Lieberknecht.</p></li>"
        "<li><p><strong>ab 1. Januar 2015:</strong> Förderung durch den Europäischen Sozialfonds nach der "
        "Armutspräventionsrichtlinie.</p></li>"
        "<li><p><strong>ab Februar 2024:</strong> „KOSS plus“, gefördert nach der "
        "Sozialstrategierichtlinie aus dem ESF Plus.</p></li></ul>",
    ),
    "kontakt": (
        "Kontakt",
        "Das Kompetenzzentrum Strategische Sozialplanung ist bei der LIGA der Freien Wohlfahrtspflege "
        "in Thüringen e.V. angesiedelt.",
        "<p>Die Ansprechpersonen von KOSS mit ihren Kontaktdaten trägt die Redaktion hier ein.</p>",
    ),
    "impressum": (
        "Impressum",
        "",
        "<h2>Anbieter</h2><p>LIGA der Freien Wohlfahrtspflege in Thüringen e.V.<br>"
        "Kompetenzzentrum Strategische Sozialplanung (KOSS plus)</p>"
        "<p>Anschrift, Vertretungsberechtigte, Registereintrag und inhaltlich Verantwortliche trägt "
        "die Redaktion ein.</p>"
        "<h2>Förderung</h2><p>KOSS plus wird aus Mitteln des Europäischen Sozialfonds Plus (ESF Plus) "
        "nach der Thüringer Sozialstrategierichtlinie gefördert.</p>",
    ),
    "datenschutz": (
        "Datenschutzerklärung",
        "Was diese Website mit Ihren Daten tut – und was nicht.",
        "<h2>Besuch ohne Anmeldung</h2>"
        "<p>Wenn Sie die Website ohne Anmeldung besuchen, setzen wir <strong>keine Cookies</strong> und "
        "laden nichts von anderen Servern: keine Webschriften, keine Kartenkacheln, keine "
        "Statistik- oder Analysedienste, keine Inhalte sozialer Netzwerke. Die Karte des "
        "Partnernetzwerks wird auf unserem Server gezeichnet.</p>"
        "<p>Der Webserver verarbeitet bei jedem Aufruf die technisch nötigen Daten (IP-Adresse, "
        "Zeitpunkt, aufgerufene Adresse, Browserkennung), um die Seite auszuliefern und Angriffe "
        "abzuwehren (Art. 6 Abs. 1 lit. f DSGVO). Diese Protokolle werden nach kurzer Zeit gelöscht.</p>"
        "<h2>Anmeldung im Mitgliederbereich</h2>"
        "<p>Die Anmeldeseite und die Formulare für angemeldete Personen setzen ein Cookie zum Schutz vor "
        "gefälschten Formularen (csrftoken). Nach der Anmeldung kommt ein Sitzungs-Cookie (sessionid) "
        "hinzu. Beide sind technisch notwendig (§ 25 Abs. 2 TDDDG) und verfallen mit dem Abmelden bzw. "
        "dem Ablauf der Sitzung.</p>"
        "<p>Für Mitglieder des Beirats speichern wir Name, E-Mail-Adresse, Rolle, vertretene "
        "Organisation und Zeitraum der Mitgliedschaft, die Rückmeldungen zu Sitzungen, den Zeitpunkt "
        "des letzten Besuchs und – zum Schutz vertraulicher Unterlagen – wer wann welches Dokument "
        "heruntergeladen hat. Diese Download-Protokolle werden nach einer festgelegten Frist gelöscht. "
        "Öffentlich erscheinen Mitglieder nur mit ihrer Einwilligung, die sie jederzeit widerrufen "
        "können.</p>"
        "<h2>E-Mail</h2><p>Mitglieder erhalten E-Mails mit der Einladung zum Mitgliederbereich, zum "
        "Zurücksetzen des Passworts und wenn neue Sitzungsunterlagen bereitstehen.</p>"
        "<h2>Ihre Rechte</h2><p>Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung "
        "der Verarbeitung, Datenübertragbarkeit und Widerspruch sowie das Recht, sich bei einer "
        "Datenschutz-Aufsichtsbehörde zu beschweren, in Thüringen beim Thüringer Landesbeauftragten für "
        "den Datenschutz und die Informationsfreiheit.</p>",
    ),
    "barrierefreiheit": (
        "Erklärung zur Barrierefreiheit",
        "Die LIGA der Freien Wohlfahrtspflege in Thüringen e.V. möchte diese Website für alle "
        "Menschen zugänglich machen, im Sinne der Barrierefreie-Informationstechnik-Verordnung "
        "(BITV 2.0).",
        "<h2>Stand der Vereinbarkeit mit den Anforderungen</h2>"
        "<p>Diese Website soll die Anforderungen der WCAG 2.1 auf Stufe AA erfüllen. Jede Seitenart – "
        "öffentliche Seiten, Mitgliederbereich, Anmeldung und Fehlerseiten – wird bei jeder Änderung "
        "automatisiert mit axe-core geprüft, dazu mit der Tastatur und auf schmalen Bildschirmen ab "
        "320 Pixel Breite. Alle Seiten funktionieren ohne JavaScript.</p>"
        "<h2>Nicht barrierefreie Inhalte</h2>"
        "<p>Ältere Dokumente im PDF-Format (etwa Sitzungsunterlagen) sind möglicherweise nicht "
        "vollständig barrierefrei. Die Karte des Partnernetzwerks ist zusätzlich als Tabelle "
        "verfügbar.</p>"
        "<h2>Erstellung dieser Erklärung</h2><p>Diese Erklärung wurde im November 2026 auf Grundlage "
        "einer Selbstbewertung erstellt.</p>"
        "<h2>Durchsetzungsverfahren</h2><p>Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende "
        "Antwort erhalten, können Sie sich an die für Thüringen zuständige Durchsetzungsstelle für "
        "barrierefreie Informationstechnik wenden; die Redaktion ergänzt hier deren Anschrift.</p>",
    ),
}


def create_pages(apps, schema_editor):
    Page = apps.get_model("koss", "Page")
    for slug, (title, lead, body) in PAGES.items():
        Page.objects.get_or_create(slug=slug, defaults={"title": title, "lead": lead, "body": body})


def delete_pages(apps, schema_editor):
    apps.get_model("koss", "Page").objects.filter(slug__in=PAGES).delete()


class Migration(migrations.Migration):
    dependencies = [("koss", "0001_initial")]

    operations = [migrations.RunPython(create_pages, delete_pages)]
