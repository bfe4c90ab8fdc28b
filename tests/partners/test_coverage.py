"""Which partners a district's list shows, and in which group: those with their seat there, those
working there from a seat elsewhere (a planning community in its planning region), and the
statewide ones."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from pytest_django.asserts import assertContains

from koss.core.collation import german_sort_key
from partners.demo import load_demo_content
from partners.models import Partner, Region

from ..factories import make_partner, partner_form, region, restore_migration_data

pytestmark = pytest.mark.django_db

LIST_URL = reverse("partners:list")
NORTH = ["eichsfeld", "kyffhaeuserkreis", "nordhausen", "unstrut-hainich-kreis"]
CENTRE = ["erfurt", "gotha", "ilm-kreis", "soemmerda", "weimar", "weimarer-land"]
EAST = [
    "altenburger-land",
    "gera",
    "greiz",
    "jena",
    "saale-holzland-kreis",
    "saale-orla-kreis",
    "saalfeld-rudolstadt",
]
SOUTHWEST = ["hildburghausen", "schmalkalden-meiningen", "sonneberg", "suhl", "wartburgkreis"]


def groups(response):
    """[(heading, [partner names])] of a district's list."""
    return [
        (group["heading"], [partner.name for partner in group["partners"]])
        for group in response.context["coverage_groups"]()
    ]


@pytest.fixture
def demo_network():
    restore_migration_data()
    load_demo_content()


def test_nordhausen_lists_its_own_league_then_the_planning_community_then_eleven_statewide(
    client, demo_network
):
    response = client.get(LIST_URL, {"region": "nordhausen"})
    (based, based_names), (active, active_names), (statewide, statewide_names) = groups(response)
    assert based == "1 Partner hat seinen Sitz im Landkreis Nordhausen"
    assert based_names == ["Kreisliga Nordhausen (Demo)"]
    assert active == "1 Partner mit Sitz anderswo ist auch im Landkreis Nordhausen tätig"
    assert active_names == ["Regionale Planungsgemeinschaft Nordthüringen"]
    assert statewide == "11 Partner sind in ganz Thüringen tätig"
    assert len(statewide_names) == 11
    assert statewide_names == sorted(
        Partner.objects.published()
        .filter(region__slug="thueringen")
        .values_list("name", flat=True),
        key=german_sort_key,
    )
    # Nationwide partners and those of other districts are not in Nordhausen's list.
    listed = based_names + active_names + statewide_names
    assert "Verein für Sozialplanung e.V." not in listed
    assert "Stadtliga Erfurt (Demo)" not in listed
    assert response.context["page_obj"].paginator.count == 13
    assertContains(response, "<h3", count=3)


@pytest.mark.parametrize(
    ("slug", "districts"),
    [
        ("rpg-nordthueringen", NORTH),
        ("rpg-mittelthueringen", CENTRE),
        ("rpg-ostthueringen", EAST),
        ("rpg-suedwestthueringen", SOUTHWEST),
    ],
)
def test_each_planning_community_works_in_the_districts_of_its_planning_region(
    client, demo_network, slug, districts
):
    community = Partner.objects.get(slug=slug)
    assert sorted(community.districts.values_list("slug", flat=True)) == districts
    for district in Region.objects.districts():
        listed = client.get(LIST_URL, {"region": district.slug}).context["page_obj"]
        names = [partner.name for partner in listed.object_list]
        assert (community.name in names) == (district.slug in districts), district


def test_the_seat_of_a_planning_community_lists_it_under_the_seat_not_twice(client, demo_network):
    response = client.get(LIST_URL, {"region": "kyffhaeuserkreis"})
    (based, based_names), (statewide, _names) = groups(response)
    assert based == "1 Partner hat seinen Sitz im Kyffhäuserkreis"
    assert based_names == ["Regionale Planungsgemeinschaft Nordthüringen"]
    assert statewide.startswith("11 Partner")


def test_a_partner_works_in_its_own_district_without_further_districts(client):
    league = make_partner("Kreisliga Greiz", region=region("greiz"))
    assert not league.districts.exists()
    response = client.get(LIST_URL, {"region": "greiz"})
    assert groups(response) == [
        ("1 Partner hat seinen Sitz im Landkreis Greiz", ["Kreisliga Greiz"])
    ]


def test_a_nationwide_partner_with_districts_is_listed_there_as_working_there(client):
    association = make_partner("Bundesverband", region=region("bundesweit"))
    association.districts.set([region("jena"), region("gera")])
    make_partner("Landesverband")  # statewide
    response = client.get(LIST_URL, {"region": "jena"})
    assert groups(response) == [
        ("1 Partner mit Sitz anderswo ist auch in Jena tätig", ["Bundesverband"]),
        ("1 Partner ist in ganz Thüringen tätig", ["Landesverband"]),
    ]
    assert "Bundesverband" not in [
        p.name for p in client.get(LIST_URL, {"region": "erfurt"}).context["page_obj"]
    ]


def test_unpublished_partners_are_in_no_group_and_no_count(client):
    make_partner("Entwurf", region=region("suhl"), is_published=False)
    hidden = make_partner("Verborgener Partner", region=region("gotha"), is_published=False)
    hidden.districts.set([region("suhl")])
    make_partner("Statewide draft", is_published=False)
    response = client.get(LIST_URL, {"region": "suhl"})
    assert response.context["page_obj"].paginator.count == 0
    assert "Verborgener Partner" not in response.content.decode()


