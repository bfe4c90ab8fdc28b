import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from news.models import Article

from ..conftest import GENERATION_READ
from ..factories import make_article, make_partner

pytestmark = pytest.mark.django_db

LIST_URL = reverse("news:list")


def titles(response):
    return [article.title for article in response.context["page_obj"].object_list]


def test_list_filters_by_kind_and_year(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    make_article(
        "PM 2014", kind=Article.Kind.PRESS_RELEASE, publish_at=datetime(2014, 10, 7, tzinfo=berlin)
    )
    make_article("Meldung 2014", publish_at=datetime(2014, 6, 2, tzinfo=berlin))
    # Just after midnight on New Year's Day in Berlin is still 31 December in UTC.
    make_article("Meldung 2015", publish_at=datetime(2015, 1, 1, 0, 30, tzinfo=berlin))

    assert titles(client.get(LIST_URL, {"kind": "pressemitteilung"})) == ["PM 2014"]
    assert titles(client.get(LIST_URL, {"year": "2014"})) == ["PM 2014", "Meldung 2014"]
    assert titles(client.get(LIST_URL, {"year": "2015"})) == ["Meldung 2015"]
    assert titles(client.get(LIST_URL, {"year": "2014", "kind": "meldung"})) == ["Meldung 2014"]


def test_year_filter_offers_only_years_with_published_articles(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    make_article("Meldung 2014", publish_at=datetime(2014, 10, 7, tzinfo=berlin))
    make_article("Meldung 2017", publish_at=datetime(2017, 1, 1, 0, 30, tzinfo=berlin))
    make_article(
        "Entwurf 2016", status=Article.Status.DRAFT, publish_at=datetime(2016, 5, 1, tzinfo=berlin)
    )
    form = client.get(LIST_URL).context["filter"].form
    assert [value for value, _ in form.fields["year"].choices] == ["", "2017", "2014"]
    response = client.get(LIST_URL, {"year": "2015"})
    assert list(response.context["filter"].form.errors) == ["year"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"year": "abcd"}, "year"), ({"year": "1850"}, "year"), ({"kind": "unbekannt"}, "kind")],
)
def test_bad_filter_values_give_a_german_form_error(client, query, field):
    make_article()
    response = client.get(LIST_URL, query)
    assert response.status_code == 200
    assert list(response.context["filter"].form.errors) == [field]
    assertContains(response, "Bitte eine gültige Auswahl treffen")
    assert len(titles(response)) == 1


@pytest.mark.parametrize(("page", "expected"), [("0", 2), ("-1", 2), ("abc", 1), ("99999", 2)])
def test_any_page_value_shows_a_page(client, page, expected):
    for _ in range(12):
        make_article()
    assert client.get(LIST_URL, {"page": page}).context["page_obj"].number == expected


def test_unknown_slug_is_404(client):
    assert client.get("/aktuelles/gibt-es-nicht/").status_code == 404


def test_detail_shows_attachments_contact_and_published_partners(client, settings, tmp_path):
    from django.core.files.base import ContentFile

    from news.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    visible = make_partner("Sichtbarer Partner")
    hidden = make_partner("Verborgener Partner", is_published=False)
    article = make_article(
        "Mit allem",
        contact_name="Erika Muster",
        contact_email="presse@example.org",
        partners=[visible, hidden],
    )
    Attachment.objects.create(
        article=article, title="Studie", file=ContentFile(b"%PDF-1.4 " + b"x" * 2040, name="s.pdf")
    )

    response = client.get(article.get_absolute_url())
    assertContains(response, 'Studie</a> <span class="muted">(PDF, 2,0\xa0KB)</span>', html=False)
    assertContains(response, "mailto:presse@example.org")
    assertContains(response, "Sichtbarer Partner")
    assertNotContains(response, "Verborgener Partner")


def test_partner_page_lists_its_published_news(client):
    partner = make_partner()
    make_article("Über den Partner", partners=[partner])
    make_article("Entwurf über den Partner", partners=[partner], status=Article.Status.DRAFT)
    response = client.get(partner.get_absolute_url())
    assertContains(response, "Über den Partner")
    assertNotContains(response, "Entwurf über den Partner")


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ("<p>Hallo<script>alert(1)</script></p>", "<script"),
        ('<p><img src=x onerror="alert(1)">Bild</p>', "onerror"),
        ('<p><a href="javascript:alert(1)">Link</a></p>', "javascript:"),
        ('<p style="color:red" onclick="x()">Stil</p>', "style="),
        ('<iframe src="https://example.org"></iframe>', "<iframe"),
    ],
)
def test_body_is_sanitised_on_save(client, dirty, forbidden):
    article = make_article(body=dirty)
    article.refresh_from_db()
    assert forbidden not in article.body
    assert (
        forbidden
        not in client.get(article.get_absolute_url())
        .content.decode()
        .split('class="article__body"')[1]
    )


def test_body_keeps_the_formatting_staff_use():
    html = '<h2>Zwischentitel</h2><p><strong>fett</strong> <em>kursiv</em> <a href="https://example.org">Link</a></p><ul><li>eins</li></ul>'
    article = make_article(body=html)
    article.refresh_from_db()
    for part in (
        "<h2>Zwischentitel</h2>",
        "<strong>fett</strong>",
        "<em>kursiv</em>",
        'href="https://example.org"',
        "<li>eins</li>",
    ):
        assert part in article.body


class TestQueryCounts:
    @pytest.mark.parametrize("number", [3, 40])
    def test_list(self, client, django_assert_num_queries, number):
        import datetime

        from django.utils import timezone

        for count in range(number):
            # Spread over as many years as there are articles, some years left empty.
            make_article(publish_at=timezone.now() - datetime.timedelta(days=366 * 2 * count))
        # The years for the filter (their two ends, then each year between in one query), the
        # upcoming events, the count, one page.
        with django_assert_num_queries(5 + GENERATION_READ):
            client.get(LIST_URL)

    @pytest.mark.parametrize("number", [1, 20])
    def test_detail(self, client, django_assert_num_queries, number, settings, tmp_path):
        from django.core.files.base import ContentFile

        from news.models import Attachment

        settings.MEDIA_ROOT = tmp_path
        article = make_article(partners=[make_partner() for _ in range(number)])
        for index in range(number):
            Attachment.objects.create(
                article=article, title=f"Datei {index}", file=ContentFile(b"%PDF-1.4", name="a.pdf")
            )
        # The article, its attachments, its partners, its meetings, the glossary's terms.
        with django_assert_num_queries(5 + GENERATION_READ):
            client.get(article.get_absolute_url())
