"""Nothing unpublished is visible anywhere public: list, detail, feeds, sitemap, partner page, home."""

import datetime

import feedparser
import pytest
import time_machine
from django.urls import reverse

from news.models import Article

from ..factories import login_as, make_article, make_partner

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def articles():
    partner = make_partner("Stadtliga Erfurt", slug="stadtliga-erfurt")
    return {
        "published": make_article(
            "Veröffentlichte Meldung",
            publish_at=NOW - datetime.timedelta(days=1),
            partners=[partner],
        ),
        "scheduled": make_article(
            "Geplante Meldung", publish_at=NOW + datetime.timedelta(hours=2), partners=[partner]
        ),
        "draft": make_article(
            "Entwurf einer Meldung",
            status=Article.Status.DRAFT,
            publish_at=NOW - datetime.timedelta(days=2),
            partners=[partner],
        ),
        "partner": partner,
    }


def public_surfaces(client, partner):
    """Every public place an article can show up, as text."""
    rss = client.get(reverse("news:rss")).content.decode()
    atom = client.get(reverse("news:atom")).content.decode()
    return {
        "list": client.get(reverse("news:list")).content.decode(),
        "home": client.get("/").content.decode(),
        "rss": rss,
        "atom": atom,
        "sitemap": client.get("/sitemap.xml").content.decode(),
        "partner": client.get(partner.get_absolute_url()).content.decode(),
    }


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("visitor", ["anonymous", "member", "former_member", "staff"])
def test_only_published_articles_appear_in_public_lists(request, client, articles, visitor):
    if visitor != "anonymous":
        login_as(client, request.getfixturevalue(f"{visitor}_user"))
    for surface, text in public_surfaces(client, articles["partner"]).items():
        assert "Veröffentlichte Meldung" in text or articles["published"].slug in text, surface
        assert "Geplante Meldung" not in text, surface
        assert articles["scheduled"].slug not in text, surface
        assert "Entwurf einer Meldung" not in text, surface
        assert articles["draft"].slug not in text, surface


@time_machine.travel(NOW, tick=False)
def test_list_count_ignores_unpublished(client, articles):
    response = client.get(reverse("news:list"))
    assert response.context["page_obj"].paginator.count == 1
    assert [choice[0] for choice in response.context["filter"].form.fields["year"].choices] == [
        "",
        "2026",
    ]


@time_machine.travel(NOW, tick=False)
def test_unpublished_detail_is_404_for_everyone_but_staff(non_staff_client, articles):
    for key in ("scheduled", "draft"):
        assert non_staff_client.get(articles[key].get_absolute_url()).status_code == 404
    assert non_staff_client.get(articles["published"].get_absolute_url()).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_staff_preview_scheduled_and_draft_articles(staff_client, articles):
    for key, state in (("scheduled", "Geplant"), ("draft", "Entwurf")):
        response = staff_client.get(articles[key].get_absolute_url())
        assert response.status_code == 200
        assert f"Status: {state}" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_staff_preview_leads_back_to_editing(staff_client, articles):
    for key in ("scheduled", "draft"):
        change = reverse("admin:news_article_change", args=[articles[key].pk])
        content = staff_client.get(articles[key].get_absolute_url()).content.decode()
        assert f'<a href="{change}">Zurück zur Bearbeitung</a>' in content


@time_machine.travel(NOW, tick=False)
def test_staff_on_a_published_article_have_a_way_back_to_editing(staff_client, articles):
    change = reverse("admin:news_article_change", args=[articles["published"].pk])
    content = staff_client.get(articles["published"].get_absolute_url()).content.decode()
    assert f'<a href="{change}">Zurück zur Bearbeitung</a>' in content
    assert "Vorschau für die Redaktion" not in content


@time_machine.travel(NOW, tick=False)
def test_visitors_see_no_way_into_editing(non_staff_client, articles):
    content = non_staff_client.get(articles["published"].get_absolute_url()).content.decode()
    assert "Zurück zur Bearbeitung" not in content
    assert "/verwaltung/" not in content


def test_scheduled_article_appears_on_its_own_at_its_time(client):
    with time_machine.travel(NOW, tick=False):
        article = make_article("Zur rechten Zeit", publish_at=NOW + datetime.timedelta(minutes=30))
        assert client.get(article.get_absolute_url()).status_code == 404
        assert "Zur rechten Zeit" not in client.get(reverse("news:rss")).content.decode()
    with time_machine.travel(NOW + datetime.timedelta(minutes=30), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200
        for surface, text in public_surfaces(client, make_partner()).items():
            if surface != "partner":
                assert "Zur rechten Zeit" in text or article.slug in text, surface


@time_machine.travel(NOW, tick=False)
def test_feeds_are_valid_and_list_published_articles(client, articles):
    for name, version in (("news:rss", "rss20"), ("news:atom", "atom10")):
        feed = feedparser.parse(client.get(reverse(name)).content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == version
        assert [entry.title for entry in feed.entries] == ["Veröffentlichte Meldung"]
        assert feed.entries[0].link.endswith(articles["published"].get_absolute_url())


def test_feeds_are_advertised_in_the_page_head(client):
    content = client.get("/").content.decode()
    assert (
        f'type="application/rss+xml" title="KOSS Thüringen – Aktuelles (RSS)" href="{reverse("news:rss")}"'
        in content
    )
    assert f'href="{reverse("news:atom")}"' in content


@time_machine.travel(NOW, tick=False)
def test_attachments_of_unpublished_articles_are_staff_only(
    client, staff_user, articles, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from news.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    draft_file = Attachment.objects.create(
        article=articles["draft"],
        title="Geheim",
        file=ContentFile(b"%PDF-1.4 geheim", name="g.pdf"),
    )
    public_file = Attachment.objects.create(
        article=articles["published"],
        title="Offen",
        file=ContentFile(b"%PDF-1.4 offen", name="o.pdf"),
    )
    assert client.get(draft_file.get_absolute_url()).status_code == 404
    response = client.get(public_file.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The attachment is only reachable under its own article.
    wrong = reverse(
        "news:attachment", kwargs={"slug": articles["published"].slug, "pk": draft_file.pk}
    )
    assert client.get(wrong).status_code == 404

    login_as(client, staff_user)
    response = client.get(draft_file.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#00506e").save(buffer, format="PNG")
    return buffer.getvalue()


@time_machine.travel(NOW, tick=False)
def test_article_images_follow_the_article(any_client, articles):
    from django.core.files.base import ContentFile

    for key in ("published", "draft"):
        article = articles[key]
        article.image = ContentFile(png(), name="bild.png")
        article.image_alt = "Ein Bild"
        article.save()
    published = any_client.get(reverse("news:image", args=[articles["published"].slug]))
    assert published.status_code == 200 and published["Content-Type"] == "image/png"
    draft = any_client.get(reverse("news:image", args=[articles["draft"].slug]))
    assert draft.status_code == (200 if any_client.visitor == "staff" else 404)


@time_machine.travel(NOW, tick=False)
def test_attachments_of_published_articles_for_everyone(any_client, articles):
    from django.core.files.base import ContentFile

    from news.models import Attachment

    attachment = Attachment.objects.create(
        article=articles["published"],
        title="Offen",
        file=ContentFile(b"%PDF-1.4 offen", name="o.pdf"),
    )
    assert any_client.get(attachment.get_absolute_url()).status_code == 200