def test_other_filters_narrow_each_group_and_its_count(client, demo_network):
    response = client.get(LIST_URL, {"region": "nordhausen", "kind": "planungsgemeinschaft"})
    assert groups(response) == [
        (
            "1 Partner mit Sitz anderswo ist auch im Landkreis Nordhausen tätig",
            ["Regionale Planungsgemeinschaft Nordthüringen"],
        )
    ]
    response = client.get(LIST_URL, {"region": "nordhausen", "kind": "wohlfahrtsverband"})
    assert [heading for heading, _names in groups(response)] == [
        "7 Partner sind in ganz Thüringen tätig"
    ]


def test_group_headings_count_the_whole_group_across_pages(client):
    for number in range(25):
        make_partner(f"Landesweit {number:02}")
    make_partner("Kreisliga Sonneberg", region=region("sonneberg"))
    first = groups(client.get(LIST_URL, {"region": "sonneberg"}))
    second = groups(client.get(LIST_URL, {"region": "sonneberg", "page": 2}))
    assert [heading for heading, _names in first] == [
        "1 Partner hat seinen Sitz im Landkreis Sonneberg",
        "25 Partner sind in ganz Thüringen tätig",
    ]
    assert len(first[1][1]) == 19
    assert second == [
        ("25 Partner sind in ganz Thüringen tätig", [f"Landesweit {n:02}" for n in range(19, 25)])
    ]


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("erfurt", "in Erfurt"),
        ("nordhausen", "im Landkreis Nordhausen"),
        ("weimarer-land", "im Landkreis Weimarer Land"),
        ("wartburgkreis", "im Wartburgkreis"),
        ("ilm-kreis", "im Ilm-Kreis"),
        ("saale-orla-kreis", "im Saale-Orla-Kreis"),
        ("thueringen", "in ganz Thüringen"),
    ],
)
def test_district_names_read_as_german_after_in(slug, expected):
    assert region(slug).in_name == expected


def test_statewide_and_nationwide_scopes_list_only_the_partners_filed_under_them(client):
    make_partner("Landesweit")
    make_partner("Bundesweit tätig", region=region("bundesweit"))
    make_partner("Stadtliga", region=region("erfurt"))
    response = client.get(LIST_URL, {"region": "thueringen"})
    assert [p.name for p in response.context["page_obj"].object_list] == ["Landesweit"]
    assert response.context["coverage_groups"] is None
    assertContains(response, '<h3 class="card__title">', count=1)


def test_the_data_migration_gives_existing_planning_communities_their_region():
    restore_migration_data()
    community = make_partner(
        "Regionale Planungsgemeinschaft Ostthüringen",
        kind=Partner.Kind.PLANNING_COMMUNITY,
        region=region("gera"),
    )
    chosen = make_partner(
        "Planungsgemeinschaft mit eigener Wahl",
        kind=Partner.Kind.PLANNING_COMMUNITY,
        region=region("suhl"),
    )
    chosen.districts.set([region("suhl")])
    league = make_partner("Kreisliga Gera", kind=Partner.Kind.LEAGUE, region=region("gera"))
    migration = importlib.import_module(
        "partners.migrations.0011_planning_communities_work_in_their_region"
    )

    migration.add_planning_regions(apps, None)
    assert sorted(community.districts.values_list("slug", flat=True)) == EAST
    assert list(chosen.districts.values_list("slug", flat=True)) == ["suhl"]
    assert not league.districts.exists()

    migration.remove_planning_regions(apps, None)
    assert not community.districts.exists()


class TestAdmin:
    URL = "/verwaltung/partners/partner/"

    def test_change_form_offers_the_districts_with_help(self, staff_client):
        community = make_partner(kind=Partner.Kind.PLANNING_COMMUNITY, region=region("suhl"))
        response = staff_client.get(f"{self.URL}{community.pk}/change/")
        assertContains(response, "Tätigkeitsgebiet")
        assertContains(response, "Der Kreis des Sitzes zählt immer dazu")
        field = response.context["adminform"].form.fields["districts"]
        choices = [label for _value, label in field.choices]
        assert len(choices) == 22 and "Thüringenweit" not in choices

    def test_a_planning_community_saved_without_districts_gets_its_planning_region(
        self, staff_client
    ):
        community = make_partner(kind=Partner.Kind.PLANNING_COMMUNITY, region=region("suhl"))
        response = staff_client.post(f"{self.URL}{community.pk}/change/", partner_form(community))
        assert response.status_code == 302
        assert sorted(community.districts.values_list("slug", flat=True)) == SOUTHWEST

    def test_chosen_districts_are_kept_and_other_partners_get_none_by_default(self, staff_client):
        community = make_partner(kind=Partner.Kind.PLANNING_COMMUNITY, region=region("suhl"))
        league = make_partner(kind=Partner.Kind.LEAGUE, region=region("gera"))
        staff_client.post(
            f"{self.URL}{community.pk}/change/",
            partner_form(community, districts=[region("suhl").pk, region("sonneberg").pk]),
        )
        staff_client.post(f"{self.URL}{league.pk}/change/", partner_form(league))
        assert sorted(community.districts.values_list("slug", flat=True)) == ["sonneberg", "suhl"]
        assert not league.districts.exists()

    def test_a_statewide_scope_cannot_be_chosen_as_a_district(self, staff_client):
        league = make_partner(kind=Partner.Kind.LEAGUE, region=region("gera"))
        response = staff_client.post(
            f"{self.URL}{league.pk}/change/",
            partner_form(league, districts=[region("thueringen").pk]),
        )
        assert response.status_code == 200
        assert "districts" in response.context["adminform"].form.errors
        assert not league.districts.exists()
