import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koss.core.cache import start_new_generation
from koss.core.demo import demo_pdf
from koss.core.search import SOURCES
from news.models import Article, Attachment
from partners.models import Partner

from ..advisory_board.conftest import VISIBLE, VISITORS, login, world  # noqa: F401 - fixtures
from ..factories import login_as, make_article, make_partner, make_topic

pytestmark = pytest.mark.django_db

URL = reverse("search")
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="similar spellings need pg_trgm"
)


def titles(response):
    return [result.title for result in response.context["results"]]


def test_finds_partners_and_published_articles_only(client):
    make_partner("Verein für Sozialplanung e.V.")
    make_article("Fachtag Sozialplanung", body="<p>Ein Tag zur kommunalen Sozialplanung.</p>")
    make_article("Entwurf Sozialplanung", status=Article.Status.DRAFT)
    found = titles(client.get(URL, {"q": "Sozialplanung"}))
    assert "Verein für Sozialplanung e.V." in found
    assert "Fachtag Sozialplanung" in found
    assert "Entwurf Sozialplanung" not in found


def test_results_are_labelled_and_the_passage_highlighted(client):
    make_article(
        "Pressemitteilung", kind=Article.Kind.PRESS_RELEASE, teaser="Der Beirat tagt in Erfurt."
    )
    result = client.get(URL, {"q": "Erfurt"}).context["results"][0]
    assert result.label == "Pressemitteilung"
    assert "<mark>Erfurt</mark>" in result.snippet


def test_text_inside_public_pdf_attachments_is_found(client):
    article = make_article("Studie veröffentlicht")
    Attachment.objects.create(
        article=article,
        title="Studie",
        file=ContentFile(
            demo_pdf("Machbarkeitsstudie", ["Bevoelkerungsprognose fuer Thueringen"]), name="s.pdf"
        ),
    )
    assert "Studie (Studie veröffentlicht)" in titles(
        client.get(URL, {"q": "Bevoelkerungsprognose"})
    )


@pytest.mark.parametrize(
    "unpublished",
    [{"status": Article.Status.DRAFT}, {"publish_at": timezone.now() + timedelta(days=1)}],
    ids=["draft", "scheduled"],
)
def test_attachments_of_unpublished_articles_are_not_found(client, unpublished):
    article = make_article("Entwurf", **unpublished)
    Attachment.objects.create(
        article=article,
        title="Geheim",
        file=ContentFile(demo_pdf("X", ["Geheimwort"]), name="g.pdf"),
    )
    assert titles(client.get(URL, {"q": "Geheimwort"})) == []


@pytest.mark.parametrize("visitor", VISITORS)
def test_board_documents_are_found_by_those_who_may_read_them(login, world, visitor):  # noqa: F811
    from advisory_board.models import Document

    for document in Document.objects.all():
        document.file = ContentFile(
            demo_pdf(document.title, [f"Stichwort{document.pk}x"]), name="d.pdf"
        )
        document.save()
    client = login(visitor)
    for key, document in world["documents"].items():
        found = any(
            document.title in title
            for title in titles(client.get(URL, {"q": f"Stichwort{document.pk}x"}))
        )
        assert found == (key in VISIBLE[visitor]), key


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"Sozial',
        "Sozial'planung",
        "'; DROP TABLE partners_partner; --",
        "<script>alert(1)</script>",
        "ä ö ü ß €",
        "a & b | !c",
        "(((",
        "*",
    ],
)
def test_odd_queries_give_a_clear_page(client, query):
    make_partner("Verein für Sozialplanung e.V.")
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "x", "1e9", "9" * 5000])
def test_any_page_number_gives_a_page(client, page):
    make_partner("Verein für Sozialplanung e.V.")
    response = client.get(URL, {"q": "Sozialplanung", "typ": "partner", "page": page})
    assert response.status_code == 200
    assert "Verein für Sozialplanung e.V." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [("x" * 5000, "höchstens 200 Zeichen"), ("Sozial\x00planung", "Nullzeichen")],
)
def test_overlong_and_nul_queries_are_form_errors(client, query, message):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["results"] == []


