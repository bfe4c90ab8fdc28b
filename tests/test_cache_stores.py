"""What guards logins and builds is kept where pages cannot push it out and an outage of Redis
cannot forget it; a change is never undone by a returning Redis; the page cache keys on the
parameters a page reads.

These tests run against a redis-server of their own, configured as settings.py configures the
caches with REDIS_URL set: a small memory limit with `volatile-lru`, stopped and started again.
"""

import contextlib
import datetime
import math
import runpy
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import redis
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from redis.backoff import NoBackoff
from redis.retry import Retry

from .conftest import free_port
from .factories import (
    TOTP_SECRET,
    current_totp_code,
    make_article,
    make_board,
    make_meeting,
    make_staff,
    make_user,
)

pytestmark = pytest.mark.django_db

SETTINGS = str(Path(django_settings.BASE_DIR) / "koss" / "settings.py")
PASSWORD = "correct-horse-battery"
TOO_MANY = "Zu viele"
FLOOD = 400


class RedisServer:
    """A redis-server of the test's own, on a free port, keeping its data in `directory`."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "/usr/bin/redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--dir", str(self.directory), "--dbfilename", "dump.rdb"),
                *("--save", "", "--appendonly", "no"),
                *("--maxmemory-policy", "volatile-lru"),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def client(self):
        return redis.Redis(port=self.port)

    def limit_memory(self, spare_bytes):
        """Memory for what is there and `spare_bytes` more."""
        used = self.client().info("memory")["used_memory"]
        self.client().config_set("maxmemory", used + spare_bytes)

    def evicted_keys(self):
        return self.client().info("stats")["evicted_keys"]

    def stop(self, *, save=False):
        if self.process is None:
            return
        if save:
            self.client().save()
        # It closes the connection as it goes; without retries, redis-py does not spend seconds
        # reconnecting to a server that is gone.
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis(port=self.port, retry=Retry(NoBackoff(), 0)).shutdown(nosave=True)
        self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def production_caches(settings, monkeypatch, redis_server):
    """The caches as settings.py builds them for production, with the test's Redis."""
    with monkeypatch.context() as environment:
        environment.setenv("REDIS_URL", redis_server.url)
        settings.CACHES = runpy.run_path(SETTINGS)["CACHES"]
    settings.KOSS_PAGE_CACHE_SECONDS = settings.KOSS_FRAGMENT_CACHE_SECONDS = 300
    monkeypatch.setattr("koss.core.cache_backend._unavailable_until", 0.0)
    return redis_server


@pytest.fixture
def account(db):
    user = make_user("mitglied@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def fail_logins(account, times):
    for _ in range(times):
        Client(raise_request_exception=False).post(
            reverse("account_login"), {"login": account.email, "password": "falsch"}
        )


def locked_out(account):
    """Whether even the right password is refused."""
    response = Client(raise_request_exception=False).post(
        reverse("account_login"), {"login": account.email, "password": PASSWORD}
    )
    return response.status_code == 200 and TOO_MANY in response.content.decode()


class Guarded:
    """A lockout, a used one-time code and a book's build lock, set up for one test."""

    def __init__(self, account, monkeypatch):
        from advisory_board import meeting_book

        self.account = account
        fail_logins(account, 5)
        assert locked_out(account)

        staff = make_staff()
        self.totp = TOTP(Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP))
        self.code = current_totp_code()
        assert self.totp.validate_code(self.code)

        self.builds = []
        monkeypatch.setattr(
            meeting_book,
            "build_meeting_book",
            type("Task", (), {"enqueue": staticmethod(lambda *args: self.builds.append(args))}),
        )
        self.meeting = make_meeting(make_board(is_current=True), number=1)
        self.ask_for_book = lambda: meeting_book.ask_for_meeting_book(self.meeting, [], "public")
        self.ask_for_book()
        assert len(self.builds) == 1

    def assert_held(self):
        assert locked_out(self.account), "the lockout was forgotten"
        # The code is still the current one: only its record as used can refuse it.
        assert validate_totp_code(TOTP_SECRET, self.code)
        assert not self.totp.validate_code(self.code), "a used code was accepted again"
        self.ask_for_book()
        assert len(self.builds) == 1, "a second build of the same book was queued"


@pytest.fixture
def period_start():
    """Time stands at the start of a TOTP period: the code stays the current one however long
    the test takes (Redis's own expiry runs on the real clock)."""
    now = time.time()
    with time_machine.travel(math.floor(now / 30) * 30 + 0.5, tick=False):
        yield


def page_keys(server):
    return list(server.client().scan_iter("*koss:page:*"))


