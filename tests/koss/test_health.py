"""/health/ tells everyone the state, and only the machine itself or a holder of the token
what is behind it."""

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

TOKEN = "ein-langes-geheimnis-fuer-die-ueberwachung"
DETAILS = {"database", "cache", "storage", "oldest_pending_task_seconds"}


@pytest.fixture(autouse=True)
def health_token(settings):
    settings.KOSS_HEALTH_TOKEN = TOKEN


def health(remote_addr, forwarded_for=None, token=None):
    headers = {}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return Client().get("/health/", headers=headers, REMOTE_ADDR=remote_addr)


def test_a_visitor_learns_the_state_only():
    response = health("203.0.113.9")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_machine_itself_sees_the_details():
    assert set(health("127.0.0.1").json()) >= DETAILS
    assert set(health("::1").json()) >= DETAILS


class TestBehindTheProxy:
    @pytest.fixture(autouse=True)
    def one_proxy(self, settings):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    def test_a_visitor_through_the_proxy_learns_the_state_only(self):
        # The proxy connects from loopback; the client is the address it appended.
        assert health("127.0.0.1", "203.0.113.9").json() == {"status": "ok"}

    def test_a_loopback_address_the_client_sent_itself_does_not_count(self):
        assert health("127.0.0.1", "127.0.0.1, 203.0.113.9").json() == {"status": "ok"}

    def test_the_token_shows_the_details(self):
        assert set(health("127.0.0.1", "203.0.113.9", token=TOKEN).json()) >= DETAILS

    def test_a_wrong_token_shows_nothing_more(self):
        for token in ("falsch", TOKEN[:-1], ""):
            assert health("127.0.0.1", "203.0.113.9", token=token).json() == {"status": "ok"}


def test_without_a_configured_token_no_token_opens_the_details(settings):
    settings.KOSS_HEALTH_TOKEN = ""
    assert health("203.0.113.9", token="").json() == {"status": "ok"}


def test_a_visitor_learns_that_the_portal_is_down():
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = health("203.0.113.9")
    assert response.status_code == 503
    assert response.json() == {"status": "down"}
