"""The filtered lists (partner directory, news) on a phone: a filter or a map tap opens the page
at the results, which name the filters in force as chips, each a link that removes it."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from partners.models import Partner

from ..factories import make_article, make_partner, region

pytestmark = pytest.mark.django_db


def chips(response):
    """[(accessible name, href)] of the chips of the filters in force."""
    html = response.content.decode()
    found = re.search(r'<ul class="active-filters".*?</ul>', html, re.S)
    if not found:
        return []
    return [
        (
            " ".join(
                strip_tags(re.sub(r'<span[^>]*aria-hidden="true">.*?</span>', "", text)).split()
            ),
            href.replace("&amp;", "&"),
        )
        for href, text in re.findall(
            r'<a class="active-filters__\w+" href="([^"]+)">(.*?)</a>', found.group(), re.S
        )
    ]


@pytest.fixture
def network():
    make_partner("Kreisliga Nordhausen", kind=Partner.Kind.LEAGUE, region=region("nordhausen"))
    make_partner("LIGA", kind=Partner.Kind.WELFARE_ASSOCIATION)


def filters_of(href):
    parts = urlsplit(href)
    return dict(parse_qsl(parts.query)), parts.fragment


def test_each_partner_filter_is_a_chip_that_removes_it_and_starts_at_page_one(client, network):
    response = client.get("/partner/?region=nordhausen&kind=liga&q=Kreis+liga&topic=&page=2")
    # Each chip keeps the other filters (in any order) and drops the page number.
    assert [(name, *filters_of(href)) for name, href in chips(response)] == [
        (
            "Filter Name: „Kreis liga“ entfernen",
            {"region": "nordhausen", "kind": "liga"},
            "ergebnisse",
        ),
        (
            "Filter Art: Kreis- oder Stadtliga entfernen",
            {"region": "nordhausen", "q": "Kreis liga"},
            "ergebnisse",
        ),
        ("Filter Region: Nordhausen entfernen", {"kind": "liga", "q": "Kreis liga"}, "ergebnisse"),
        ("Alle Filter entfernen", {}, "ergebnisse"),
    ]
    assert all(href.startswith("/partner/") for _name, href in chips(response))
    # Following a chip removes its filter.
    assert "Nordhausen" not in strip_tags(str(chips(client.get(chips(response)[2][1]))))


def test_a_single_filter_has_one_chip_and_no_clear_all(client, network):
    assert chips(client.get("/partner/?region=nordhausen")) == [
        ("Filter Region: Nordhausen entfernen", "/partner/#ergebnisse")
    ]


def test_an_unfiltered_or_unusable_filter_shows_no_chip(client, network):
    assert chips(client.get("/partner/")) == []
    assert chips(client.get("/partner/?kind=raumschiff&topic=")) == []
    # The usable filter keeps its chip beside an unusable one.
    assert [name for name, _href in chips(client.get("/partner/?kind=raumschiff&region=gera"))] == [
        "Filter Region: Gera entfernen"
    ]


def test_the_directory_leads_to_its_results_and_keeps_map_and_form_one_tap_away(client, network):
    html = client.get("/partner/?region=nordhausen").content.decode()
    assert '<form method="get" action="/partner/#ergebnisse"' in html
    assert '<section id="ergebnisse"' in html
    assert '<section id="karte"' in html and '<section id="filter"' in html
    assert '<a href="#karte">Karte anzeigen</a>' in html
    district_links = re.findall(r'class="partner-map__district[^>]*href="([^"]+)"', html, re.S)
    assert len(district_links) == 22
    assert all(link.endswith("#ergebnisse") for link in district_links)
    # The results come with their count and the chip before the first partner.
    count = html.index("2 Partner passen zu Ihrer Auswahl")
    assert count < html.index("Region: Nordhausen<span") < html.index("Kreisliga Nordhausen</a>")


def test_the_home_maps_districts_open_the_directory_at_its_results(client):
    html = client.get("/").content.decode()
    links = re.findall(r'class="partner-map__district[^>]*href="([^"]+)"', html, re.S)
    assert len(links) == 22 and all(link.endswith("#ergebnisse") for link in links)


def test_news_filters_are_chips_and_the_form_leads_to_the_results(client):
    year = timezone.localdate().year
    make_article("Pressemitteilung", kind="pressemitteilung")
    make_article("Meldung", kind="meldung")
    response = client.get(f"/aktuelles/?kind=pressemitteilung&year={year}")
    assert chips(response) == [
        ("Filter Art: Pressemitteilung entfernen", f"/aktuelles/?year={year}#ergebnisse"),
        (f"Filter Jahr: {year} entfernen", "/aktuelles/?kind=pressemitteilung#ergebnisse"),
        ("Alle Filter entfernen", "/aktuelles/#ergebnisse"),
    ]
    html = response.content.decode()
    assert '<form method="get" action="/aktuelles/#ergebnisse"' in html
    assert '<section id="ergebnisse"' in html
    assert chips(client.get("/aktuelles/")) == []
