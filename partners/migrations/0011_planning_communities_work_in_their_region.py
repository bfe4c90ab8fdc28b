"""A regional planning community works in every district of its planning region.

Nordthüringen: Eichsfeld, Kyffhäuserkreis, Nordhausen, Unstrut-Hainich-Kreis; Mittelthüringen:
Erfurt, Gotha, Ilm-Kreis, Sömmerda, Weimar, Weimarer Land; Ostthüringen: Altenburger Land, Gera,
Greiz, Jena, Saale-Holzland-Kreis, Saale-Orla-Kreis, Saalfeld-Rudolstadt; Südwestthüringen:
Hildburghausen, Schmalkalden-Meiningen, Sonneberg, Suhl, Wartburgkreis (with Eisenach since
2021). The districts' planning regions come from 0002_regions.
"""

from django.db import migrations

PLANNING_COMMUNITY = "planungsgemeinschaft"


def planning_communities(apps):
    Partner = apps.get_model("partners", "Partner")
    return Partner.objects.filter(kind=PLANNING_COMMUNITY).exclude(region__planning_region="")


def add_planning_regions(apps, schema_editor):
    Region = apps.get_model("partners", "Region")
    for partner in planning_communities(apps).select_related("region"):
        if not partner.districts.exists():
            partner.districts.set(
                Region.objects.filter(planning_region=partner.region.planning_region)
            )


def remove_planning_regions(apps, schema_editor):
    Region = apps.get_model("partners", "Region")
    for partner in planning_communities(apps).select_related("region"):
        partner.districts.remove(
            *Region.objects.filter(planning_region=partner.region.planning_region)
        )


class Migration(migrations.Migration):
    dependencies = [("partners", "0010_partner_districts")]

    operations = [migrations.RunPython(add_planning_regions, remove_planning_regions)]
