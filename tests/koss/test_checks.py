"""No site goes live with placeholders: `check --deploy` warns about unfinished legal pages."""

import pytest
from django.core import checks
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from koss.checks import check_legal_pages
from koss.models import Page

from ..factories import restore_migration_data

pytestmark = pytest.mark.django_db

COMPLETE = {
    "impressum": "<h2>Anbieter</h2><p>LIGA der Freien Wohlfahrtspflege in Thüringen e.V.<br>"
    "Musterstraße 1, 99084 Erfurt</p><p>Verantwortlich für den Inhalt: Erika Muster, Anschrift "
    "wie oben.</p>",
    "datenschutz": "<h2>Verantwortliche Stelle</h2><p>Verantwortlich im Sinne der DSGVO ist die "
    "LIGA der Freien Wohlfahrtspflege in Thüringen e.V., Musterstraße 1, 99084 Erfurt.</p>",
    "kontakt": "<p>Erika Muster, Telefon 0361 000000.</p>",
    "barrierefreiheit": "<h2>Durchsetzungsverfahren</h2><p>Schlichtungs- und Durchsetzungsstelle "
    "ist die Landesbeauftragte für Menschen mit Behinderungen des Freistaats Thüringen, "
    "Musterweg 2, 99096 Erfurt.</p>",
}


@pytest.fixture
def pages():
    restore_migration_data()
    return {page.slug: page for page in Page.objects.all()}


def complete(pages):
    for slug, body in COMPLETE.items():
        pages[slug].body = body
        pages[slug].save()


def ids(warnings):
    return sorted((warning.id, warning.obj.slug) for warning in warnings)


def test_check_is_registered_for_deployment_only():
    assert check_legal_pages in checks.registry.registry.get_checks(include_deployment_checks=True)
    assert check_legal_pages not in checks.registry.registry.get_checks()


def test_check_warns_about_the_placeholders_of_the_first_content(pages):
    warnings = check_legal_pages()
    assert all(warning.level == checks.WARNING for warning in warnings)
    assert ids(warnings) == [
        ("koss.W002", "barrierefreiheit"),
        ("koss.W002", "impressum"),
        ("koss.W002", "kontakt"),
        ("koss.W003", "barrierefreiheit"),
        ("koss.W003", "barrierefreiheit"),
        ("koss.W003", "datenschutz"),
        ("koss.W003", "datenschutz"),
        ("koss.W003", "impressum"),
    ]
    imprint = next(w for w in warnings if w.id == "koss.W002" and w.obj.slug == "impressum")
    assert imprint.msg == "Die Seite „Impressum“ (/impressum/) enthält noch Platzhaltertext."
    assert "Verwaltung › Seiten › Impressum" in imprint.hint


def test_check_is_silent_with_complete_legal_pages(pages):
    complete(pages)
    assert check_legal_pages() == []


@pytest.mark.parametrize(
    ("slug", "remove", "missing"),
    [
        ("impressum", "99084 Erfurt", "eine Anschrift mit Postleitzahl und Ort"),
        ("impressum", "Verantwortlich für den Inhalt:", "die inhaltlich verantwortliche Person"),
        (
            "datenschutz",
            "Verantwortliche Stelle</h2><p>Verantwortlich",
            "die verantwortliche Stelle",
        ),
        (
            "barrierefreiheit",
            "Landesbeauftragte",
            "Landesbeauftragten für Menschen mit Behinderungen",
        ),
        ("barrierefreiheit", "99096 Erfurt", "die Anschrift der Durchsetzungsstelle"),
    ],
)
def test_check_names_each_missing_part(pages, slug, remove, missing):
    complete(pages)
    page = pages[slug]
    page.body = page.body.replace(remove, "")
    page.save()
    [warning] = check_legal_pages()
    assert warning.id == "koss.W003"
    assert missing in warning.msg


def test_a_missing_legal_page_is_reported(pages):
    complete(pages)
    pages["impressum"].delete()
    assert [warning.id for warning in check_legal_pages()] == ["koss.W001"]


def test_pages_with_placeholders_say_so_to_visitors(client, pages):
    marked = "Diese Seite ist noch nicht fertig"
    assertContains(client.get(reverse("imprint")), marked)
    assertNotContains(client.get(reverse("privacy")), marked)
    complete(pages)
    assertNotContains(client.get(reverse("imprint")), marked)
