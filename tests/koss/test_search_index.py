"""The FTS5 index of the search on SQLite and the spelling suggestions on every database."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koss.core import search
from koss.core.cache import start_new_generation
from koss.core.demo import demo_pdf
from koss.core.models import SearchWord
from koss.core.search_spelling import closest, corrected, distance
from news.models import Article
from partners.models import Partner

from ..advisory_board.conftest import VISIBLE, VISITORS, login, world  # noqa: F401 - fixtures
from ..factories import make_article, make_partner, make_topic

pytestmark = pytest.mark.django_db

URL = reverse("search")
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index serves SQLite only"
)

QUERIES = [
    "Sozialplanung",
    "sozialplan",
    "Planungsgemeinschaften",
    "Demografie",
    "Armutsprävention Thüringen",
    "Bevölkerung",
    "Al",
    "Beiräte",
    "Sozialplanung Beirat",
    "Stichwort",
    "Protokoll",
    "2026",
    "ä ö ü ß",
    "Nichtvorhanden",
]


def outcome(response):
    found = response.context["found"]
    return [
        (group.key, group.total, [(r.label, r.title, r.url, r.snippet) for r in group.results])
        for group in found.groups
    ]


def fill_the_world(world):  # noqa: F811
    topic = make_topic("Demografischer Wandel")
    make_partner(
        "Planungsgemeinschaft Nord",
        topics=[topic],
        summary="Sozialplanung und Armutsprävention in Thüringen.",
    )
    make_partner("Verein für Sozialplanungsberichte", summary="Beiräte der Bevölkerung.")
    make_partner("Al-Verein", summary="Demografie", is_published=False)
    make_article("Fachtag Sozialplanung 2026", body="<p>Der Beirat und die Demografie.</p>")
    make_article("Entwurf zur Sozialplanung", status="entwurf")
    for document in world["documents"].values():
        document.file = ContentFile(
            demo_pdf(document.title, [f"Sozialplanung Stichwort {document.title}"]), name="d.pdf"
        )
        document.save()


@sqlite_only
@pytest.mark.parametrize("visitor", VISITORS)
def test_the_index_finds_what_reading_every_row_found(login, world, visitor, monkeypatch):  # noqa: F811
    fill_the_world(world)
    client = login(visitor)
    for query in QUERIES:
        for kind in ("", "partner", "dokument"):
            params = {"q": query, "typ": kind}
            indexed = outcome(client.get(URL, params))
            with monkeypatch.context() as old_path:
                old_path.setattr(search, "uses_full_text_index", lambda source: False)
                start_new_generation()  # rendered again, not the page the cache kept
                read_whole = outcome(client.get(URL, params))
            assert indexed == read_whole, (visitor, query, kind)
    # The comparison saw hits: each document the visitor may read, and no other.
    start_new_generation()
    totals = {key: total for key, total, _ in outcome(client.get(URL, {"q": "Stichwort"}))}
    assert totals["dokument"] == len(VISIBLE[visitor])


def integrity_check(model):
    table = search.full_text_table(model._meta.db_table)
    with connection.cursor() as cursor:
        # Raises when the index and the table's stems differ.
        cursor.execute(f'INSERT INTO "{table}"("{table}", rank) VALUES (\'integrity-check\', 1)')  # noqa: S608
        cursor.execute(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH \'"sozialplan"*\'')  # noqa: S608
        return sorted(row[0] for row in cursor.fetchall())


@sqlite_only
def test_the_index_follows_every_insert_edit_and_delete():
    first = make_partner("Verein für Sozialplanung")
    second = make_partner("Fachstelle Demografie")
    assert integrity_check(Partner) == [first.pk]
    second.summary = "Nun auch Sozialplanung."
    second.save()
    assert integrity_check(Partner) == [first.pk, second.pk]
    first.delete()
    assert integrity_check(Partner) == [second.pk]
    Partner.objects.all().update(summary="Nichts mehr davon.")
    search.update_search_vectors(Partner)  # as after a bulk import
    assert integrity_check(Partner) == []


@sqlite_only
def test_a_missing_trigger_is_made_again_after_migrate(client):
    article = make_article("Fachtag Demografie")
    table = search.full_text_table(Article._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TRIGGER "{table}_update"')  # as a rebuilt table loses its triggers
    Article.objects.filter(pk=article.pk).update(search_stems=" fachtag sozialplan ")
    search.ensure_full_text_indexes()
    assert integrity_check(Article) == [article.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [f"{table}_update"])
        assert cursor.fetchall() == [(f"{table}_update",)]


# Spelling suggestions, on every database.


def test_a_typing_error_is_answered_with_a_known_word(client):
    make_partner("Verein für Sozialplanung e.V.")
    response = client.get(URL, {"q": "Sozialplannung"})
    assert response.context["found"].total == 0
    assert response.context["found"].suggestion == "Sozialplanung"
    page = response.content.decode()
    assert 'Meinten Sie: <a href="?q=Sozialplanung">Sozialplanung</a>?' in page


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("Armutsprävention Sozialplannung", "Armutsprävention Sozialplanung"),
        ("sozialplannung", "sozialplanung"),
        ("Sozailplanung", "Sozialplanung"),  # two letters swapped: one edit
        ("Armutspraevention", ""),  # three edits away
        ("Quantenphysik", ""),
        ("Sozialplanung", ""),  # found: nothing to suggest
        ("Sozal", ""),  # short words resemble too many others
    ],
)
def test_suggestions_change_only_the_mistyped_words(client, query, suggestion):
    make_article("Armutsprävention", teaser="Armutsprävention und Sozialplanung im Landkreis.")
    assert client.get(URL, {"q": query}).context["found"].suggestion == suggestion


@pytest.mark.parametrize("visitor", VISITORS)
def test_a_word_only_others_may_read_is_never_suggested(login, world, visitor):  # noqa: F811
    document = world["documents"]["members"]
    document.file = ContentFile(demo_pdf(document.title, ["Haushaltskonsolidierung"]), name="d.pdf")
    document.save()
    found = login(visitor).get(URL, {"q": "Haushaltskonsolidirung"}).context["found"]
    expected = "Haushaltskonsolidierung" if "members" in VISIBLE[visitor] else ""
    assert found.suggestion == expected


def test_words_of_deleted_content_are_not_suggested_and_imports_are(client):
    make_partner("Verein für Quartiersentwicklung").delete()
    assert client.get(URL, {"q": "Quartiersentwiklung"}).context["found"].suggestion == ""
    make_partner("Netzwerk Quartiersentwicklung")
    SearchWord.objects.all().delete()  # as after an import around the models
    assert client.get(URL, {"q": "Quartiersentwiklung"}).context["found"].suggestion == ""
    call_command("update_search_index", verbosity=0)
    found = client.get(URL, {"q": "Quartiersentwiklung"}).context["found"]
    assert found.suggestion == "Quartiersentwicklung"
    assert not SearchWord.objects.filter(word="verein").exists()


def test_a_suggestion_costs_the_same_queries_whatever_the_number_of_words(client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"q": "Sozialplannung Armutsprävenzion"}).status_code == 200
        return len(captured)

    make_partner("Sozialplanung", summary="Armutsprävention")
    small = queries()
    for n in range(40):
        make_partner(f"Sozialplaner {n}", summary=f"Sozialpolitik Sozialplanungen{n} Sozialraum")
    assert queries() == small


def test_edit_distance():
    assert distance("sozialplannung", "sozialplanung", 2) == 1
    assert distance("sozailplanung", "sozialplanung", 2) == 1
    assert distance("abcdef", "ghijkl", 2) == 3
    assert closest("sozialplannung", ["sozialplanungen", "sozialplanung", "sozialraum"]) == (
        "sozialplanung"
    )
    assert closest("planug", ["planung", "planen"]) == "planung"
    assert closest("plaung", ["planen"]) is None  # short words: one edit at most
    assert corrected("Die Sozialplannung!", {"sozialplannung": "sozialplanung"}) == (
        "Die Sozialplanung!"
    )