def test_search_form_in_every_page_header(client):
    assert 'action="/suche/"' in client.get("/").content.decode()


def test_german_stemming_finds_inflected_forms(client):
    make_partner("Fachstelle Sozialplanung")
    assert "Fachstelle Sozialplanung" in titles(client.get(URL, {"q": "Sozialplanungen"}))


def test_title_matches_rank_above_body_matches(client):
    make_article("Allgemeine Meldung", body="<p>Nebenbei geht es auch um Armutsprävention.</p>")
    make_article("Armutsprävention in Thüringen", body="<p>Ein Beitrag.</p>")
    assert titles(client.get(URL, {"q": "Armutsprävention"}))[:2] == [
        "Armutsprävention in Thüringen",
        "Allgemeine Meldung",
    ]


def test_html_of_bodies_is_not_searched(client):
    make_article("Formatiert", body='<p><a href="https://example.org/strong">Link</a></p>')
    assert titles(client.get(URL, {"q": "href"})) == []


def test_an_edited_text_is_found_by_its_new_words(client):
    partner = make_partner("Fachstelle Altenhilfe", summary="Beratung.")
    partner.name = "Fachstelle Jugendhilfe"
    partner.save()
    assert titles(client.get(URL, {"q": "Jugendhilfe"})) == ["Fachstelle Jugendhilfe"]
    assert titles(client.get(URL, {"q": "Altenhilfe"})) == []


def test_bulk_imports_are_found_after_update_search_index(client):
    template = make_partner("Vorlage")
    Partner.objects.bulk_create(
        [
            Partner(
                name="Importierter Verein", slug="import", region=template.region, is_published=True
            )
        ]
    )
    assert titles(client.get(URL, {"q": "Importierter"})) == []
    call_command("update_search_index", stdout=io.StringIO())
    assert titles(client.get(URL, {"q": "Importierter"})) == ["Importierter Verein"]


# German word forms, on every database.


@pytest.fixture
def network(db):
    wandel = make_topic("Demografischer Wandel")
    make_partner("Serviceagentur Demografischer Wandel", summary="Beratung für Kommunen.")
    make_partner("Partner mit Thema", summary="Ein Verband.", topics=[wandel])
    make_partner(
        "Regionale Planungsgemeinschaft Nordthüringen", summary="Regionalplanung im Norden."
    )
    make_partner("Demokratie leben", summary="Ein Bundesprogramm für Vielfalt.")
    make_partner("Fotografie-Verein", summary="Ausstellungen im ländlichen Raum.")
    make_partner("Fachstelle Sozialplanung", summary="Soziale Dienste.")


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Demografie", "Serviceagentur Demografischer Wandel"),
        ("Demografie", "Demografischer Wandel"),
        ("demografischen", "Serviceagentur Demografischer Wandel"),
        ("Planungsgemeinschaften", "Regionale Planungsgemeinschaft Nordthüringen"),
        ("Planungsgemeinschaft", "Regionale Planungsgemeinschaft Nordthüringen"),
        ("Sozialplanungen", "Fachstelle Sozialplanung"),
        ("der Wandel", "Serviceagentur Demografischer Wandel"),
    ],
)
def test_word_forms_find_each_other(client, network, query, title):
    assert title in titles(client.get(URL, {"q": query}))


@pytest.mark.parametrize(
    ("query", "found"),
    [
        # Words that begin alike but are not the same word.
        ("Demografie", {"Serviceagentur Demografischer Wandel", "Demografischer Wandel"}),
        ("Planungsgemeinschaften", {"Regionale Planungsgemeinschaft Nordthüringen"}),
        # Every word has to match.
        ("Demografie Erfurt", set()),
        # A short word matches only itself, not every word that begins with it.
        ("Fa", set()),
        # A word finds the compounds it begins, not those it ends.
        ("Planung", {"Regionale Planungsgemeinschaft Nordthüringen"}),
    ],
)
def test_word_forms_do_not_match_everything(client, network, query, found):
    assert set(titles(client.get(URL, {"q": query}))) == found


