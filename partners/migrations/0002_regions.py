"""Thüringen's 17 Landkreise and 5 kreisfreie Städte (as of 2021), plus statewide and nationwide."""

from django.db import migrations

# (AGS, name, slug, kind, planning region)
DISTRICTS = [
    ("16051", "Erfurt", "erfurt", "stadt", "mitte"),
    ("16052", "Gera", "gera", "stadt", "ost"),
    ("16053", "Jena", "jena", "stadt", "ost"),
    ("16054", "Suhl", "suhl", "stadt", "suedwest"),
    ("16055", "Weimar", "weimar", "stadt", "mitte"),
    ("16061", "Eichsfeld", "eichsfeld", "landkreis", "nord"),
    ("16062", "Nordhausen", "nordhausen", "landkreis", "nord"),
    ("16063", "Wartburgkreis", "wartburgkreis", "landkreis", "suedwest"),
    ("16064", "Unstrut-Hainich-Kreis", "unstrut-hainich-kreis", "landkreis", "nord"),
    ("16065", "Kyffhäuserkreis", "kyffhaeuserkreis", "landkreis", "nord"),
    ("16066", "Schmalkalden-Meiningen", "schmalkalden-meiningen", "landkreis", "suedwest"),
    ("16067", "Gotha", "gotha", "landkreis", "mitte"),
    ("16068", "Sömmerda", "soemmerda", "landkreis", "mitte"),
    ("16069", "Hildburghausen", "hildburghausen", "landkreis", "suedwest"),
    ("16070", "Ilm-Kreis", "ilm-kreis", "landkreis", "mitte"),
    ("16071", "Weimarer Land", "weimarer-land", "landkreis", "mitte"),
    ("16072", "Sonneberg", "sonneberg", "landkreis", "suedwest"),
    ("16073", "Saalfeld-Rudolstadt", "saalfeld-rudolstadt", "landkreis", "ost"),
    ("16074", "Saale-Holzland-Kreis", "saale-holzland-kreis", "landkreis", "ost"),
    ("16075", "Saale-Orla-Kreis", "saale-orla-kreis", "landkreis", "ost"),
    ("16076", "Greiz", "greiz", "landkreis", "ost"),
    ("16077", "Altenburger Land", "altenburger-land", "landkreis", "ost"),
]
SCOPES = [
    ("Thüringenweit", "thueringen", "land"),
    ("Bundesweit", "bundesweit", "bund"),
]


def create_regions(apps, schema_editor):
    Region = apps.get_model("partners", "Region")
    for ags, name, slug, kind, planning_region in DISTRICTS:
        Region.objects.update_or_create(
            slug=slug,
            defaults={"ags": ags, "name": name, "kind": kind, "planning_region": planning_region},
        )
    for name, slug, kind in SCOPES:
        Region.objects.update_or_create(slug=slug, defaults={"name": name, "kind": kind})


def delete_regions(apps, schema_editor):
    Region = apps.get_model("partners", "Region")
    slugs = [district[2] for district in DISTRICTS] + [scope[1] for scope in SCOPES]
    Region.objects.filter(slug__in=slugs, partners__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(create_regions, delete_regions)]
