"""Public pages are cached for anonymous visitors, and never served stale after an edit."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from .advisory_board.conftest import login, world  # noqa: F401 - fixtures
from .factories import (
    login_as,
    make_article,
    make_board,
    make_meeting,
    make_partner,
    make_topic,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.KOSS_PAGE_CACHE_SECONDS = 300
    settings.KOSS_FRAGMENT_CACHE_SECONDS = 300


def test_second_anonymous_visit_is_served_from_the_cache(client, django_assert_num_queries):
    make_partner("Stadtliga Jena")
    first = client.get("/partner/")
    with django_assert_num_queries(1):  # the content generation
        second = client.get("/partner/")
    assert second.content == first.content


def test_public_pages_carry_validators_and_answer_304(client):
    make_partner()
    response = client.get("/partner/")
    assert "no-cache" in response["Cache-Control"] and "public" in response["Cache-Control"]
    etag = response["ETag"]
    assert client.get("/partner/", headers={"If-None-Match": etag}).status_code == 304


def rename_in_admin(client, staff_user, partner, name):
    """Staff save the partner's change form in the admin with a new name (and no topics)."""
    staff = client.__class__()
    login_as(staff, staff_user)
    data = {
        "name": name,
        "slug": partner.slug,
        "kind": partner.kind,
        "level": partner.level,
        "region": partner.region_id,
        "summary": partner.summary,
        "is_published": "on",
    }
    assert staff.post(f"/verwaltung/partners/partner/{partner.pk}/change/", data).status_code == 302


def test_staff_edit_shows_at_once(client, staff_user):
    partner = make_partner("Alter Name", slug="partner-x")
    assert "Alter Name" in client.get("/partner/").content.decode()
    assert "Alter Name" in client.get(partner.get_absolute_url()).content.decode()

    rename_in_admin(client, staff_user, partner, "Neuer Name")

    assert "Neuer Name" in client.get("/partner/").content.decode()
    assert "Neuer Name" in client.get(partner.get_absolute_url()).content.decode()


def test_unpublishing_through_an_admin_action_shows_at_once(client, staff_user):
    partner = make_partner("Bald verborgen")
    assert "Bald verborgen" in client.get("/partner/").content.decode()
    staff = client.__class__()
    login_as(staff, staff_user)
    staff.post(
        "/verwaltung/partners/partner/", {"action": "unpublish", "_selected_action": [partner.pk]}
    )
    assert "Bald verborgen" not in client.get("/partner/").content.decode()
    assert client.get(partner.get_absolute_url()).status_code == 404


def test_scheduled_article_appears_at_its_time_despite_the_cache(client):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        make_article("Zur rechten Zeit", publish_at=now + datetime.timedelta(minutes=2))
        assert "Zur rechten Zeit" not in client.get("/aktuelles/").content.decode()
    with time_machine.travel(now + datetime.timedelta(minutes=2, seconds=1), tick=False):
        assert "Zur rechten Zeit" in client.get("/aktuelles/").content.decode()


def test_members_pages_are_private_and_never_from_the_anonymous_cache(client, login, world):  # noqa: F811
    from advisory_board.models import AgendaItem

    AgendaItem.objects.create(meeting=world["meeting"], position=1, title="Vertraulicher Punkt")
    url = world["meeting"].get_absolute_url()
    anonymous = client.get(url)
    assert "Vertraulicher Punkt" not in anonymous.content.decode()

    member = login("member")
    response = member.get(url)
    assert "Vertraulicher Punkt" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    intern = member.get(reverse("advisory_board:members"))
    assert "private" in intern["Cache-Control"] or "no-store" in intern["Cache-Control"]


def test_error_pages_and_redirects_are_not_cached(client):
    assert client.get("/partner/gibt-es-nicht/").status_code == 404
    make_partner("Jetzt da", slug="gibt-es-nicht")
    # Created through the ORM, i.e. without a new generation: a cached 404 would hide it.
    assert client.get("/partner/gibt-es-nicht/").status_code == 200


def test_stored_pages_keep_their_security_headers(client, django_assert_num_queries):
    make_partner()
    first = client.get("/partner/")
    with django_assert_num_queries(1):  # the content generation
        second = client.get("/partner/")
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options", "ETag"):
        assert second[header] == first[header], header


def test_stored_pages_answer_conditional_requests_with_one_read_of_the_generation(
    client, django_assert_num_queries
):
    make_partner()
    etag = client.get("/partner/")["ETag"]
    with django_assert_num_queries(1):
        response = client.get("/partner/", headers={"If-None-Match": etag})
    assert response.status_code == 304