def test_a_topic_leads_to_its_partners(client, network):
    result = next(
        r
        for r in client.get(URL, {"q": "Demografie"}).context["results"]
        if r.title == "Demografischer Wandel"
    )
    assert (
        result.url
        == "/partner/?topic=" + Partner.objects.get(name="Partner mit Thema").topics.get().slug
    )


def test_topics_without_published_partners_are_not_found(client):
    make_partner("Verborgen", topics=[make_topic("Geheimthema")], is_published=False)
    assert titles(client.get(URL, {"q": "Geheimthema"})) == []


def test_unpublished_partners_are_not_found(client):
    make_partner("Verborgene Fachstelle Sozialplanung", is_published=False)
    assert titles(client.get(URL, {"q": "Sozialplanung"})) == []


def test_the_matched_word_forms_are_highlighted(client, network):
    make_article("Bericht", teaser="Der demografische Wandel verändert die Dörfer.")
    result = next(
        r for r in client.get(URL, {"q": "Demografie"}).context["results"] if r.title == "Bericht"
    )
    assert "<mark>demografische</mark> Wandel" in result.snippet


# Grouped by type.


def test_hits_are_grouped_by_type_with_counts(client):
    make_partner("Fachstelle Sozialplanung")
    make_article("Fachtag Sozialplanung")
    make_article("Sozialplanung im Landkreis")
    page = client.get(URL, {"q": "Sozialplanung"}).content.decode()
    assert "3 Treffer für „Sozialplanung“" in page
    assert ">1 Partner</h2>" in page
    assert ">2 Beiträge</h2>" in page
    assert 'href="?q=Sozialplanung&amp;typ=beitrag"' in page


def test_one_hit_is_counted_in_the_singular(client):
    make_article("Fachtag Sozialplanung")
    assert ">1 Beitrag</h2>" in client.get(URL, {"q": "Sozialplanung"}).content.decode()


def test_the_overview_shows_a_few_hits_of_each_type_and_links_to_all(client):
    for n in range(7):
        make_partner(f"Fachstelle Sozialplanung {n}")
    response = client.get(URL, {"q": "Sozialplanung"})
    assert len(response.context["results"]) == 5
    assert "Alle 7 Partner anzeigen" in response.content.decode()


def test_a_type_is_shown_alone_and_page_by_page(client):
    for n in range(25):
        make_partner(f"Fachstelle Sozialplanung {n:02d}")
    make_article("Fachtag Sozialplanung")
    first = client.get(URL, {"q": "Sozialplanung", "typ": "partner"})
    second = client.get(URL, {"q": "Sozialplanung", "typ": "partner", "page": 2})
    assert len(first.context["results"]) == 20
    assert len(second.context["results"]) == 5
    assert set(titles(first)).isdisjoint(titles(second))
    assert all(title.startswith("Fachstelle") for title in titles(first) + titles(second))
    assert "26 Treffer" in first.content.decode()  # the count of every type stays in view
    past_the_end = client.get(URL, {"q": "Sozialplanung", "typ": "partner", "page": 9})
    assert titles(past_the_end) == titles(second)


def test_an_unknown_type_is_a_clear_form_error(client):
    make_partner("Fachstelle Sozialplanung")
    response = client.get(URL, {"q": "Sozialplanung", "typ": "unbekannt"})
    assert response.status_code == 200
    assert "Diese Art von Treffern gibt es nicht." in response.content.decode()
    assert response.context["results"] == []


@pytest.mark.parametrize("visitor", VISITORS)
def test_board_documents_of_one_type_follow_the_same_rules(login, world, visitor):  # noqa: F811
    client = login(visitor)
    found = titles(client.get(URL, {"q": "Protokoll", "typ": "dokument"}))
    for key in ("members", "other_board"):
        document = world["documents"][key]
        assert any(document.title in title for title in found) == (key in VISIBLE[visitor]), key


