"""The partner network as open data: every filtered directory list as CSV (German Excel: UTF-8
with a byte order mark, semicolons) and GeoJSON, under the licence staff set."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from partners.map import GEOJSON, _rings
from partners.models import OpenDataLicence, Partner
from partners.opendata import district_points

from ..conftest import GENERATION_READ
from ..factories import make_partner, make_topic, region

pytestmark = pytest.mark.django_db

CSV_URL = reverse("partners:csv")
GEOJSON_URL = reverse("partners:geojson")


def csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def list_names(client, query):
    response = client.get(reverse("partners:list"), query)
    return [p.name for p in response.context["page_obj"].object_list]


@pytest.fixture
def network(db):
    pflege = make_topic("Pflege", slug="pflege")
    erfurt = make_partner(
        "Stadtliga Erfurt",
        slug="stadtliga-erfurt",
        kind=Partner.Kind.LEAGUE,
        level=Partner.Level.MUNICIPAL,
        region=region("erfurt"),
        street="Löberstraße 12",
        postal_code="99096",
        city="Erfurt",
        latitude="50.97000",
        longitude="11.03000",
        topics=[pflege],
    )
    gotha = make_partner(
        "Kreisliga Gotha – Sozialraum Süd",
        kind=Partner.Kind.LEAGUE,
        level=Partner.Level.MUNICIPAL,
        region=region("gotha"),
        summary='=HYPERLINK("http://example.org") über Gößnitz',
    )
    statewide = make_partner("Landesweiter Fachverband Übergänge", topics=[pflege])
    make_partner("Unveröffentlichter Partner", is_published=False, region=region("erfurt"))
    return {"erfurt": erfurt, "gotha": gotha, "statewide": statewide}


@pytest.mark.parametrize(
    "query", [{}, {"kind": "liga"}, {"region": "erfurt"}, {"topic": "pflege", "q": "Liga"}]
)
def test_csv_holds_exactly_the_filtered_list(client, network, query):
    rows = csv_rows(client.get(CSV_URL, query))
    assert [row[0] for row in rows[1:]] == list_names(client, query)


def test_csv_opens_in_german_spreadsheets(client, network):
    response = client.get(CSV_URL, {"kind": "liga"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="partnernetzwerk.csv"'
    assert response.content.startswith("\ufeffName;Kurzname;Art;".encode())
    assert b"\r\n" in response.content
    header, *rows = csv_rows(response)
    assert header[:5] == ["Name", "Kurzname", "Art", "Ebene", "Region"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    erfurt = by_name["Stadtliga Erfurt"]
    assert erfurt["Straße und Hausnummer"] == "Löberstraße 12"
    assert erfurt["Art"] == "Kreis- oder Stadtliga"
    assert erfurt["Themen"] == "Pflege"
    assert erfurt["Kreisschlüssel"] == "16051"
    assert erfurt["Breitengrad"] == "50,97000" and erfurt["Längengrad"] == "11,03000"
    assert erfurt["Seite im Partnernetzwerk"].endswith("/partner/stadtliga-erfurt/")
    # A cell that a spreadsheet would run as a formula is written as text.
    assert by_name["Kreisliga Gotha – Sozialraum Süd"]["Kurzbeschreibung"].startswith("'=")


def test_geojson_places_partners_at_their_address_or_their_district(client, network):
    response = client.get(GEOJSON_URL)
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"] == 'attachment; filename="partnernetzwerk.geojson"'
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    features = {feature["properties"]["name"]: feature for feature in data["features"]}
    assert list(features) == list_names(client, {})
    erfurt = features["Stadtliga Erfurt"]
    assert erfurt["geometry"] == {"type": "Point", "coordinates": [11.03, 50.97]}
    assert erfurt["properties"]["lage"] == "Adresse"
    gotha = features["Kreisliga Gotha – Sozialraum Süd"]
    assert gotha["geometry"]["coordinates"] == list(district_points()["16067"])
    assert gotha["properties"]["lage"] == "Mittelpunkt des Kreises"
    # Statewide, without an address position: no point (RFC 7946, 3.2).
    assert features["Landesweiter Fachverband Übergänge"]["geometry"] is None
    assert "GeoBasis-DE / BKG" in data["quelle_kreismittelpunkte"]


def test_geojson_follows_the_filters(client, network):
    data = json.loads(client.get(GEOJSON_URL, {"region": "gotha"}).content)
    names = [feature["properties"]["name"] for feature in data["features"]]
    assert names == list_names(client, {"region": "gotha"})
    assert "Stadtliga Erfurt" not in names


def point_in_ring(point, ring):
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def test_every_district_point_lies_inside_its_district():
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    points = district_points()
    assert len(points) == 22
    for feature in features:
        point = points[feature["properties"]["ags"]]
        assert any(point_in_ring(point, ring) for ring in _rings(feature["geometry"])), feature[
            "properties"
        ]["name"]


def test_default_licence_from_the_settings_until_staff_set_one(client, network, settings):
    settings.KOSS_OPEN_DATA_LICENCE = "Datenlizenz Deutschland – Zero – 2.0"
    settings.KOSS_OPEN_DATA_LICENCE_URL = "https://www.govdata.de/dl-de/zero-2-0"
    data = json.loads(client.get(GEOJSON_URL).content)
    assert data["lizenz"] == {
        "name": "Datenlizenz Deutschland – Zero – 2.0",
        "url": "https://www.govdata.de/dl-de/zero-2-0",
    }
    assert client.get(CSV_URL)["Link"] == '<https://www.govdata.de/dl-de/zero-2-0>; rel="license"'
    page = client.get(reverse("partners:list"))
    assertContains(page, 'rel="license">Datenlizenz Deutschland – Zero – 2.0</a>')

    OpenDataLicence.objects.create(
        name="CC BY 4.0",
        url="https://creativecommons.org/licenses/by/4.0/deed.de",
        attribution="LIGA Thüringen",
    )
    data = json.loads(client.get(GEOJSON_URL).content)
    assert data["lizenz"]["name"] == "CC BY 4.0" and data["namensnennung"] == "LIGA Thüringen"
    assert "creativecommons.org" in client.get(CSV_URL)["Link"]
    assertContains(client.get(reverse("partners:list")), "Namensnennung: „LIGA Thüringen“")


def test_directory_offers_the_downloads_of_its_filter(client, network):
    response = client.get(reverse("partners:list"), {"kind": "liga", "utm_source": "x"})
    assertContains(response, f'href="{CSV_URL}?kind=liga" download')
    assertContains(response, f'href="{GEOJSON_URL}?kind=liga" download')
    assertContains(response, "Diese Auswahl herunterladen:")


def test_bad_filter_values_are_ignored_as_in_the_list(client, network):
    rows = csv_rows(client.get(CSV_URL, {"kind": "unbekannt", "region": "nirgendwo"}))
    assert len(rows) == 1 + 3


@pytest.mark.parametrize("number", [3, 60])
@pytest.mark.parametrize("url", [CSV_URL, GEOJSON_URL])
def test_downloads_cost_the_same_queries_for_any_number_of_partners(
    client, django_assert_num_queries, url, number
):
    topics = [make_topic() for _ in range(3)]
    for index in range(number):
        make_partner(topics=topics, region=region("erfurt" if index % 2 else "gotha"))
    with django_assert_num_queries(5 + GENERATION_READ):
        # The region and topic of the filter, the partners, their topics, the licence.
        response = client.get(url, {"region": "erfurt", "topic": topics[0].slug})
    assert response.status_code == 200


@pytest.mark.parametrize("url", [CSV_URL, GEOJSON_URL])
def test_downloads_for_every_visitor_hold_only_published_partners(matrix_client, network, url):
    response = matrix_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Stadtliga Erfurt" in content
    assert "Unveröffentlichter Partner" not in content
    if matrix_client.visitor == "anonymous":
        assert not response.cookies


def test_position_needs_both_coordinates():
    partner = make_partner(latitude="50.9", longitude=None)
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert error.value.message_dict["longitude"] == [
        "Bitte geben Sie Breiten- und Längengrad zusammen an."
    ]


def json_ld(response):
    content = response.content.decode()
    start = content.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(content[start : content.index("</script>", start)])


def test_partner_page_carries_an_organization(client, network, settings):
    settings.KOSS_BASE_URL = "https://koss.example.org"
    erfurt = network["erfurt"]
    erfurt.parent = network["statewide"]
    erfurt.website = "https://liga-erfurt.example.org"
    erfurt.name = "Stadtliga Erfurt </script><script>alert(1)</script>"
    erfurt.save()
    data = json_ld(client.get(erfurt.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == "Stadtliga Erfurt </script><script>alert(1)</script>"
    assert data["url"] == "https://koss.example.org/partner/stadtliga-erfurt/"
    assert data["address"]["streetAddress"] == "Löberstraße 12"
    assert data["sameAs"] == ["https://liga-erfurt.example.org"]
    assert data["parentOrganization"]["name"] == "Landesweiter Fachverband Übergänge"
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 50.97,
        "longitude": 11.03,
    }