def test_pages_are_stored_per_host(client):
    make_partner()
    client.get("/partner/", HTTP_HOST="localhost")
    page = client.get("/partner/", HTTP_HOST="testserver").content.decode()
    assert 'href="http://testserver/partner/"' in page
    assert "http://localhost/" not in page


def test_map_filters_and_totals_serve_every_page_number_and_follow_edits(
    client, staff_user, django_assert_num_queries
):
    jena = [make_partner(f"Jenaer Partner {n:02d}", region=region("jena")) for n in range(25)]
    assert "Jena: 25 mit Sitz, 25 tätig" in client.get("/partner/").content.decode()
    # Another page number: only its partners are read; map, filter form and total are kept.
    # The generation, the page's partners and their topics.
    with django_assert_num_queries(3):
        assert "Jena: 25 mit Sitz, 25 tätig" in client.get("/partner/?page=2").content.decode()

    staff = client.__class__()
    login_as(staff, staff_user)
    staff.post(
        "/verwaltung/partners/partner/", {"action": "unpublish", "_selected_action": [jena[0].pk]}
    )
    page = client.get("/partner/?page=2").content.decode()
    assert "Jena: 24 mit Sitz, 24 tätig" in page
    assert re.search(r'id="results-heading"[^>]*>\s*24 Partner', page)
    assert "Jena: 24 mit Sitz, 24 tätig" in client.get("/").content.decode()


def test_a_meeting_moves_to_the_past_at_its_start_despite_the_cache(client):
    board = make_board(is_current=True)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        make_meeting(board, number=7, days_ahead=0, starts_at=now + datetime.timedelta(minutes=2))
        page = client.get("/beirat/").content.decode()
        assert "Kommende Sitzungen" in page and "Vergangene Sitzungen" not in page
    with time_machine.travel(now + datetime.timedelta(minutes=2, seconds=1), tick=False):
        page = client.get("/beirat/").content.decode()
        assert "Kommende Sitzungen" not in page and "Vergangene Sitzungen" in page


def test_shared_parts_carry_nothing_of_the_person_who_filled_them(client, staff_user):
    make_board(is_current=True)
    make_partner("Sichtbarer Partner")
    make_partner("Verborgener Entwurf", is_published=False)
    make_article("Entwurf der Redaktion", status="entwurf")
    staff = client.__class__()
    login_as(staff, staff_user)
    for url in ("/", "/partner/", "/partner/?level=land", "/aktuelles/", "/beirat/"):
        assert staff.get(url).status_code == 200  # renders and keeps the shared parts
        page = client.get(url).content.decode()
        assert "Verborgener Entwurf" not in page and "Entwurf der Redaktion" not in page
        assert "Abmelden" not in page and staff_user.email not in page
    assert "Sichtbarer Partner" in client.get("/partner/").content.decode()


def test_parts_kept_in_the_process_follow_a_new_generation(client):
    from koss.core.cache import start_new_generation

    partner = make_partner("Vorher")
    assert "Vorher" in client.get("/partner/").content.decode()
    partner.name = "Nachher"
    partner.save()
    start_new_generation()  # as every staff edit and content command does
    assert "Nachher" in client.get("/partner/?page=1").content.decode()


def test_document_lines_kept_for_staff_show_only_what_each_member_may_read(client, world):  # noqa: F811
    members_area = reverse("advisory_board:members")
    titles = {key: document.title for key, document in world["documents"].items()}
    staff = client.__class__()
    login_as(staff, world["users"]["staff"])
    page = staff.get(members_area).content.decode()
    assert titles["staff"] in page and titles["other_board"] in page  # all lines are kept now

    # The members' area lists what each may read; a former member sees no documents there.
    listed = {
        "member": {"public", "members"},
        "other_board_member": {"public", "other_board"},
        "former_member": set(),
    }
    for visitor, expected in listed.items():
        visitor_client = client.__class__()
        login_as(visitor_client, world["users"][visitor])
        page = visitor_client.get(members_area).content.decode()
        assert {key for key, title in titles.items() if title in page} == expected, visitor


def test_document_lines_follow_a_new_generation(login, world):  # noqa: F811
    from koss.core.cache import start_new_generation

    member = login("member")
    members_area = reverse("advisory_board:members")
    assert "Protokoll für Mitglieder" in member.get(members_area).content.decode()
    document = world["documents"]["members"]
    document.title = "Geändertes Protokoll"
    document.save()
    start_new_generation()  # as every staff edit does
    page = member.get(members_area).content.decode()
    assert "Geändertes Protokoll" in page and "Protokoll für Mitglieder" not in page