# One snippet per hit, without boilerplate.


def test_a_sentence_many_partners_share_gives_way_to_their_own_words(client):
    shared = "In Gremien auf Landesebene arbeiten sie gemeinsam an Fragen der Sozialplanung."
    for name in ["AWO", "Caritas", "Diakonie"]:
        make_partner(name, summary=f"Eigene Worte des Verbands {name}.", cooperation=shared)
    snippets = [r.snippet for r in client.get(URL, {"q": "Sozialplanung"}).context["results"]]
    assert len(snippets) == 3
    assert len(set(snippets)) == 3
    for name in ["AWO", "Caritas", "Diakonie"]:
        assert any(f"Eigene Worte des Verbands {name}" in snippet for snippet in snippets)


def test_a_snippet_shows_the_passage_around_the_match(client):
    make_partner(
        "Fachstelle",
        summary="Ein Verband in Thüringen.",
        cooperation=" ".join(["Vorwort"] * 60) + " Dort geht es um Armutsprävention im Landkreis.",
    )
    (result,) = client.get(URL, {"q": "Armutsprävention"}).context["results"]
    assert "<mark>Armutsprävention</mark> im Landkreis" in result.snippet
    assert result.snippet.startswith("…")


# Similar spellings, where PostgreSQL has pg_trgm.


@postgres_only
def test_a_typing_error_still_finds_similar_titles(client):
    make_partner("Verein für Sozialplanung e.V.")
    response = client.get(URL, {"q": "Sozialplannung"})
    assert titles(response) == []
    similar = [r.title for g in response.context["found"].similar_groups for r in g.results]
    assert similar == ["Verein für Sozialplanung e.V."]
    assert "ähnlich geschrieben" in response.content.decode()


@postgres_only
def test_short_words_are_not_compared_by_spelling(client):
    make_partner("Fachstelle Sozialplanung")
    assert client.get(URL, {"q": "Fach"}).context["found"].similar_groups == []


def test_no_match_says_so(client):
    make_partner("Verein für Sozialplanung e.V.")
    page = client.get(URL, {"q": "Quantenphysik"}).content.decode()
    assert "0 Treffer für „Quantenphysik“" in page
    assert "anderen oder kürzeren Begriff" in page


# What a search keeps: the order and number of the matches of a type that is the same for every
# visitor, per content generation (koss.core.cache); never what depends on who searches.


@pytest.fixture
def pages_rendered(settings):
    """Every page rendered, never served whole from the page cache: what is kept of a search is
    what these tests look at."""
    settings.KOSS_PAGE_CACHE_SECONDS = 0


def shown(client, query):
    """Everything a search page shows of its hits: groups, counts, titles, snippets, pages."""
    found = client.get(URL, query).context["found"]
    return (
        [
            (
                group.key,
                group.total,
                group.page_obj.number if group.page_obj else None,
                [(r.label, r.title, r.url, str(r.snippet)) for r in group.results],
            )
            for group in [*found.groups, *found.similar_groups]
        ],
        found.suggestion,
    )


KEPT_QUERIES = [
    {"q": "Protokoll"},
    {"q": "Protokoll", "typ": "dokument"},
    {"q": "Protokoll", "typ": "beitrag", "page": "2"},
    {"q": "Protokoll", "typ": "partner"},
    {"q": "Protokol Beirats"},
    {"q": "Protokolle"},
]


def test_kept_rankings_show_every_visitor_what_a_fresh_search_shows(
    world,  # noqa: F811
    settings,
    pages_rendered,
):
    from django.test import Client

    for n in range(25):
        make_article(f"Protokoll {n:02d}", teaser="Aus dem Protokoll des Beirats.")
    make_partner("Protokollstelle", summary="Protokolle des Beirats.")
    clients = {"anonymous": Client()}
    for visitor, user in world["users"].items():
        clients[visitor] = login_as(Client(), user)
    # Staff first, so that whatever they may read would be in the kept rankings first.
    order = ["staff", "member", "other_board_member", "former_member", "anonymous"]
    settings.KOSS_FRAGMENT_CACHE_SECONDS = 0
    fresh = {v: [shown(clients[v], q) for q in KEPT_QUERIES] for v in order}
    settings.KOSS_FRAGMENT_CACHE_SECONDS = 300
    for _ in range(2):  # kept, then read from what was kept
        for visitor in order:
            assert [shown(clients[visitor], q) for q in KEPT_QUERIES] == fresh[visitor], visitor
    assert fresh["staff"] != fresh["anonymous"]


