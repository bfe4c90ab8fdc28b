import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from ..factories import current_totp_code, make_staff, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def member(db):
    user = make_user("mitglied@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_login_by_email_lands_in_the_members_area(client, member):
    response = client.post(
        reverse("account_login"), {"login": "Mitglied@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("advisory_board:members")


def test_wrong_password_is_a_german_form_error(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "falsch"})
    assert response.status_code == 200
    assert "E-Mail-Adresse und/oder das Passwort" in response.content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example.org/", "//evil.example.org/", "http:\\\\evil.example.org"]
)
def test_login_never_redirects_to_another_host(client, member, target):
    response = client.post(
        f"{reverse('account_login')}?next={target}",
        {"login": member.email, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert "evil" not in response.url


def test_login_follows_a_local_next(client, member):
    response = client.post(
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD, "next": "/beirat/sitzungen/1/"},
    )
    assert response.url == "/beirat/sitzungen/1/"


def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "Keine Registrierung" in response.content.decode()
    client.post(
        reverse("account_signup"),
        {
            "email": "neu@example.org",
            "password1": "x-sicheres-pw-2026",
            "password2": "x-sicheres-pw-2026",
        },
    )
    assert not get_user_model().objects.filter(email="neu@example.org").exists()


def test_password_reset_mails_known_addresses_only(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    client.post(reverse("account_reset_password"), {"email": "unbekannt@example.org"})
    assert [message.to for message in mail.outbox] == [[member.email]]


class TestStaffTwoFactor:
    def test_staff_without_second_factor_are_sent_to_an_e_mail_link(self, client, settings):
        settings.KOSS_REQUIRE_STAFF_2FA = True
        client.force_login(make_user("redaktion@example.org", is_staff=True))
        response = client.get("/verwaltung/")
        assert response.status_code == 403
        assert reverse("account_reset_password") in response.content.decode()

    def test_staff_with_totp_reach_the_admin_after_the_code(self, client, settings):
        settings.KOSS_REQUIRE_STAFF_2FA = True
        staff = make_staff()
        client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
        assert client.get("/verwaltung/").status_code == 200

    def test_setting_off_lets_staff_in_without(self, client, settings):
        settings.KOSS_REQUIRE_STAFF_2FA = False
        client.force_login(make_user("redaktion@example.org", is_staff=True))
        assert client.get("/verwaltung/").status_code == 200

    def test_admin_login_goes_through_allauth(self, client):
        response = client.get("/verwaltung/login/?next=/verwaltung/")
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))

    def test_members_are_refused_by_the_admin(self, client, member):
        client.force_login(member)
        assert client.get("/verwaltung/login/").status_code == 403


def test_passwords_need_twelve_characters(client, member):
    client.force_login(member)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "kurz-123", "password2": "kurz-123"},
    )
    assert response.status_code == 200
    assert "mindestens 12 Zeichen" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_failed_logins_count_against_one_limit_whatever_the_host(client, member, settings):
    """Instances behind other host names (or a forged allowed Host) share the limit per address."""
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    answers = []
    for host in ["testserver", "localhost", "127.0.0.1"] * 2:
        response = client.post(
            reverse("account_login"), {"login": member.email, "password": "falsch"}, HTTP_HOST=host
        )
        answers.append("Zu viele" in response.content.decode())
    assert answers == [False] * 5 + [True]
