"""Rules from the security review of the production profile: logins behind the proxy, unknown
hosts, member pages kept out of caches, and logins while the shared cache is away."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from ..factories import login_as, make_board, make_meeting, make_member, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
TOO_MANY = "Zu viele"


@pytest.fixture
def account(db):
    user = make_user("mitglied@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def login_from(client_address, email, password):
    """A login through the proxy, which appends the address it saw to X-Forwarded-For."""
    return Client().post(
        reverse("account_login"),
        {"login": email, "password": password},
        headers={"X-Forwarded-For": f"198.51.100.77, {client_address}"},
        REMOTE_ADDR="127.0.0.1",
    )


class TestLoginsBehindTheProxy:
    @pytest.fixture(autouse=True)
    def one_proxy(self, settings):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    def test_many_clients_with_wrong_passwords_do_not_lock_out_another(self, account):
        for number in range(12):
            response = login_from(f"203.0.113.{number}", f"niemand{number}@example.org", "falsch")
            assert TOO_MANY not in response.content.decode()
        response = login_from("192.0.2.1", account.email, PASSWORD)
        assert response.status_code == 302
        assert response.url == reverse("advisory_board:members")

    def test_one_client_with_many_wrong_passwords_is_still_limited(self, account):
        for number in range(10):
            login_from("203.0.113.5", f"niemand{number}@example.org", "falsch")
        response = login_from("203.0.113.5", account.email, PASSWORD)
        assert response.status_code == 200
        assert TOO_MANY in response.content.decode()

    def test_the_client_address_the_proxy_saw_counts_not_one_it_was_sent(self, account):
        # A client cannot escape its limit by sending its own X-Forwarded-For entries.
        for number in range(10):
            Client().post(
                reverse("account_login"),
                {"login": f"niemand{number}@example.org", "password": "falsch"},
                headers={"X-Forwarded-For": f"10.0.0.{number}, 203.0.113.5"},
            )
        response = login_from("203.0.113.5", account.email, PASSWORD)
        assert TOO_MANY in response.content.decode()

    def test_password_resets_are_limited_per_client(self, account):
        for number in range(25):
            Client().post(
                reverse("account_reset_password"),
                {"email": f"niemand{number}@example.org"},
                headers={"X-Forwarded-For": f"203.0.113.{number}"},
            )
        response = Client().post(
            reverse("account_reset_password"),
            {"email": account.email},
            headers={"X-Forwarded-For": "192.0.2.1"},
        )
        assert response.status_code == 302
        assert [message.to for message in mail.outbox] == [[account.email]]


@pytest.mark.parametrize("path", ["/", "/health/", "/partner/", "/verwaltung/", "/konto/login/"])
def test_an_unknown_host_is_a_400(path):
    response = Client(raise_request_exception=False).get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()
    assert "evil.example" not in response.content.decode()


class TestMemberPagesAreNotStored:
    @pytest.fixture
    def meeting(self, db):
        board = make_board(is_current=True)
        make_member(board, make_user("mitglied@example.org"))
        return make_meeting(board)

    def test_meeting_page_and_members_area_for_members(self, client, meeting):
        login_as(client, meeting.board.memberships.get().person.user)
        for path in (meeting.get_absolute_url(), reverse("advisory_board:members")):
            response = client.get(path)
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"], path

    def test_staff_pages_are_not_stored(self, client, meeting, staff_user):
        login_as(client, staff_user)
        response = client.get(meeting.get_absolute_url())
        assert "no-store" in response["Cache-Control"]

    def test_the_public_meeting_page_may_be_kept(self, client, meeting):
        response = client.get(meeting.get_absolute_url())
        assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/partner/", "/health/", "/robots.txt"])
def test_responses_are_for_this_origin_only(client, path):
    assert client.get(path)["Cross-Origin-Resource-Policy"] == "same-origin"


def test_static_files_are_for_this_origin_only(client):
    from django.templatetags.static import static

    response = client.get(static("css/site.css"))
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


class TestWithoutTheSharedCache:
    """Redis away: logins and password resets still answer, limited as ever (the limits are
    kept in the database)."""

    @pytest.fixture(autouse=True)
    def redis_away(self, settings, monkeypatch):
        # The pause before Redis is tried again ends with each test.
        monkeypatch.setattr("koss.core.cache_backend._unavailable_until", 0.0)
        settings.CACHES = settings.CACHES | {
            "pages": {
                "BACKEND": "koss.core.cache_backend.RedisFailOpen",
                "LOCATION": "redis://127.0.0.1:9/0",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        settings.KOSS_PAGE_CACHE_SECONDS = settings.KOSS_FRAGMENT_CACHE_SECONDS = 300

    def test_login(self, account):
        client = Client(raise_request_exception=False)
        response = client.post(
            reverse("account_login"), {"login": account.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert client.get(reverse("advisory_board:members")).status_code == 200

    def test_password_reset(self, account):
        response = Client(raise_request_exception=False).post(
            reverse("account_reset_password"), {"email": account.email}
        )
        assert response.status_code == 302
        assert len(mail.outbox) == 1

    def test_wrong_passwords_are_still_limited(self, account):
        client = Client(raise_request_exception=False)
        for _ in range(6):
            client.post(reverse("account_login"), {"login": account.email, "password": "falsch"})
        response = client.post(
            reverse("account_login"), {"login": account.email, "password": PASSWORD}
        )
        assert TOO_MANY in response.content.decode()

    def test_public_pages(self):
        assert Client(raise_request_exception=False).get("/partner/").status_code == 200
