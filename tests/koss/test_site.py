import datetime
import re
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db

PAGES = ["home", "about", "contact", "imprint", "privacy", "accessibility"]


@pytest.mark.parametrize("name", PAGES)
def test_site_pages_render_for_everyone(any_client, name):
    response = any_client.get(reverse(name))
    assertContains(response, '<html lang="de">')
    assertContains(response, 'href="#inhalt"')
    for legal in ("imprint", "privacy", "accessibility"):
        assertContains(response, f'href="{reverse(legal)}"')


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", ("Start", "page")),
        ("/partner/", ("Partnernetzwerk", "page")),
        ("/partner/gibt-es-nicht/", ("Partnernetzwerk", "true")),
        ("/aktuelles/", ("Aktuelles", "page")),
        ("/beirat/", ("Beirat", "page")),
        ("/ueber-uns/", ("Über uns", "page")),
        ("/kontakt/", ("Kontakt", "page")),
        ("/impressum/", None),
        ("/suche/", None),
    ],
)
def test_main_navigation_marks_the_current_section(client, path, current):
    page = client.get(path).content.decode()
    navigation = page[page.index('<nav class="site-nav"') : page.index("</nav>")]
    marked = re.findall(r'aria-current="(page|true)"[^>]*>([^<]+)</a>', navigation)
    assert marked == ([(current[1], current[0])] if current else [])


def test_main_navigation_follows_the_login(client, member_user):
    """The site frame is rendered once per process for each state: never another visitor's."""
    assert "Anmelden" in client.get("/partner/").content.decode()
    client.force_login(member_user)
    page = client.get("/partner/").content.decode()
    assert "Abmelden" in page and "Anmelden</a>" not in page
    client.logout()
    page = client.get("/partner/").content.decode()
    assert "Anmelden" in page and "Abmelden" not in page


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_pages_set_no_cookie(client, name):
    assert not client.get(reverse(name)).cookies
    assert not client.get(reverse("partners:list")).cookies


def test_health_is_ok_with_the_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_health_reports_cache_storage_and_the_oldest_pending_task(client, settings):
    from koss.mail import deliver

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report = client.get("/health/").json()
    assert report == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "oldest_pending_task_seconds": 0,
    }
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=5)):
        deliver.enqueue(1)
    assert client.get("/health/").json()["oldest_pending_task_seconds"] >= 300


def test_health_is_degraded_without_the_shared_cache(client, settings, monkeypatch):
    # The pause before Redis is tried again ends with the test.
    monkeypatch.setattr("koss.core.cache_backend._unavailable_until", 0.0)
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "koss.core.cache_backend.RedisFailOpen",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["cache"] == "unreachable"


def test_health_is_503_when_the_database_fails(client):
    # The connection to the database is what fails here; the view under test is real.
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/health/")
    assert response.status_code == 503


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assertContains(response, "Disallow: /verwaltung/")
    assertContains(response, "Sitemap: http://testserver/sitemap.xml")
    assert response["Content-Type"].startswith("text/plain")


def test_server_error_page_is_german(client, settings):
    from django.views.defaults import server_error

    response = server_error(client.get("/").wsgi_request)
    assert response.status_code == 500
    assert "Entschuldigung" in response.content.decode()


def test_security_txt_names_a_contact_and_expires(client, settings):
    settings.KOSS_CONTACT_EMAIL = "sicherheit@example.org"
    content = client.get("/.well-known/security.txt").content.decode()
    assert "Contact: mailto:sicherheit@example.org" in content
    assert (
        "Expires: " in content
        and "Canonical: http://testserver/.well-known/security.txt" in content
    )


def test_pages_carry_canonical_and_open_graph_tags(client):
    content = client.get("/partner/?kind=liga").content.decode()
    assert '<link rel="canonical" href="http://testserver/partner/">' in content
    assert (
        '<meta property="og:title"' in content
        and '<meta property="og:locale" content="de_DE">' in content
    )


def test_staff_edit_a_page_in_the_admin_and_visitors_see_it(client, staff_client):
    from koss.models import Page

    page = Page.objects.get(slug="impressum")
    response = staff_client.post(
        f"/verwaltung/koss/page/{page.pk}/change/",
        {
            "slug": "impressum",
            "title": "Impressum",
            "lead": "",
            "body": "<p>Arnstädter Beispielstraße 1</p><script>x()</script>",
        },
    )
    assert response.status_code == 302
    content = client.get("/impressum/").content.decode()
    assert "Arnstädter Beispielstraße 1" in content
    assert "<script>x()" not in content


def test_sitemap_lists_public_objects_only(client):
    from news.models import Article

    from ..factories import make_article, make_board, make_meeting, make_partner

    make_partner("Öffentlich", slug="oeffentlich")
    make_partner("Verborgen", slug="verborgen", is_published=False)
    make_article("Veröffentlicht", slug="veroeffentlicht")
    make_article("Entwurf", slug="entwurf", status=Article.Status.DRAFT)
    meeting = make_meeting(make_board(), number=3)
    content = client.get("/sitemap.xml").content.decode()
    for present in (
        "/partner/oeffentlich/",
        "/aktuelles/veroeffentlicht/",
        meeting.get_absolute_url(),
        "/beirat/",
        "/datenschutz/",
        "/glossar/",
        "/leichte-sprache/",
        "/leichte-sprache/diese-seite/",
    ):
        assert f"http://testserver{present}<" in content, present
    for absent in (
        "/partner/verborgen/",
        "/aktuelles/entwurf/",
        "/beirat/intern/",
        "/beirat/dokumente/",
    ):
        assert absent not in content, absent


def test_home_shows_the_next_board_meeting(client):
    from ..factories import make_board, make_meeting

    board = make_board(is_current=True)
    make_meeting(board, number=4, days_ahead=-10)
    make_meeting(board, number=5, days_ahead=20)
    content = client.get("/").content.decode()
    assert "Nächste Sitzung des Beirats" in content and "5. Sitzung" in content


@pytest.mark.parametrize("path", ["/", "/partner/", "/aktuelles/", "/beirat/"])
def test_pages_answer_503_in_german_when_the_database_is_away(client, path):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Das Portal ist gerade nicht erreichbar" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/robots.txt", "/sitemap.xml", "/.well-known/security.txt", "/health/"]
)
def test_machine_endpoints_answer_everyone(any_client, path):
    assert any_client.get(path).status_code == 200
