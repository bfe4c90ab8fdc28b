"""The section in Leichte Sprache: its pages for every visitor, the link in every page's header,
the admin's hints and the check by readers of the target group."""

import datetime
import importlib

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from koss.easy_read import check_easy_read
from koss.models import Page, Term

from ..advisory_board.conftest import login, world  # noqa: F401 - fixtures
from ..factories import make_partner

pytestmark = pytest.mark.django_db

EASY_READ_URLS = {
    "/leichte-sprache/": "Leichte Sprache",
    "/leichte-sprache/koss/": "Was ist KOSS?",
    "/leichte-sprache/beirat/": "Was macht der Beirat?",
    "/leichte-sprache/diese-seite/": "Was steht auf dieser Internet·seite?",
    "/leichte-sprache/kontakt/": "So erreichen Sie KOSS",
}
UNCHECKED = "Diese Seite ist noch nicht von Prüferinnen und Prüfern gelesen."
# The six visitors of the access matrix: staff count as staff only after the second factor.
VISITORS = [
    "anonymous",
    "member",
    "former_member",
    "other_board_member",
    "staff_without_second_factor",
    "staff",
]


@pytest.fixture
def visitor_client(client, login, world, settings):  # noqa: F811 - fixture
    settings.KOSS_REQUIRE_STAFF_2FA = True

    def as_visitor(visitor):
        if visitor == "staff_without_second_factor":
            client.force_login(world["users"]["staff"])
            return client
        return login(visitor)

    return as_visitor


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_visitor_reads_the_section_and_the_glossary_alike(visitor_client, visitor):
    Term.objects.create(name="Beirat", slug="beirat", explanation="Berät.", is_published=True)
    Term.objects.create(name="Kreisliga", slug="kreisliga", explanation="Entwurf.")
    client = visitor_client(visitor)
    for url, title in EASY_READ_URLS.items():
        response = client.get(url)
        assertContains(response, f"<h1>{title}</h1>")
        assertContains(response, UNCHECKED)
    glossary = client.get("/glossar/")
    assertContains(glossary, '<dt id="beirat">Beirat</dt>')
    # A draft term only staff see, and only after the second factor.
    if visitor == "staff":
        assertContains(glossary, '<dt id="kreisliga">Kreisliga <span class="badge badge--draft">')
    else:
        assertNotContains(glossary, 'id="kreisliga"')


def test_the_start_page_leads_to_every_page_of_the_section(client):
    response = client.get("/leichte-sprache/")
    for url, title in list(EASY_READ_URLS.items())[1:]:
        assertContains(response, f'<a href="{url}">{title}</a>')
    # Each page leads back to the start.
    assertContains(client.get("/leichte-sprache/beirat/"), '<a href="/leichte-sprache/">')


def test_the_contact_page_names_the_address(client, settings):
    settings.KOSS_CONTACT_EMAIL = "koss@liga-thueringen.example"
    assertContains(
        client.get("/leichte-sprache/kontakt/"), 'href="mailto:koss@liga-thueringen.example"'
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/partner/",
        "/aktuelles/",
        "/beirat/",
        "/ueber-uns/",
        "/impressum/",
        "/suche/?q=Beirat",
        "/glossar/",
        "/leichte-sprache/koss/",
        "/gibt-es-nicht/",
    ],
)
def test_every_page_links_to_leichte_sprache_in_its_header(client, url):
    make_partner("Paritätischer Thüringen")
    content = client.get(url).content.decode()
    header = content[content.index('<header class="site-header">') : content.index("</header>")]
    assert '<a href="/leichte-sprache/"' in header and ">Leichte Sprache</a>" in header


def test_the_header_link_marks_the_section(client):
    content = client.get("/leichte-sprache/koss/").content.decode()
    assert '<a href="/leichte-sprache/" aria-current="true">Leichte Sprache</a>' in content
    assert (
        'aria-current="page">Leichte Sprache</a>'
        in client.get("/leichte-sprache/").content.decode()
    )


def test_the_first_texts_keep_the_rules():
    """The texts the section starts with: short sentences, long words split."""
    pages = importlib.import_module("koss.migrations.0010_easy_read_and_glossary").EASY_READ_PAGES
    for slug, (title, lead, body) in pages.items():
        assert check_easy_read(title, lead, body) == [], slug


