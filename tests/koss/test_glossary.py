"""The glossary: staff explain words of the field; their first use on a page links there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from koss.core.cache import start_new_generation
from koss.glossary import link_terms
from koss.models import Page, Term

from ..factories import make_article, make_board, make_partner

pytestmark = pytest.mark.django_db

BEIRAT = ("/glossar/#beirat", ["Beirat", "Beiräte"])
TRAEGER = ("/glossar/#freie-traeger", ["freie Träger"])
SOZIALPLANUNG = ("/glossar/#sozialplanung", ["Sozialplanung"])


def link(url, text):
    return f'<a class="term" href="{url}">{text}</a>'


def test_the_first_use_of_each_term_links_and_later_ones_do_not():
    html = "<p>Der Beirat tagt. Der Beirat berät.</p><p>Sozialplanung ist Planung.</p>"
    assert link_terms(html, [BEIRAT, SOZIALPLANUNG]) == (
        f"<p>Der {link(BEIRAT[0], 'Beirat')} tagt. Der Beirat berät.</p>"
        f"<p>{link(SOZIALPLANUNG[0], 'Sozialplanung')} ist Planung.</p>"
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Sitzung des Beirats", "Beirats"),
        ("die Beiräte der Länder", "Beiräte"),
        ("mit freien Trägern vor Ort", "freien Trägern"),
        ("Freie Träger planen mit", "Freie Träger"),
        ("ein freier Träger", "freier Träger"),
    ],
)
def test_german_inflection_is_found(text, found):
    assert link_terms(f"<p>{text}</p>", [BEIRAT, TRAEGER]).count('class="term"') == 1
    assert f">{found}</a>" in link_terms(f"<p>{text}</p>", [BEIRAT, TRAEGER])


@pytest.mark.parametrize(
    "text", ["Beiratssitzung", "Sozialplanungskonferenz", "Vor-Beirat", "freie Trägerschaft"]
)
def test_only_whole_words_are_linked(text):
    assert link_terms(f"<p>{text}</p>", [BEIRAT, TRAEGER, SOZIALPLANUNG]) == f"<p>{text}</p>"


def test_headings_links_and_form_controls_are_left_alone_and_count_for_nothing():
    html = (
        "<h2>Der Beirat</h2><p><a href='/beirat/'>Beirat</a></p>"
        "<label>Beirat <select><option>Beirat</option></select></label>"
        "<p>Im Beirat sitzen 17 Personen.</p>"
    )
    linked = link_terms(html, [BEIRAT])
    assert linked == html.replace("Im Beirat", f"Im {link(BEIRAT[0], 'Beirat')}")


def test_the_html_around_stays_byte_for_byte():
    html = (
        '<p class="x" data-note="Beirat &amp; mehr">A&amp;B &#8211; <img src="b.png" alt="Beirat">'
        "<br>der <strong>Beirat</strong><!-- Beirat --></p>"
    )
    linked = link_terms(html, [BEIRAT])
    assert linked == html.replace(
        "<strong>Beirat</strong>", f"<strong>{link(BEIRAT[0], 'Beirat')}</strong>"
    )


def test_a_quoted_attribute_may_hold_angle_brackets_and_terms():
    html = "<p title=\"a > Beirat\" data-x='<Beirat>'>Der Beirat</p><SVG><text>Beirat</text></SVG>"
    assert link_terms(html, [BEIRAT]) == html.replace(
        "Der Beirat", f"Der {link(BEIRAT[0], 'Beirat')}"
    )


def test_a_term_that_could_be_markup_is_escaped():
    assert link_terms("<p>a &lt;b&gt; Beirat</p>", [('/glossar/#a"b', ["Beirat"])]) == (
        '<p>a &lt;b&gt; <a class="term" href="/glossar/#a&quot;b">Beirat</a></p>'
    )


def test_the_longer_term_wins():
    planung = ("/glossar/#planung", ["Planung"])
    sozial = ("/glossar/#sozialplanung", ["kommunale Sozialplanung"])
    linked = link_terms("<p>Die kommunale Sozialplanung</p>", [planung, sozial])
    assert linked == f"<p>Die {link(sozial[0], 'kommunale Sozialplanung')}</p>"


def test_without_terms_nothing_changes():
    assert link_terms("<p>Beirat</p>", []) == "<p>Beirat</p>"


# --- On the site --------------------------------------------------------------------------


@pytest.fixture
def terms(db):
    Term.objects.create(
        name="Beirat",
        slug="beirat",
        forms="Beiräte",
        explanation="Ein Gremium, das berät.",
        is_published=True,
    )
    Term.objects.create(
        name="Kreisliga", slug="kreisliga", explanation="Noch in Arbeit.", is_published=False
    )


def test_a_page_links_the_first_use_in_its_text_but_not_in_its_frame(client, terms):
    page = Page.objects.get(slug="ueber-uns")
    page.body = "<h2>Beirat</h2><p>Der Beirat berät. Der Beirat tagt. Die Kreisliga plant.</p>"
    page.save()
    content = client.get("/ueber-uns/").content.decode()
    assert content.count('class="term"') == 1
    assertContains(
        client.get("/ueber-uns/"), 'Der <a class="term" href="/glossar/#beirat">Beirat</a>'
    )
    # The draft term is neither linked nor listed.
    assert "#kreisliga" not in content
    # Header and footer keep their words: the main navigation names the Beirat without a link.
    assert '<a href="/beirat/">Beirat</a>' in content


def test_articles_partners_and_the_board_link_their_text(client, terms):
    article = make_article(body="<p>Der Beirat hat getagt.</p>")
    partner = make_partner(cooperation="Im Beirat vertreten.")
    make_board(is_current=True, purpose="Der Beirat berät die Sozialplanung.")
    for url in (article.get_absolute_url(), partner.get_absolute_url(), "/beirat/"):
        assertContains(client.get(url), 'href="/glossar/#beirat">Beirat</a>')


def test_the_glossary_lists_published_terms_and_links_nothing_inside(client, terms):
    Term.objects.create(
        name="Sozialplanung",
        slug="sozialplanung",
        explanation="Planung, über die der Beirat berät.",
        is_published=True,
    )
    response = client.get(reverse("glossary"))
    assertContains(response, '<dt id="beirat">Beirat</dt>')
    assertContains(response, '<dt id="sozialplanung">Sozialplanung</dt>')
    assertNotContains(response, 'id="kreisliga"')
    assertNotContains(response, 'class="term"')


def test_linking_costs_the_same_queries_however_many_terms(client, terms):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/ueber-uns/").status_code == 200
        return len(captured)

    few = queries()
    Term.objects.bulk_create(
        Term(name=f"Begriff {n}", slug=f"begriff-{n}", explanation="x", is_published=True)
        for n in range(200)
    )
    start_new_generation()  # as the staff edit that adds them would
    assert queries() == few


def test_linked_text_is_kept_per_content_generation(client, terms, settings):
    settings.KOSS_FRAGMENT_CACHE_SECONDS = 300
    start_new_generation()
    client.get("/ueber-uns/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/ueber-uns/")
    assert not any('"koss_term"' in query["sql"] for query in captured)
    # A new explanation is a new generation: the term appears at once.
    Term.objects.create(
        name="Machbarkeitsstudie", slug="studie", explanation="Was geht?", is_published=True
    )
    start_new_generation()
    assertContains(client.get("/ueber-uns/"), 'href="/glossar/#studie"')
