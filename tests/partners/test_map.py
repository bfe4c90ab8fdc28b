import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from partners.map import map_geometry, shade_for

from ..conftest import GENERATION_READ
from ..factories import make_partner, region

pytestmark = pytest.mark.django_db

LIST_URL = reverse("partners:list")
DISTRICT_LINK = re.compile(
    r'<a class="partner-map__district (?P<shade>shade-\d)" data-ags="(?P<ags>\d{5})" '
    r'aria-label="(?P<label>[^"]+)"(?P<current> aria-current="true")?\s+href="(?P<href>[^"]+)"'
)


def district_links(response):
    return {m["ags"]: m for m in DISTRICT_LINK.finditer(response.content.decode())}


def test_geometry_has_22_districts_and_is_computed_once():
    geometry = map_geometry()
    assert len(geometry.districts) == 22
    assert map_geometry() is geometry
    assert all(
        shape.path.startswith("M") and shape.path.endswith("z") for shape in geometry.districts
    )
    assert 0 < geometry.height < geometry.width


@pytest.mark.parametrize(
    ("count", "shade"),
    [
        (0, "shade-0"),
        (1, "shade-1"),
        (3, "shade-2"),
        (4, "shade-3"),
        (6, "shade-3"),
        (7, "shade-4"),
        (70, "shade-4"),
    ],
)
def test_shades(count, shade):
    assert shade_for(count) == shade


def test_home_map_has_22_district_links_that_filter_the_directory(client):
    make_partner("Stadtliga Jena", region=region("jena"))
    links = district_links(client.get("/"))
    assert len(links) == 22
    for ags, link in links.items():
        href = link["href"]
        assert urlsplit(href).path == LIST_URL
        slug = parse_qs(urlsplit(href).query)["region"][0]
        response = client.get(href)
        current = response.context["map"]()["current"]
        assert current.ags == ags and current.slug == slug
        assert all(p.region_id == current.pk for p in response.context["page_obj"].object_list)
    assert links["16053"]["label"] == "Jena: 1 mit Sitz, 1 tätig"


def test_counts_match_the_directory_and_skip_unpublished_partners(client):
    for _ in range(4):
        make_partner(region=region("erfurt"))
    make_partner(region=region("erfurt"), is_published=False)
    make_partner(region=region("gera"))
    make_partner(region=region("thueringen"))
    make_partner(region=region("bundesweit"), is_published=False)

    response = client.get(LIST_URL)
    links = district_links(response)
    assert links["16051"]["label"] == "Erfurt: 4 mit Sitz, 4 tätig"
    assert links["16051"]["shade"] == "shade-3"
    assert links["16052"]["label"] == "Gera: 1 mit Sitz, 1 tätig"
    assert links["16053"]["label"] == "Jena: 0 mit Sitz, 0 tätig"
    beyond = {item["region"].slug: item["count"] for item in response.context["map"]()["beyond"]}
    assert beyond == {"thueringen": 1, "bundesweit": 0}
    assert "Dazu kommt in jedem Kreis 1 thüringenweit tätiger Partner." in response.content.decode()
    # The district's list: the partners working there and the statewide one.
    directory = client.get(LIST_URL, {"region": "erfurt"})
    assert directory.context["page_obj"].paginator.count == 4 + 1


def test_current_district_is_marked_and_links_keep_other_filters(client):
    response = client.get(LIST_URL, {"region": "jena", "kind": "liga", "page": "2"})
    links = district_links(response)
    assert links["16053"]["current"]
    assert [ags for ags, link in links.items() if link["current"]] == ["16053"]
    erfurt = parse_qs(urlsplit(links["16051"]["href"].replace("&amp;", "&")).query)
    assert erfurt == {"region": ["erfurt"], "kind": ["liga"]}
    assert 'class="partner-map__current"' in response.content.decode()


def test_map_shows_its_source_note(client):
    content = client.get(LIST_URL).content.decode()
    assert (
        '<a href="https://www.bkg.bund.de">© GeoBasis-DE / BKG 2021 (Daten verändert)</a>'
        in content
    )


def test_map_costs_a_constant_number_of_queries(client, django_assert_num_queries):
    for slug in ("erfurt", "jena", "gera", "suhl"):
        for _ in range(10):
            make_partner(region=region(slug))
    # Filter form (regions, topics), count, page, topics of the page, map (regions with counts),
    # the licence of the open data named beside the downloads.
    with django_assert_num_queries(7 + GENERATION_READ):
        client.get(LIST_URL)
    # The map's regions with counts, the latest news, the next events, the next board meeting.
    with django_assert_num_queries(4 + GENERATION_READ):
        client.get("/")


def test_map_size_stays_small(client):
    content = client.get(LIST_URL).content.decode()
    svg = re.search(r"<svg.*?</svg>", content, re.S).group(0)
    figure = re.search(r"<figure.*?</figure>", content, re.S).group(0)
    assert len(svg.encode()) < 25_000
    assert len(figure.encode()) < 30_000