def ranking_queries(client, query):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, query).status_code == 200
    return [q["sql"] for q in captured if ' AS "rank"' in q["sql"]]


def test_a_repeated_search_ranks_again_only_what_depends_on_a_logged_in_searcher(
    client,
    world,  # noqa: F811
    settings,
    pages_rendered,
):
    from django.test import Client

    settings.KOSS_FRAGMENT_CACHE_SECONDS = 300
    make_partner("Verein für Sozialplanung e.V.")
    make_article("Fachtag Sozialplanung")
    member = login_as(Client(), world["users"]["member"])
    # Visitors who are not logged in all see the same, documents included.
    assert len(ranking_queries(client, {"q": "Sozialplanung"})) == len(SOURCES)
    assert ranking_queries(client, {"q": "Sozialplanung"}) == []
    # What a member finds among the board's documents is the member's own.
    assert len(ranking_queries(member, {"q": "Sozialplanung"})) == 1
    (again,) = ranking_queries(member, {"q": "Sozialplanung"})
    assert "advisory_board_document" in again


def test_an_edit_ranks_the_matches_anew(client, settings, pages_rendered):
    settings.KOSS_FRAGMENT_CACHE_SECONDS = 300
    make_partner("Verein für Sozialplanung e.V.")
    assert titles(client.get(URL, {"q": "Sozialplanung"})) == ["Verein für Sozialplanung e.V."]
    make_partner("Fachstelle Sozialplanung")
    start_new_generation()  # as every edit by staff does
    assert set(titles(client.get(URL, {"q": "Sozialplanung"}))) == {
        "Verein für Sozialplanung e.V.",
        "Fachstelle Sozialplanung",
    }


def test_equal_ranks_follow_the_order_of_creation_page_by_page(client):
    made = [make_article(f"Sozialplanung {n:02d}").title for n in range(25)]
    first = titles(client.get(URL, {"q": "Sozialplanung", "typ": "beitrag"}))
    second = titles(client.get(URL, {"q": "Sozialplanung", "typ": "beitrag", "page": "2"}))
    assert first + second == made
    assert titles(client.get(URL, {"q": "Sozialplanung"})) == made[:5]


@pytest.mark.parametrize(
    "query", [{"q": "Sozialplanung"}, {"q": "Sozialplanung", "typ": "beitrag"}]
)
def test_a_search_costs_the_same_queries_whatever_the_number_of_hits(client, query):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, query).status_code == 200
        return len(captured)

    make_partner("Sozialplanung 0")
    make_article("Sozialplanung 0")
    few = queries()
    for n in range(1, 30):
        make_partner(f"Sozialplanung {n}")
        make_article(f"Sozialplanung {n}")
    assert queries() == few


def test_the_search_page_is_kept_for_visitors_who_are_not_logged_in_alone(
    client,
    world,  # noqa: F811
    settings,
    pages_rendered,
    django_assert_num_queries,
):
    from django.test import Client

    settings.KOSS_FRAGMENT_CACHE_SECONDS = 300
    member = login_as(Client(), world["users"]["member"])
    query = {"q": "Protokoll"}
    page = client.get(URL, query).content.decode()
    with django_assert_num_queries(1):  # the generation
        assert client.get(URL, query).content.decode() == page
    for _ in range(2):
        member_page = member.get(URL, query).content.decode()
        assert "Protokoll für Mitglieder" in member_page
    assert "Protokoll für Mitglieder" not in page
    assert "Protokoll für Mitglieder" not in client.get(URL, query).content.decode()
