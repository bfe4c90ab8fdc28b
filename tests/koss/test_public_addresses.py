"""Machine-readable addresses come from KOSS_BASE_URL, never from the Host a request names: a
client, a proxy or a poisoned cache could otherwise put another site's address into the
sitemap, robots.txt, security.txt or a calendar that others import."""

import pytest
from django.test import Client

from ..factories import make_article, make_board, make_meeting, make_member, make_user

pytestmark = pytest.mark.django_db

PUBLIC = "https://koss.example.org"
EVIL = "evil.example"


@pytest.fixture
def evil_client(settings):
    # The host passes ALLOWED_HOSTS, as it would behind a proxy that forwards any Host.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, EVIL]
    settings.KOSS_BASE_URL = PUBLIC
    return Client(HTTP_HOST=EVIL)


@pytest.fixture
def meeting(db):
    return make_meeting(make_board(is_current=True), number=7)


def body(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return b"".join(response).decode() if response.streaming else response.content.decode()


def test_robots_txt_names_the_sitemap_at_the_public_address(evil_client):
    content = body(evil_client, "/robots.txt")
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in content
    assert EVIL not in content


def test_sitemap_locations_are_public_addresses(evil_client, meeting):
    make_article("Öffentlich", slug="oeffentlich")
    content = body(evil_client, "/sitemap.xml")
    assert f"<loc>{PUBLIC}/</loc>" in content
    assert f"<loc>{PUBLIC}{meeting.get_absolute_url()}</loc>" in content
    assert f"<loc>{PUBLIC}/aktuelles/oeffentlich/</loc>" in content
    assert EVIL not in content


def test_security_txt_is_canonical_at_the_public_address(evil_client):
    content = body(evil_client, "/.well-known/security.txt")
    assert f"Canonical: {PUBLIC}/.well-known/security.txt" in content
    assert EVIL not in content


def test_calendars_name_the_public_host_in_uids_and_links(evil_client, meeting):
    user = make_user()
    person = make_member(meeting.board, user)
    token = person.new_calendar_token()
    article = make_article(
        "Fachtag",
        slug="fachtag",
        kind="veranstaltung",
        starts_at=meeting.starts_at,
        location="Erfurt",
    )
    for path in (
        "/beirat/kalender.ics",
        f"/beirat/sitzungen/{meeting.pk}/kalender.ics",
        f"/beirat/kalender/{token}.ics",
        f"{article.get_absolute_url()}kalender.ics",
    ):
        content = body(evil_client, path).replace("\r\n ", "")
        assert "@koss.example.org" in content, path
        assert f"URL:{PUBLIC}/" in content, path
        assert EVIL not in content, path


@pytest.mark.parametrize("path", ["/aktuelles/feed/", "/aktuelles/atom/"])
def test_feeds_link_to_the_public_address(evil_client, path):
    make_article("Öffentlich", slug="oeffentlich")
    content = body(evil_client, path)
    assert f"{PUBLIC}/aktuelles/oeffentlich/" in content
    assert f"{PUBLIC}{path}" in content  # the feed's own address
    assert EVIL not in content