# --- Checked by readers of the target group ---------------------------------------------------


def easy_page(slug="leichte-sprache-koss"):
    return Page.objects.get(slug=slug)


def test_a_recorded_check_marks_the_page_checked_until_its_text_changes(client):
    page = easy_page()
    page.record_check("Prüfgruppe der Lebenshilfe Erfurt", datetime.date(2026, 11, 30))
    page.save()
    page.refresh_from_db()
    assert page.is_checked
    response = client.get("/leichte-sprache/koss/")
    assertNotContains(response, UNCHECKED)
    assertContains(
        response, "Prüferinnen und Prüfer haben diese Seite gelesen. Das war am 30. November 2026."
    )

    # Saving without a change keeps the check; a changed text loses it.
    page.save()
    assert easy_page().is_checked
    page.body += "<p>Ein neuer Satz.</p>"
    page.save()
    page.refresh_from_db()
    assert not page.is_checked
    assert (page.checked_by, page.checked_on) == ("", None)
    assertContains(client.get("/leichte-sprache/koss/"), UNCHECKED)


def change_form(page, **changes):
    data = {
        "slug": page.slug,
        "title": page.title,
        "lead": page.lead,
        "body": page.body,
        "checked_by": page.checked_by,
        "checked_on": page.checked_on.isoformat() if page.checked_on else "",
    }
    data.update(changes)
    return data


def test_staff_record_the_check_in_the_admin_and_a_later_edit_undoes_it(staff_client):
    page = easy_page()
    url = reverse("admin:koss_page_change", args=[page.pk])
    response = staff_client.post(
        url, change_form(page, checked_by="Prüfgruppe Erfurt", checked_on="2026-11-30")
    )
    assert response.status_code == 302
    assert easy_page().is_checked

    response = staff_client.post(
        url, change_form(easy_page(), lead="KOSS ist ein Team."), follow=True
    )
    page = easy_page()
    assert not page.is_checked and page.checked_by == ""
    assertContains(response, "noch nicht von Prüferinnen und Prüfern gelesen")

    # The text and a new check in one save: the check is of the new text.
    staff_client.post(
        url, change_form(page, lead="KOSS berät.", checked_by="Prüfgruppe", checked_on="2026-12-01")
    )
    page = easy_page()
    assert page.is_checked and page.lead == "KOSS berät."


def test_a_check_needs_both_who_and_when_and_loses_nothing(staff_client):
    page = easy_page()
    url = reverse("admin:koss_page_change", args=[page.pk])
    response = staff_client.post(
        url, change_form(page, lead="Neu.", checked_by="Prüfgruppe Erfurt", checked_on="")
    )
    assert response.status_code == 200
    assertContains(response, "Bitte tragen Sie ein, wann geprüft wurde.")
    assertContains(response, 'value="Prüfgruppe Erfurt"')
    assert easy_page().lead == page.lead


def test_the_admin_warns_of_long_sentences_and_unsplit_words_but_saves(staff_client):
    page = easy_page()
    url = reverse("admin:koss_page_change", args=[page.pk])
    long_sentence = "Die Sozialplanung " + "sehr " * 15 + "hilft."
    response = staff_client.post(
        url, change_form(page, body=f"<p>{long_sentence}</p>"), follow=True
    )
    assert easy_page().body == f"<p>{long_sentence}</p>"
    assertContains(response, "mit 2 Hinweisen zur Leichten Sprache")
    form = staff_client.get(url)
    assertContains(form, "Satz mit 18 Wörtern (höchstens 15)")
    assertContains(form, "Langes Wort ohne Medio·punkt: „Sozialplanung“")
    assertContains(form, "Geprüft von")


def test_pages_in_standard_language_have_no_check_fields(staff_client):
    page = Page.objects.get(slug="impressum")
    form = staff_client.get(reverse("admin:koss_page_change", args=[page.pk]))
    assertNotContains(form, "checked_by")
    assertNotContains(form, "Hinweise zur Leichten Sprache")


def test_the_admin_lists_the_section_with_its_checks(staff_client):
    response = staff_client.get(reverse("admin:koss_page_changelist") + "?sprache=leicht")
    assertContains(response, "Was macht der Beirat?")
    assertNotContains(response, "Impressum")
    assertContains(response, "noch nicht")
