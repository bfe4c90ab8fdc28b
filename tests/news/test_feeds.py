"""The feeds stay feeds for readers and explain themselves in a browser (static/feeds/feed.xsl)."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse

from ..factories import make_article

pytestmark = pytest.mark.django_db

FEEDS = [("news:rss", "rss20"), ("news:atom", "atom10")]
XSL = "{http://www.w3.org/1999/XSL/Transform}"


@pytest.mark.parametrize(("name", "version"), FEEDS)
def test_feeds_carry_the_same_origin_stylesheet_and_still_parse(client, name, version):
    make_article("Fachtag in Gera")
    response = client.get(reverse(name))
    content = response.content.decode()
    instruction = re.search(r'<\?xml-stylesheet href="([^"]+)" type="text/xsl"\?>', content)
    assert instruction, content[:300]
    # Before the root element, on this site, under the static files' hashed name.
    assert instruction.start() < content.index("<rss" if version == "rss20" else "<feed")
    assert re.fullmatch(r"/static/feeds/feed\.[0-9a-f]{12}\.xsl", instruction[1])

    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == version
    assert [entry.title for entry in feed.entries] == ["Fachtag in Gera"]


@pytest.mark.parametrize(("name", "version"), FEEDS)
def test_feed_responses_keep_the_strict_content_security_policy(client, name, version):
    csp = client.get(reverse(name))["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_stylesheet_is_served_as_xsl(client):
    stylesheet = re.search(
        r'href="([^"]+\.xsl)"', client.get(reverse("news:rss")).content.decode()
    )[1]
    # Served by WhiteNoise, as in production.
    from whitenoise.middleware import WhiteNoiseMiddleware

    middleware = WhiteNoiseMiddleware(lambda request: None)
    static_file = middleware.files.get(stylesheet) or middleware.find_file(stylesheet)
    assert static_file is not None
    headers = dict(static_file.get_response("GET", {}).headers)
    assert headers["Content-Type"].startswith("text/xsl")


def test_stylesheet_is_xslt_in_german_with_nothing_inline():
    path = Path(settings.BASE_DIR) / "static" / "feeds" / "feed.xsl"
    root = ET.parse(path).getroot()  # noqa: S314 - the project's own file
    assert root.tag == f"{XSL}stylesheet" and root.get("version") == "1.0"
    text = path.read_text()
    assert '<html lang="de">' in text
    assert "Was ist ein Feed?" in text
    # The feed's Content-Security-Policy allows no inline styles or scripts.
    assert "style=" not in text and "<style" not in text and "<script" not in text
