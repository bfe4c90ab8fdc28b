"""Event notices: date, time and place; upcoming events first; a calendar entry for each."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from icalendar import Calendar
from pytest_django.asserts import assertContains, assertNotContains

from news.models import Article

from ..conftest import GENERATION_READ
from ..factories import login_as, make_article, make_board, make_member, make_user

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
LIST_URL = reverse("news:list")


def make_event(title, starts_in=10 * DAY, lasts=datetime.timedelta(hours=6), **fields):
    fields.setdefault("publish_at", NOW - 30 * DAY)
    fields.setdefault("location", "Erfurt")
    starts_at = NOW + starts_in
    return make_article(
        title,
        kind=Article.Kind.EVENT,
        starts_at=starts_at,
        ends_at=starts_at + lasts if lasts else None,
        **fields,
    )


def event_form_errors(**fields):
    article = Article(
        kind=Article.Kind.EVENT, title="Fachtag", slug="fachtag", teaser="T", body="<p>B</p>"
    )
    for name, value in fields.items():
        setattr(article, name, value)
    try:
        article.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


class TestValidation:
    def test_an_event_needs_a_start_and_a_place(self):
        errors = event_form_errors()
        assert errors["starts_at"] == ["Bitte geben Sie an, wann die Veranstaltung beginnt."]
        assert errors["location"] == ["Bitte geben Sie an, wo die Veranstaltung stattfindet."]

    @pytest.mark.parametrize("lasts", [datetime.timedelta(0), -datetime.timedelta(hours=1)])
    def test_the_end_lies_after_the_start(self, lasts):
        errors = event_form_errors(starts_at=NOW, ends_at=NOW + lasts, location="Erfurt")
        assert errors == {"ends_at": ["Das Ende der Veranstaltung muss nach dem Beginn liegen."]}

    def test_a_complete_event_and_a_news_item_without_dates_are_valid(self):
        assert event_form_errors(starts_at=NOW, location="Erfurt") == {}
        assert event_form_errors(kind=Article.Kind.NEWS, location="") == {}

    def test_the_database_refuses_an_end_before_the_start(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_event("Rückwärts", lasts=-datetime.timedelta(hours=1))


class TestNewsList:
    @pytest.fixture(autouse=True)
    def now(self):
        with time_machine.travel(NOW, tick=False):
            yield

    def test_upcoming_events_come_first_then_the_rest_latest_first(self, client):
        make_article("Neueste Meldung", publish_at=NOW - DAY)
        make_event("Späterer Fachtag", starts_in=40 * DAY)
        make_event("Nächster Fachtag", starts_in=5 * DAY, publish_at=NOW - 60 * DAY)
        make_event("Läuft gerade", starts_in=-DAY, lasts=3 * DAY, publish_at=NOW - 90 * DAY)
        make_event("Vergangener Fachtag", starts_in=-10 * DAY, publish_at=NOW - 2 * DAY)
        make_article("Ältere Meldung", publish_at=NOW - 20 * DAY)

        response = client.get(LIST_URL)
        assert [a.title for a in response.context["upcoming_events"]] == [
            "Läuft gerade",
            "Nächster Fachtag",
            "Späterer Fachtag",
        ]
        assert [a.title for a in response.context["page_obj"].object_list] == [
            "Neueste Meldung",
            "Vergangener Fachtag",
            "Ältere Meldung",
        ]
        assertContains(response, "6 Beiträge")
        content = response.content.decode()
        assert content.index("Bevorstehende Veranstaltungen") < content.index("Nächster Fachtag")
        assert content.index("Späterer Fachtag") < content.index("Weitere Beiträge")
        assert content.index("Weitere Beiträge") < content.index("Neueste Meldung")

    def test_unpublished_events_are_not_upcoming_anywhere(self, client):
        make_event("Entwurf eines Fachtags", status=Article.Status.DRAFT)
        make_event("Geplanter Fachtag", publish_at=NOW + DAY)
        for url in (LIST_URL, "/"):
            content = client.get(url).content.decode()
            assert "Entwurf eines Fachtags" not in content, url
            assert "Geplanter Fachtag" not in content, url
            assert "Bevorstehende Veranstaltungen" not in content, url

    def test_filters_apply_to_the_upcoming_events(self, client):
        make_event("Fachtag")
        make_article("Meldung", kind=Article.Kind.NEWS)
        response = client.get(LIST_URL, {"kind": Article.Kind.NEWS})
        assert response.context["upcoming_events"] == []
        assertNotContains(response, "Bevorstehende Veranstaltungen")
        assertContains(response, "1 Beitrag")

    def test_upcoming_events_stand_on_the_first_page_only(self, client):
        make_event("Fachtag")
        for _ in range(12):
            make_article()
        second = client.get(LIST_URL, {"page": 2})
        assertNotContains(second, "Fachtag")
        assertContains(second, "13 Beiträge")

    def test_list_queries_stay_constant(self, client, django_assert_num_queries):
        for number in range(5):
            make_event(f"Fachtag {number}", starts_in=(number + 1) * DAY)
            make_article()
        # The years for the filter, the upcoming events, the count of the rest, one page.
        with django_assert_num_queries(4 + GENERATION_READ):
            client.get(LIST_URL)


@time_machine.travel(NOW, tick=False)
def test_an_event_leaves_the_upcoming_ones_when_it_ends_even_from_cached_pages(client, settings):
    settings.KOSS_PAGE_CACHE_SECONDS = 300
    settings.KOSS_FRAGMENT_CACHE_SECONDS = 300
    make_event("Kurzer Fachtag", starts_in=datetime.timedelta(minutes=1), lasts=None)
    from koss.core.cache import start_new_generation

    start_new_generation()  # as the save in the admin would
    assert "Kurzer Fachtag" in str(client.get(LIST_URL).context["upcoming_events"])
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        response = client.get(LIST_URL)
        assert response.context is not None, "served a page kept from before the event began"
        assert response.context["upcoming_events"] == []
        assertContains(response, "Kurzer Fachtag")


@time_machine.travel(NOW, tick=False)
def test_article_page_shows_date_time_place_and_the_calendar_link(client):
    event = make_event(
        "Fachtag Sozialraum",
        starts_in=datetime.timedelta(days=55, hours=-3, minutes=-30),  # 16 January 2027, 9:30
        lasts=datetime.timedelta(hours=6, minutes=30),
        location="Augustinerkloster Erfurt",
    )
    response = client.get(event.get_absolute_url())
    assertContains(response, "16. Januar 2027, 9:30</time>–<time")
    assertContains(response, "16:00</time> Uhr")
    assertContains(response, "Augustinerkloster Erfurt")
    assertContains(response, f'href="{reverse("news:calendar", args=[event.slug])}"')
    assertContains(response, "In den Kalender")


@time_machine.travel(NOW, tick=False)
def test_events_over_several_days_name_both_days(client):
    event = make_event("Tagung", starts_in=10 * DAY, lasts=DAY + datetime.timedelta(hours=2))
    assertContains(client.get(event.get_absolute_url()), "Uhr bis <time")


@time_machine.travel(NOW, tick=False)
def test_staff_preview_of_an_unpublished_event_offers_no_calendar_file(staff_client):
    event = make_event("Entwurf", status=Article.Status.DRAFT)
    response = staff_client.get(event.get_absolute_url())
    assertContains(response, "Erfurt")
    assertNotContains(response, "In den Kalender")


@time_machine.travel(NOW, tick=False)
def test_home_shows_the_next_three_events(client):
    for number in range(4):
        make_event(f"Fachtag Nummer {number}", starts_in=(number + 1) * DAY)
    make_event("Vorbei", starts_in=-DAY)
    response = client.get("/")
    assertContains(response, "Nächste Veranstaltungen")
    assert [a.title for a in response.context["next_events"]] == [
        "Fachtag Nummer 0",
        "Fachtag Nummer 1",
        "Fachtag Nummer 2",
    ]


VISITORS = ["anonymous", "member", "former_member", "other_board_member", "staff"]


@pytest.fixture
def visitor_client(request, client, staff_user):
    """A client as each kind of visitor: the calendar file follows the article, nothing else."""

    def as_visitor(visitor):
        if visitor == "anonymous":
            return client
        board, other_board = make_board(is_current=True), make_board("Anderer Beirat")
        users = {
            "member": (board, None),
            "former_member": (board, datetime.date(2016, 10, 5)),
            "other_board_member": (other_board, None),
        }
        if visitor == "staff":
            return login_as(client, staff_user)
        user = make_user(f"{visitor}@example.org")
        membership_board, ends_on = users[visitor]
        make_member(membership_board, user, ends_on=ends_on)
        return login_as(client, user)

    return as_visitor


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("visitor", VISITORS)
def test_calendar_file_of_a_published_event_for_everyone(visitor_client, visitor):
    event = make_event(
        "Fachtag Pflege", starts_in=10 * DAY, location="Haus der Sozialen Dienste, Gera"
    )
    response = visitor_client(visitor).get(reverse("news:calendar", args=[event.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    [entry] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Fachtag Pflege"
    assert entry.decoded("DTSTART") == NOW + 10 * DAY
    assert entry.decoded("DTEND") == NOW + 10 * DAY + datetime.timedelta(hours=6)
    assert str(entry["LOCATION"]) == "Haus der Sozialen Dienste, Gera"
    assert str(entry["URL"]).endswith(event.get_absolute_url())
    assert str(entry["UID"]) == f"aktuelles-{event.pk}@testserver"


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("visitor", VISITORS)
def test_no_calendar_file_for_unpublished_events_or_other_articles(visitor_client, visitor):
    client = visitor_client(visitor)
    for article in (
        make_event("Entwurf", status=Article.Status.DRAFT),
        make_event("Geplant", publish_at=NOW + DAY),
        make_article("Meldung"),
        make_article("Veranstaltung ohne Datum", kind=Article.Kind.EVENT),
    ):
        assert client.get(reverse("news:calendar", args=[article.slug])).status_code == 404
    assert client.get("/aktuelles/gibt-es-nicht/kalender.ics").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_calendar_file_without_an_end_has_no_end(client):
    event = make_event("Offenes Ende", lasts=None)
    [entry] = Calendar.from_ical(
        client.get(reverse("news:calendar", args=[event.slug])).content
    ).walk("VEVENT")
    assert "DTEND" not in entry
