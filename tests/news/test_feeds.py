"""The feeds are feeds: served with their own types for readers, valid by RFC 4287 (Atom) and
the RSS 2.0 rules; a person finds the page "Abonnieren"."""

import email.utils
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from news.models import Article

from ..factories import make_article

pytestmark = pytest.mark.django_db

FEEDS = [
    ("news:rss", "rss20", "application/rss+xml; charset=utf-8"),
    ("news:atom", "atom10", "application/atom+xml; charset=utf-8"),
]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles(db):
    make_article("Fachtag in Gera & Umgebung")
    make_article("Pressemitteilung zum Sozialbericht", kind=Article.Kind.PRESS_RELEASE)
    make_article("Entwurf", status=Article.Status.DRAFT)


@pytest.mark.parametrize(("name", "version", "content_type"), FEEDS)
def test_feeds_are_served_with_their_own_type_and_no_stylesheet(
    client, articles, name, version, content_type
):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert b"xml-stylesheet" not in response.content
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == version
    assert [entry.title for entry in feed.entries] == [
        "Pressemitteilung zum Sozialbericht",
        "Fachtag in Gera & Umgebung",
    ]


@pytest.mark.parametrize(("name", "version", "content_type"), FEEDS)
def test_feed_responses_keep_the_strict_content_security_policy(
    client, name, version, content_type
):
    csp = client.get(reverse(name))["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_atom_feed_follows_rfc_4287(client, articles):
    """The rules the W3C feed validator checks for Atom 1.0: feed and entries carry id, title
    and updated; every entry names an author (or the feed does, 4.1.1), an alternate link, and
    an updated date no earlier than its published one."""
    root = ET.fromstring(client.get(reverse("news:atom")).content)  # noqa: S314 - our own feed
    assert root.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{element}")) == 1, element
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    feed_author = root.find(f"{ATOM}author/{ATOM}name")
    assert feed_author is not None and feed_author.text
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    ids = set()
    for entry in entries:
        for element in ("id", "title", "updated", "published", "summary"):
            assert len(entry.findall(f"{ATOM}{element}")) == 1, element
        ids.add(entry.findtext(f"{ATOM}id"))
        # 4.1.2: each entry names an author, here without relying on the feed's.
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == (
            "KOSS – Kompetenzzentrum Strategische Sozialplanung"
        )
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        assert entry.findtext(f"{ATOM}updated") >= entry.findtext(f"{ATOM}published")[:19]
    assert len(ids) == 2


def test_rss_feed_follows_the_rss_2_rules(client, articles):
    root = ET.fromstring(client.get(reverse("news:rss")).content)  # noqa: S314 - our own feed
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for element in ("title", "link", "description", "language"):
        assert channel.findtext(element), element
    for item in channel.findall("item"):
        assert item.findtext("title") and item.findtext("link") and item.findtext("guid")
        # RFC 822 dates, as RSS 2.0 requires.
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")) is not None
        # <author> would have to be an e-mail address; the publisher's name is dc:creator.
        assert item.find("author") is None
        assert item.findtext("{http://purl.org/dc/elements/1.1/}creator")


def test_subscribe_page_lists_feeds_calendar_and_is_linked(client, settings):
    settings.KOSS_BASE_URL = "https://koss.example.org"
    response = client.get(reverse("news:subscribe"))
    assertContains(response, "<h1>Abonnieren</h1>", html=True)
    for name in ("news:rss", "news:atom", "advisory_board:calendar"):
        assertContains(response, f"https://koss.example.org{reverse(name)}")
    # From the news list and from every page's footer.
    assertContains(client.get(reverse("news:list")), f'href="{reverse("news:subscribe")}"')
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert f'href="{reverse("news:subscribe")}"' in footer


def test_subscribe_page_for_every_visitor(matrix_client):
    response = matrix_client.get(reverse("news:subscribe"))
    assert response.status_code == 200
    assertContains(response, "Als Feed (RSS oder Atom)")
    if matrix_client.visitor == "anonymous":
        assert not response.cookies
