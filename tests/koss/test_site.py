from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db

PAGES = ["home", "about", "contact", "imprint", "privacy", "accessibility"]


@pytest.mark.parametrize("name", PAGES)
def test_site_pages_render_for_everyone(non_staff_client, name):
    response = non_staff_client.get(reverse(name))
    assertContains(response, '<html lang="de">')
    assertContains(response, 'href="#inhalt"')
    for legal in ("imprint", "privacy", "accessibility"):
        assertContains(response, f'href="{reverse(legal)}"')


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_pages_set_no_cookie(client, name):
    assert not client.get(reverse(name)).cookies
    assert not client.get(reverse("partners:list")).cookies


def test_health_is_ok_with_the_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


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