def test_staff_previews_of_detail_pages_stay_with_staff(client, staff_user):
    parent = make_partner("Dachverband")
    make_partner("Unveröffentlichte Tochter", parent=parent, is_published=False)
    draft_partner = make_partner("Unveröffentlichter Partner", is_published=False)
    article = make_article("Öffentlicher Beitrag", partners=[parent, draft_partner])
    staff = client.__class__()
    login_as(staff, staff_user)
    # Staff see what is not published yet, first, so that their view is kept first.
    assert "Unveröffentlichte Tochter" in staff.get(parent.get_absolute_url()).content.decode()
    # An article names published partners only, for staff too.
    article_page = staff.get(article.get_absolute_url()).content.decode()
    assert "Dachverband" in article_page and "Unveröffentlichter Partner" not in article_page
    for url in (parent.get_absolute_url(), article.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Dachverband" in page and "Unveröffentlicht" not in page, url
    assert "Unveröffentlichte Tochter" in staff.get(parent.get_absolute_url()).content.decode()


def test_pages_are_rendered_when_the_cache_is_away(client, settings, monkeypatch):
    from koss.core import cache_backend

    # A real Redis client against a port where no server listens.
    settings.CACHES = settings.CACHES | {
        "pages": {
            "BACKEND": "koss.core.cache_backend.RedisFailOpen",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    attempts = []
    monkeypatch.setattr(cache_backend.logger, "error", lambda *args: attempts.append(args))
    make_partner("Trotzdem sichtbar")
    make_board(is_current=True)
    for url in ("/partner/", "/partner/?page=2", "/", "/aktuelles/", "/beirat/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Trotzdem sichtbar" in client.get("/partner/").content.decode()
    # One failed attempt; later pages do not wait for the cache server's timeouts again.
    assert len(attempts) == 1


def test_an_admin_rename_shows_at_once_in_every_list(client, staff_user):
    partner = make_partner("Kartenpartner", topics=[make_topic("Altersarmut")], level="land")
    for url in ("/partner/", "/partner/?level=land", "/"):
        assert client.get(url).status_code == 200
    rename_in_admin(client, staff_user, partner, "Umbenannter Kartenpartner")  # topics left out
    for url in ("/partner/", "/partner/?level=land"):
        page = client.get(url).content.decode()
        assert "Umbenannter Kartenpartner" in page and "<li>Altersarmut</li>" not in page, url


def test_detail_pages_follow_edits(client, member_user, staff_user):
    partner = make_partner("Detailpartner", topics=[make_topic("Pflege")])
    make_partner("Tochterorganisation", parent=partner)
    article = make_article("Detailbeitrag", partners=[partner])
    member = client.__class__()
    login_as(member, member_user)
    for visitor in (client, member):
        page = visitor.get(partner.get_absolute_url()).content.decode()
        assert "Tochterorganisation" in page and "Detailbeitrag" in page
        assert "Detailpartner" in visitor.get(article.get_absolute_url()).content.decode()

    rename_in_admin(client, staff_user, partner, "Umbenannter Detailpartner")  # topics left out
    for visitor in (client, member):
        page = visitor.get(partner.get_absolute_url()).content.decode()
        assert "Umbenannter Detailpartner" in page and "Pflege" not in page
        page = visitor.get(article.get_absolute_url()).content.decode()
        assert "Umbenannter Detailpartner" in page


def test_nothing_of_the_members_pages_is_kept_in_the_shared_cache(
    login,  # noqa: F811
    world,  # noqa: F811
    settings,
):
    from django.core.cache import caches

    from advisory_board.models import AgendaItem

    settings.CACHES = settings.CACHES | {
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "x"}
    }
    AgendaItem.objects.create(meeting=world["meeting"], position=1, title="Haushalt 2027")
    member = login("member")
    for url in (reverse("advisory_board:members"), world["meeting"].get_absolute_url()):
        page = member.get(url).content.decode()
        assert "Haushalt 2027" in page and "Protokoll für Mitglieder" in page
    kept = " ".join(str(value) for value in caches["pages"]._cache.values())
    assert "Haushalt 2027" not in kept and "Protokoll für Mitglieder" not in kept


def test_a_reply_shows_at_once_on_both_pages(login, world):  # noqa: F811
    member = login("member")
    members_area = reverse("advisory_board:members")
    meeting_page = world["meeting"].get_absolute_url()
    assert 'value="ja" required>' in member.get(meeting_page).content.decode()
    reply_url = reverse("advisory_board:reply", args=[world["meeting"].pk])
    for answer, shown, checked in [
        ("ja", "Sie haben zugesagt.", 'value="ja" required checked>'),
        ("nein", "Sie haben abgesagt.", 'value="nein" checked>'),
    ]:
        assert member.post(reply_url, {"answer": answer}).status_code == 302
        assert shown in member.get(members_area).content.decode()
        page = member.get(meeting_page).content.decode()
        assert shown in page and checked in page


def test_outside_a_request_the_generation_is_read_every_time():
    """A command or a worker that runs for long must see each new generation."""
    from koss.core.cache import current_generation, start_new_generation

    first = current_generation()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=1)):
        second = start_new_generation()
    assert second != first
    assert current_generation() == second


def test_the_shared_cache_makes_one_redis_client_per_process(monkeypatch):
    """A stored page costs one Redis round trip, not the making of a new client each time."""
    import redis

    from koss.core.cache_backend import RedisFailOpen

    made = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        made.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    monkeypatch.setattr("koss.core.cache_backend._unavailable_until", 0.0)
    cache = RedisFailOpen("redis://127.0.0.1:6379/7", {"KEY_PREFIX": "test-clients"})
    cache.set("page", b"x" * 1000)
    for _ in range(10):
        assert cache.get_many(["generation", "page"]) == {"page": b"x" * 1000}
    cache.delete("page")
    assert len(made) == 1


def test_a_generation_of_another_form_is_replaced_not_a_crash(client):
    """A value an earlier release kept under the generation's key starts a new generation."""
    from koss.core.cache import GENERATION_KEY, store

    store.set(GENERATION_KEY, 1733123456.5, None)
    assert client.get("/").status_code == 200
    assert client.get("/partner/").status_code == 200


MEMBER_PAGE_READS = 4  # the session, the login, the person's memberships, the generation


def members_pages(world):  # noqa: F811
    return [reverse("advisory_board:members"), world["meeting"].get_absolute_url()]


def test_a_members_page_is_kept_for_that_member_alone(
    client,
    login,  # noqa: F811
    world,  # noqa: F811
    django_assert_num_queries,
):
    member = login("member")
    member.get(reverse("advisory_board:members"))  # the first visit has a welcome of its own
    for url in members_pages(world):
        first = member.get(url)
        with django_assert_num_queries(MEMBER_PAGE_READS):
            second = member.get(url)
        assert second.content == first.content, url
        assert "no-store" in second["Cache-Control"] or "private" in second["Cache-Control"]
    other = client.__class__()
    login_as(other, world["users"]["other_board_member"])
    page = other.get(reverse("advisory_board:members")).content.decode()
    assert "Maria" not in page and "Protokoll für Mitglieder" not in page
    assert "Protokoll des anderen Beirats" in page


def test_a_kept_members_page_follows_a_new_generation(login, world):  # noqa: F811
    from advisory_board.models import AgendaItem
    from koss.core.cache import start_new_generation

    member = login("member")
    member.get(reverse("advisory_board:members"))  # the first visit has a welcome of its own
    item = AgendaItem.objects.create(meeting=world["meeting"], position=1, title="Haushalt 2027")
    start_new_generation()
    for url in members_pages(world):
        assert "Haushalt 2027" in member.get(url).content.decode()
    item.title = "Haushalt 2028"
    item.save()
    for url in members_pages(world):  # kept: an ORM write is no edit of staff
        assert "Haushalt 2027" in member.get(url).content.decode()
    start_new_generation()  # as every staff edit does
    for url in members_pages(world):
        page = member.get(url).content.decode()
        assert "Haushalt 2028" in page and "Haushalt 2027" not in page


def test_staff_pages_and_pages_with_messages_are_never_kept(
    client,
    login,  # noqa: F811
    world,  # noqa: F811
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client.__class__()
    login_as(staff, world["users"]["staff"])
    url = reverse("advisory_board:members")
    staff.get(url)
    with CaptureQueriesContext(connection) as again:
        staff.get(url)
    assert len(again) > MEMBER_PAGE_READS + 3

    member = login("member")
    meeting_page = world["meeting"].get_absolute_url()
    member.get(meeting_page)
    reply = reverse("advisory_board:reply", args=[world["meeting"].pk])
    assert member.post(reply, {"answer": "ja"}).status_code == 302
    page = member.get(meeting_page).content.decode()
    assert "Danke!" in page and "Sie haben zugesagt." in page
    assert "Danke!" not in member.get(meeting_page).content.decode()  # said once


def test_a_kept_members_page_ends_with_the_membership_and_the_vote(
    login,  # noqa: F811
    world,  # noqa: F811
):
    from tests.advisory_board.test_written_votes import make_vote

    # An evening to come: the membership ends with its day, a vote an hour before midnight.
    day = timezone.localdate() + datetime.timedelta(days=1)
    evening = timezone.make_aware(datetime.datetime.combine(day, datetime.time(22)))
    membership = world["people"]["member"].memberships.get()
    membership.ends_on = day
    membership.save()
    url = reverse("advisory_board:members")
    with time_machine.travel(evening, tick=False):
        vote = make_vote(world["board"], title="Umlauf zur Stellungnahme")
        vote.deadline = evening + datetime.timedelta(hours=1)
        vote.save()
        member = login("member")
        page = member.get(url).content.decode()
        assert "Umlauf zur Stellungnahme" in page and "Protokoll für Mitglieder" in page
    with time_machine.travel(vote.deadline + datetime.timedelta(seconds=1), tick=False):
        page = member.get(url).content.decode()
        assert "Umlauf zur Stellungnahme" not in page and "Protokoll für Mitglieder" in page
    with time_machine.travel(evening + datetime.timedelta(hours=2, minutes=30), tick=False):
        page = member.get(url).content.decode()
        assert "Ihre Mitgliedschaft im Beirat ist beendet" in page
        assert "Protokoll für Mitglieder" not in page


def test_logging_in_changes_nothing_and_keeps_the_stored_pages(
    client,
    world,  # noqa: F811
    django_assert_num_queries,
):
    make_partner("Stadtliga Jena")
    visitor = client.__class__()
    stored = visitor.get("/partner/").content
    member = client.__class__()
    member.get("/konto/login/")
    response = member.post(
        "/konto/login/",
        {"login": world["users"]["member"].email, "password": "correct-horse-battery"},
    )
    assert response.status_code == 302 and "_auth_user_id" in member.session
    with django_assert_num_queries(1):  # the content generation: still the same
        assert visitor.get("/partner/").content == stored


def test_a_rendered_news_list_reads_one_kept_part_and_for_a_later_page_its_total(
    client, settings, monkeypatch, django_assert_num_queries
):
    """Without the page cache, the news list is rendered from its content kept in one piece; a
    page number asked for is checked against the list's total, kept on its own."""
    from django.core.cache import caches

    settings.KOSS_PAGE_CACHE_SECONDS = 0
    for number in range(12):
        make_article(f"Pressemitteilung {number:02d}", kind="pressemitteilung")
    make_article("Eine Meldung", kind="meldung")
    pages = {
        url: client.get(url).content.decode()
        for url in ("/aktuelles/?kind=pressemitteilung", "/aktuelles/?kind=pressemitteilung&page=2")
    }
    reads = []
    store = caches["pages"]
    original = store.get

    def counted(key, *args, **kwargs):
        reads.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(store, "get", counted)
    for url, kept_reads in (
        ("/aktuelles/?kind=pressemitteilung", 1),
        ("/aktuelles/?kind=pressemitteilung&page=2", 2),
    ):
        reads.clear()
        with django_assert_num_queries(1):  # the content generation
            page = client.get(url).content.decode()
        assert len(reads) == kept_reads, (url, reads)
        assert page == pages[url]
        assert "12 Beiträge" in page and "Eine Meldung" not in page
    assert "Pressemitteilung 11" in pages["/aktuelles/?kind=pressemitteilung"]
    assert "Pressemitteilung 01" in pages["/aktuelles/?kind=pressemitteilung&page=2"]
    assert "Aktuelles – Seite 2" in pages["/aktuelles/?kind=pressemitteilung&page=2"]


def test_a_kept_value_costs_one_read_when_kept_and_one_write_more_when_not(db, monkeypatch):
    from django.core.cache import caches

    from koss.core.cache import kept_value

    store = caches["pages"]
    calls = []
    for name in ("get", "set", "add", "get_or_set"):
        original = getattr(store, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(store, name, counted)
    computed = []

    def compute():
        computed.append(1)
        return 0  # a value that reads as false is kept too

    assert kept_value(["total", "rund"], compute) == 0
    assert calls == ["get", "set"] and computed == [1]
    calls.clear()
    assert kept_value(["total", "rund"], compute) == 0
    assert calls == ["get"] and computed == [1]