def test_a_flood_of_page_addresses_leaves_lockouts_used_codes_and_build_locks(
    production_caches, account, monkeypatch, period_start
):
    server = production_caches
    guarded = Guarded(account, monkeypatch)
    server.limit_memory(512 * 1024)
    anonymous = Client()

    started = time.monotonic()
    for _ in range(FLOOD):
        assert anonymous.get(f"/?utm_source={uuid.uuid4().hex}").status_code == 200
    stored_for_unknown = len(page_keys(server))
    evicted_by_unknown = server.evicted_keys()
    # Parameters a page does read still give a page each: these push older entries out.
    for _ in range(FLOOD // 2):
        assert anonymous.get(f"/suche/?q={uuid.uuid4().hex}").status_code == 200
    evicted = server.evicted_keys()
    print(
        f"\nflood: {FLOOD} GET /?utm_source=<random> -> {stored_for_unknown} stored page(s), "
        f"{evicted_by_unknown} keys evicted; {FLOOD // 2} GET /suche/?q=<random> -> {evicted} keys "
        f"evicted in all, {len(page_keys(server))} pages left; "
        f"{time.monotonic() - started:.1f} s"
    )

    assert stored_for_unknown == 1
    assert evicted > 0, "the flood did not fill the memory limit"
    guarded.assert_held()


def test_lockouts_used_codes_and_build_locks_hold_while_the_cache_is_stopped(
    production_caches, account, monkeypatch, period_start
):
    guarded = Guarded(account, monkeypatch)
    production_caches.stop()
    assert Client().get("/").status_code == 200
    guarded.assert_held()


def test_kept_totals_and_rankings_are_computed_while_the_cache_is_stopped(production_caches):
    """What is kept per generation (a search's rankings and totals, the news list's years) is
    computed for every request while Redis is away, never taken as an empty value."""
    for number in range(3):
        make_article(
            f"Fachtag Sozialplanung {number}",
            publish_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC),
        )
    production_caches.stop()
    for _ in range(2):
        search = Client().get("/suche/", {"q": "Fachtag"}).content.decode()
        assert "3 Beiträge" in search and "Fachtag Sozialplanung 2" in search
        news = Client().get("/aktuelles/", {"year": "2025"}).content.decode()
        assert "3 Beiträge" in news and "Fachtag Sozialplanung 0" in news


def test_a_change_while_the_cache_is_away_is_not_undone_by_its_return(
    production_caches, monkeypatch
):
    from koss.core.cache import start_new_generation

    server = production_caches
    article = make_article("Bald zurückgezogen")
    url = article.get_absolute_url()
    anonymous = Client()
    assert anonymous.get(url).status_code == 200  # rendered and stored
    assert anonymous.get(url).status_code == 200  # from the store
    server.stop(save=True)

    article.status = article.Status.DRAFT
    article.save()
    start_new_generation()  # as every staff edit does
    assert anonymous.get(url).status_code == 404

    server.start()  # with the data it saved
    assert page_keys(server), "Redis came back without the stored page"
    monkeypatch.setattr("koss.core.cache_backend._unavailable_until", 0.0)  # tried again
    assert anonymous.get(url).status_code == 404


def test_unknown_parameters_share_the_page_of_the_known_ones(production_caches):
    from news.models import Article

    server = production_caches
    make_article("Ein Termin", kind=Article.Kind.EVENT)
    make_article("Eine Meldung")
    anonymous = Client()
    everything = anonymous.get("/aktuelles/").content.decode()
    events = anonymous.get(f"/aktuelles/?kind={Article.Kind.EVENT}").content.decode()
    assert "Eine Meldung" in everything and "Eine Meldung" not in events
    for number in range(20):
        page = anonymous.get(f"/aktuelles/?utm_source={number}&kind={Article.Kind.EVENT}")
        assert page.content.decode() == events
        page = anonymous.get(f"/aktuelles/?fbclid={number}")
        assert page.content.decode() == everything
    assert len(page_keys(server)) == 2


def test_a_page_sees_only_the_parameters_it_declares(client, settings):
    """Rendered for the first time with an unknown parameter, the page is that of the known
    ones: its links do not carry the unknown one on to the next visitor."""
    settings.KOSS_PAGE_CACHE_SECONDS = 300
    for number in range(12):
        make_article(f"Meldung {number}")
    page = client.get("/aktuelles/?utm_source=newsletter&page=1").content.decode()
    assert "?page=2" in page
    assert "utm_source" not in page


def test_stored_and_rendered_public_pages_answer_if_none_match_with_304(production_caches):
    anonymous = Client()
    rendered = anonymous.get("/aktuelles/")
    etag = rendered["ETag"]
    assert etag and rendered.status_code == 200
    stored = anonymous.get("/aktuelles/", headers={"If-None-Match": etag})
    assert stored.status_code == 304 and stored["ETag"] == etag
    assert anonymous.get("/aktuelles/", headers={"If-None-Match": '"anders"'}).status_code == 200

    production_caches.stop()  # every page is rendered now
    rendered = anonymous.get("/aktuelles/")
    assert rendered.status_code == 200 and rendered["ETag"]
    again = anonymous.get("/aktuelles/", headers={"If-None-Match": rendered["ETag"]})
    assert again.status_code == 304


def test_the_shared_store_is_not_in_redis(settings, monkeypatch):
    """Rate limits, used codes and build locks use the default cache: in the database, for
    every process and instance, with or without REDIS_URL."""
    for url in ("", "redis://127.0.0.1:6379/0"):
        with monkeypatch.context() as environment:
            environment.setenv("REDIS_URL", url)
            caches = runpy.run_path(SETTINGS)["CACHES"]
        assert caches["default"]["BACKEND"] == "koss.core.cache_backend.SharedStore"


def test_the_generation_is_kept_in_the_database(production_caches):
    from koss.core.cache import current_generation, start_new_generation

    with time_machine.travel(
        datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=1)
    ):
        generation = start_new_generation()
    production_caches.client().flushall()
    assert current_generation() == generation
