import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from koss.core.demo import demo_pdf
from news.models import Article, Attachment
from partners.models import Partner

from ..advisory_board.conftest import VISIBLE, VISITORS, login, world  # noqa: F401 - fixtures
from ..factories import make_article, make_partner

pytestmark = pytest.mark.django_db

URL = reverse("search")
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search with the German configuration"
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


def test_attachments_of_drafts_are_not_found(client):
    article = make_article("Entwurf", status=Article.Status.DRAFT)
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


@postgres_only
def test_german_stemming_finds_inflected_forms(client):
    make_partner("Fachstelle Sozialplanung")
    assert "Fachstelle Sozialplanung" in titles(client.get(URL, {"q": "Sozialplanungen"}))


@postgres_only
def test_title_matches_rank_above_body_matches(client):
    make_article("Allgemeine Meldung", body="<p>Nebenbei geht es auch um Armutsprävention.</p>")
    make_article("Armutsprävention in Thüringen", body="<p>Ein Beitrag.</p>")
    assert titles(client.get(URL, {"q": "Armutsprävention"}))[:2] == [
        "Armutsprävention in Thüringen",
        "Allgemeine Meldung",
    ]


@postgres_only
def test_html_of_bodies_is_not_searched(client):
    make_article("Formatiert", body='<p><a href="https://example.org/strong">Link</a></p>')
    assert titles(client.get(URL, {"q": "href"})) == []


@postgres_only
def test_an_edited_text_is_found_by_its_new_words(client):
    partner = make_partner("Fachstelle Altenhilfe", summary="Beratung.")
    partner.name = "Fachstelle Jugendhilfe"
    partner.save()
    assert titles(client.get(URL, {"q": "Jugendhilfe"})) == ["Fachstelle Jugendhilfe"]
    assert titles(client.get(URL, {"q": "Altenhilfe"})) == []


@postgres_only
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
