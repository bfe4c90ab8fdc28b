"""Lists of names in German alphabetical order (DIN 5007, variant 1): ä, ö, ü as a, o, u and ß as
ss, whatever the case, on SQLite and on PostgreSQL alike (run with DATABASE_URL for the latter)."""

import re

import pytest
from django.db import connection

from advisory_board.models import Person
from koss.core.collation import german_sort_key
from partners.models import Partner, Region

from ..factories import make_board, make_member, make_partner, make_topic, restore_migration_data

pytestmark = pytest.mark.django_db

# As a German reader files them; a byte-wise order puts "Sömmerda" after "Suhl", "Ärzte" last.
GERMAN_ORDER = [
    "Apothekerverband",
    "Ärztekammer",
    "Bund",
    "Maßnahmenträger",
    "Mastverein",
    "Obstbau",
    "Ökumenische Hilfe",
    "Ordnungsamt",
    "Strasse",
    "Straße der Hilfe",
    "Südlicher Verein",
    "Suhler Netzwerk",
    "Übergang",
    "Umwelt",
]
DISTRICTS_IN_GERMAN_ORDER = [
    "Altenburger Land",
    "Eichsfeld",
    "Erfurt",
    "Gera",
    "Gotha",
    "Greiz",
    "Hildburghausen",
    "Ilm-Kreis",
    "Jena",
    "Kyffhäuserkreis",
    "Nordhausen",
    "Saale-Holzland-Kreis",
    "Saale-Orla-Kreis",
    "Saalfeld-Rudolstadt",
    "Schmalkalden-Meiningen",
    "Sömmerda",
    "Sonneberg",
    "Suhl",
    "Unstrut-Hainich-Kreis",
    "Wartburgkreis",
    "Weimar",
    "Weimarer Land",
]


def shuffled(names):
    # Inserted in reverse, so that neither insertion order nor primary key gives the order.
    return list(reversed(names))


def test_sort_key_files_umlauts_as_their_base_letters_and_eszett_as_ss():
    assert sorted(shuffled(GERMAN_ORDER), key=german_sort_key) == GERMAN_ORDER
    assert german_sort_key("Sömmerda") < german_sort_key("Suhl")
    # Equal letters: the plain one first, and only equal texts are equal.
    assert german_sort_key("Muller") < german_sort_key("Müller") < german_sort_key("Mutz")
    assert german_sort_key("müller") != german_sort_key("Müller")


def test_database_orders_districts_as_a_german_reader_files_them():
    restore_migration_data()
    names = list(Region.objects.in_display_order().values_list("name", flat=True))
    assert names[:22] == DISTRICTS_IN_GERMAN_ORDER
    assert names[22:] == ["Bundesweit", "Thüringenweit"]
    # Any order_by("name") uses the collation, not only the default ordering.
    assert list(Region.objects.filter(ags__isnull=False).order_by("-name")) == list(
        reversed(Region.objects.filter(ags__isnull=False).order_by("name"))
    )


def test_database_orders_partners_and_topics_in_german_order():
    for name in shuffled(GERMAN_ORDER):
        make_partner(name)
        make_topic(name)
    assert list(Partner.objects.values_list("name", flat=True)) == GERMAN_ORDER
    assert list(Partner.objects.order_by("name").values_list("name", flat=True)) == GERMAN_ORDER
    from partners.models import Topic

    assert list(Topic.objects.values_list("name", flat=True)) == GERMAN_ORDER


def test_database_orders_people_by_last_and_first_name_in_german_order():
    board = make_board()
    for name in shuffled(GERMAN_ORDER):
        make_member(board, first_name="Anna", last_name=name)
    make_member(board, first_name="Ömer", last_name="Obstbau")
    make_member(board, first_name="Ole", last_name="Obstbau")
    assert list(Person.objects.values_list("last_name", "first_name")) == [
        (name, first)
        for name in GERMAN_ORDER
        for first in (["Anna", "Ole", "Ömer"] if name == "Obstbau" else ["Anna"])
    ]


def test_unique_names_still_tell_apart_what_only_an_umlaut_separates():
    make_partner("Muller-Stiftung")
    make_partner("Müller-Stiftung")
    assert Partner.objects.filter(name="Müller-Stiftung").count() == 1


def positions(html, names):
    return [html.index(name) for name in names]


def test_directory_lists_partners_and_offers_districts_in_german_order(client):
    restore_migration_data()
    for name in shuffled(GERMAN_ORDER):
        make_partner(name)
    html = client.get("/partner/").content.decode()
    found = positions(html, [f">{name}</a>" for name in GERMAN_ORDER])
    assert found == sorted(found)
    select = re.search(r'<select name="region".*?</select>', html, re.S).group()
    options = re.findall(r"<option [^>]*>([^<]+)</option>", select)[1:]
    assert options[:22] == DISTRICTS_IN_GERMAN_ORDER


def test_the_boards_page_lists_members_in_german_order(client):
    board = make_board(is_current=True)
    for name in shuffled(GERMAN_ORDER):
        make_member(board, first_name="Anna", last_name=name)
    html = client.get("/beirat/").content.decode()
    found = positions(html, [f"Anna {name}</strong>" for name in GERMAN_ORDER])
    assert found == sorted(found)


@pytest.mark.parametrize(
    "url",
    [
        "/verwaltung/partners/partner/",
        "/verwaltung/partners/partner/?o=1",
        "/verwaltung/partners/region/",
        "/verwaltung/advisory_board/person/",
        "/verwaltung/advisory_board/person/?o=1",
    ],
)
def test_admin_lists_names_in_german_order(staff_client, url):
    board = make_board()
    for name in shuffled(GERMAN_ORDER):
        make_partner(name)
        make_member(board, first_name="Anna", last_name=name)
    restore_migration_data()
    html = staff_client.get(url).content.decode()
    names = DISTRICTS_IN_GERMAN_ORDER if "region" in url else GERMAN_ORDER
    # The person list links "Nachname, Vorname".
    shown = "{}, Anna</a>" if "person" in url else "{}</a>"
    found = positions(html, [">" + shown.format(name) for name in names])
    assert found == sorted(found), connection.vendor
