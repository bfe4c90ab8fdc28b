"""Article pages carry schema.org data as JSON-LD: press releases and news a NewsArticle, event
notices an Event with start, end and place."""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile

from news.models import Article

from ..factories import camera_photo, make_article
from ..partners.test_opendata import json_ld

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.KOSS_BASE_URL = "https://koss.example.org"


@time_machine.travel(NOW, tick=False)
def test_press_release_is_a_news_article(client):
    article = make_article(
        "Sozialbericht 2026 vorgestellt",
        slug="sozialbericht-2026",
        kind=Article.Kind.PRESS_RELEASE,
        publish_at=NOW - datetime.timedelta(days=1),
    )
    data = json_ld(client.get(article.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Sozialbericht 2026 vorgestellt"
    assert data["url"] == "https://koss.example.org/aktuelles/sozialbericht-2026/"
    assert data["datePublished"] == "2026-11-21T13:00:00+01:00"
    assert data["publisher"]["name"] == "KOSS – Kompetenzzentrum Strategische Sozialplanung"
    assert data["articleSection"] == "Pressemitteilung"
    assert data["inLanguage"] == "de"


@time_machine.travel(NOW, tick=False)
def test_event_notice_is_an_event_with_start_end_and_place(client):
    event = make_article(
        "Fachtag Sozialplanung",
        kind=Article.Kind.EVENT,
        starts_at=NOW + datetime.timedelta(days=10),
        ends_at=NOW + datetime.timedelta(days=10, hours=6),
        location="Augustinerkloster, Erfurt",
    )
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["@type"] == "Event"
    assert data["name"] == "Fachtag Sozialplanung"
    assert data["startDate"] == "2026-12-02T13:00:00+01:00"
    assert data["endDate"] == "2026-12-02T19:00:00+01:00"
    assert data["location"] == {
        "@type": "Place",
        "name": "Augustinerkloster, Erfurt",
        "address": "Augustinerkloster, Erfurt",
    }
    assert data["organizer"]["@type"] == "Organization"


def test_the_image_named_is_the_widest_rendition_never_the_original(
    django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            kind=Article.Kind.NEWS,
            image=ContentFile(camera_photo(), name="IMG_0042.JPG"),
            image_alt="Der Beirat tagt",
        )
    article.refresh_from_db()
    image = json_ld(client.get(article.get_absolute_url()))["image"]
    assert image.startswith(f"https://koss.example.org/aktuelles/{article.slug}/bild/1600.jpg?v=")
    response = client.get(image.removeprefix("https://koss.example.org"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"

    # Stored past the portal, until make_photo_renditions has run: no image rather than 20 MB.
    Article.objects.filter(pk=article.pk).update(image_renditions={})
    assert "image" not in json_ld(client.get(article.get_absolute_url()))
