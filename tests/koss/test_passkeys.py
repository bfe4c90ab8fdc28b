"""Passkeys (allauth's WebAuthn) at the level of requests: who reaches which page, and a passkey as
the second factor of the staff rule (koss.accounts).

The requests go to the host "localhost", with a software passkey answering for the browser:
WebAuthn accepts https origins and http://localhost only.
"""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from django.urls import reverse
from fido2.utils import websafe_encode

from koss.accounts import SECOND_FACTOR_SESSION_KEY

from ..factories import (
    TOTP_SECRET,
    current_totp_code,
    make_article,
    make_board,
    make_member,
    make_staff,
    make_user,
)
from ..webauthn import SoftPasskey, make_passkey

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LIST = "/konto/2fa/webauthn/"
ADD = "/konto/2fa/webauthn/add/"
LOGIN = "/konto/2fa/webauthn/login/"


@pytest.fixture(autouse=True)
def on_localhost(settings, client):
    settings.KOSS_REQUIRE_STAFF_2FA = True
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    client.defaults["HTTP_HOST"] = "localhost"


def account(email, **fields):
    user = make_user(email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def people(db):
    board = make_board(is_current=True)
    other_board = make_board("Fachbeirat Pflege")
    people = {
        "member": account("mitglied@example.org"),
        "former_member": account("ehemalig@example.org"),
        "other_board_member": account("anderer-beirat@example.org"),
    }
    make_member(board, people["member"])
    make_member(board, people["former_member"], ends_on=datetime.date(2016, 10, 5))
    make_member(other_board, people["other_board_member"])
    return people


def confirm_password(client):
    """allauth asks for the password once more before authenticators are added or removed."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def js_data(response):
    return response.context["js_data"]


def add_passkey(client, name="Laptop", passwordless=True):
    """Add a passkey through the page, as the browser does; returns the software passkey."""
    passkey = SoftPasskey()
    page = client.get(ADD)
    assert page.status_code == 200
    credential = passkey.create(js_data(page)["creation_options"])
    data = {"name": name, "credential": json.dumps(credential)}
    if passwordless:
        data["passwordless"] = "on"
    response = client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()
    return passkey, response


def log_in_with_passkey_alone(client, passkey, **extra):
    options = client.get(LOGIN, HTTP_ACCEPT="application/json").json()["request_options"]
    credential = passkey.get(options, **extra)
    return client.post(LOGIN, {"credential": json.dumps(credential)})


def log_in_with_password_and_passkey(client, user, passkey):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    page = client.get(reverse("mfa_authenticate"))
    credential = passkey.get(js_data(page)["request_options"])
    return client.post(reverse("mfa_authenticate"), {"credential": json.dumps(credential)})


def session_passed_second_factor(client, user):
    return client.session.get(SECOND_FACTOR_SESSION_KEY) == str(user.pk)


class TestAnonymousVisitors:
    @pytest.mark.parametrize("path", [LIST, ADD, "/konto/2fa/webauthn/keys/1/remove/"])
    def test_are_sent_to_the_login(self, client, path):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(f"{reverse('account_login')}?next=")

    def test_see_the_passkey_login_but_cannot_sign_up_with_one(self, client):
        page = client.get(reverse("account_login")).content.decode()
        assert 'id="passkey_login"' in page
        assert f'action="{LOGIN}"' in page
        assert client.get("/konto/2fa/webauthn/signup/").status_code == 404

    def test_a_get_of_the_passkey_login_without_script_leads_to_the_form(self, client):
        assert client.get(LOGIN).url == reverse("account_login")


@pytest.mark.parametrize("who", ["member", "former_member", "other_board_member"])
class TestPeopleWithAnAccount:
    """Everyone with an account manages their own passkeys, whatever their membership."""

    def test_add_a_passkey_after_the_password(self, client, people, who):
        user = people[who]
        client.force_login(user)
        assert client.get(ADD).url.startswith(reverse("account_reauthenticate"))
        confirm_password(client)
        _, response = add_passkey(client, "Laptop")
        # The first passkey brings recovery codes, as a first TOTP does.
        assert response.url == reverse("mfa_view_recovery_codes")
        passkey = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
        assert passkey.wrap().name == "Laptop"
        assert passkey.wrap().is_passwordless is True
        assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()
        assert session_passed_second_factor(client, user)

    def test_see_and_remove_their_own_passkeys_only(self, client, people, who):
        user = people[who]
        mine = make_passkey(user, "Mein Laptop").authenticator
        others = [
            make_passkey(other, f"Passkey von {key}").authenticator
            for key, other in people.items()
            if other != user
        ]
        client.force_login(user)
        page = client.get(LIST)
        assert page.status_code == 200
        content = page.content.decode()
        assert "Mein Laptop" in content
        assert "Passkey von" not in content
        confirm_password(client)
        for other in others:
            for action in ("remove", "edit"):
                url = reverse(f"mfa_{action}_webauthn", args=[other.pk])
                assert client.get(url).status_code == 404
                assert client.post(url, {"name": "Übernommen"}).status_code == 404
        remove = reverse("mfa_remove_webauthn", args=[mine.pk])
        assert "„Mein Laptop“" in client.get(remove).content.decode()
        assert client.post(remove).url == LIST
        assert not Authenticator.objects.filter(pk=mine.pk).exists()
        assert all(Authenticator.objects.filter(pk=other.pk).exists() for other in others)

    def test_log_in_with_the_passkey_alone(self, client, people, who):
        user = people[who]
        passkey = make_passkey(user)
        response = log_in_with_passkey_alone(client, passkey)
        assert response.status_code == 302
        assert response.url == reverse("advisory_board:members")
        assert int(client.session["_auth_user_id"]) == user.pk
        page = client.get(reverse("advisory_board:members")).content.decode()
        if who == "former_member":
            assert "Ihre Mitgliedschaft im Beirat ist beendet" in page
        else:
            assert "Ihre Mitgliedschaft im Beirat ist beendet" not in page

    def test_the_password_then_asks_for_the_passkey(self, client, people, who):
        user = people[who]
        passkey = make_passkey(user)
        response = log_in_with_password_and_passkey(client, user, passkey)
        assert response.url == reverse("advisory_board:members")
        assert int(client.session["_auth_user_id"]) == user.pk


def test_the_second_factor_holds_while_a_passkey_is_left(client, people):
    user = people["member"]
    laptop, phone = make_passkey(user, "Laptop"), make_passkey(user, "Smartphone")
    log_in_with_password_and_passkey(client, user, laptop)
    confirm_password(client)
    client.post(reverse("mfa_remove_webauthn", args=[laptop.authenticator.pk]))
    assert session_passed_second_factor(client, user)
    client.post(reverse("mfa_remove_webauthn", args=[phone.authenticator.pk]))
    assert not session_passed_second_factor(client, user)
    assert not Authenticator.objects.filter(user=user).exists()


def test_a_passkey_cannot_log_in_as_someone_else(client, people):
    """The login without a password takes the account from the answer; another account's handle
    with one's own key does not get in."""
    passkey = make_passkey(people["member"])
    victim = people["other_board_member"]
    make_passkey(victim)
    victim_handle = websafe_encode(user_pk_to_url_str(victim).encode())
    response = log_in_with_passkey_alone(client, passkey, user_handle=victim_handle)
    assert "_auth_user_id" not in client.session
    assert response.url == reverse("account_login")


class TestStaff:
    def test_a_password_alone_cannot_add_a_first_passkey(self, client):
        staff = account("neu@example.org", is_staff=True)
        client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
        response = client.get(ADD)
        assert response.status_code == 403
        assert "Link per E-Mail" in response.content.decode()
        assert client.post(ADD, {"name": "Fremd", "credential": "{}"}).status_code == 403
        assert not staff.authenticator_set.exists()

    def test_a_session_from_an_e_mail_link_adds_a_first_passkey_and_then_a_totp(self, client):
        from koss.accounts import EMAIL_LINK_SESSION_KEY

        staff = account("neu@example.org", is_staff=True)
        client.force_login(staff)
        session = client.session
        session[EMAIL_LINK_SESSION_KEY] = str(staff.pk)
        session.save()
        confirm_password(client)
        add_passkey(client, "Dienstlaptop")
        assert staff.authenticator_set.filter(type="webauthn").exists()
        assert session_passed_second_factor(client, staff)
        # Staff keep a TOTP: the admin sends them to set one up first.
        assert client.get("/verwaltung/").url == reverse("mfa_activate_totp")
        assert client.get(reverse("mfa_activate_totp")).status_code == 200

    def test_staff_with_a_totp_confirm_it_before_adding_a_passkey(self, client):
        staff = make_staff()
        client.force_login(staff)  # the password only
        response = client.get(ADD)
        assert response.url == f"{reverse('mfa_reauthenticate')}?next={ADD.replace('/', '%2F')}"
        client.post(response.url, {"code": current_totp_code(TOTP_SECRET)})
        assert session_passed_second_factor(client, staff)
        add_passkey(client, "Dienstlaptop")
        assert staff.authenticator_set.filter(type="webauthn").exists()

    def test_staff_with_a_passkey_only_confirm_it_before_the_admin(self, client):
        staff = account("neu@example.org", is_staff=True)
        passkey = make_passkey(staff)
        client.force_login(staff)  # the password only
        response = client.get("/verwaltung/")
        assert response.url.startswith(reverse("mfa_reauthenticate_webauthn"))
        page = client.get(response.url)
        credential = passkey.get(js_data(page)["request_options"])
        client.post(
            reverse("mfa_reauthenticate_webauthn"),
            {"credential": json.dumps(credential), "next": "/verwaltung/"},
        )
        assert session_passed_second_factor(client, staff)
        assert client.get("/verwaltung/").url == reverse("mfa_activate_totp")

    def test_a_passkey_after_the_password_gives_staff_rights(self, client):
        staff = make_staff()
        passkey = make_passkey(staff)
        draft = make_article("Entwurf der Redaktion", status="entwurf")
        response = log_in_with_password_and_passkey(client, staff, passkey)
        assert response.url == reverse("admin:index")
        assert session_passed_second_factor(client, staff)
        assert client.get("/verwaltung/").status_code == 200
        assert client.get(draft.get_absolute_url()).status_code == 200

    def test_a_passkey_alone_gives_staff_rights(self, client):
        staff = make_staff()
        passkey = make_passkey(staff)
        response = log_in_with_passkey_alone(client, passkey)
        assert response.url == reverse("admin:index")
        assert client.get("/verwaltung/").status_code == 200

    def test_removing_a_passkey_keeps_the_second_factor_of_the_totp(self, client):
        staff = make_staff()
        passkey = make_passkey(staff)
        log_in_with_password_and_passkey(client, staff, passkey)
        confirm_password(client)
        client.post(reverse("mfa_remove_webauthn", args=[passkey.authenticator.pk]))
        assert not staff.authenticator_set.filter(type="webauthn").exists()
        assert client.get("/verwaltung/").status_code == 200

    def test_a_password_alone_still_gives_no_staff_rights(self, client):
        staff = make_staff()
        make_passkey(staff)
        draft = make_article("Entwurf der Redaktion", status="entwurf")
        client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get("/verwaltung/").status_code == 302


class TestSignatureCounter:
    """A passkey's counter grows with every use; a lower or repeated one means a copied key."""

    def test_a_repeated_counter_is_refused(self, client, people):
        user = people["member"]
        passkey = make_passkey(user)
        assert log_in_with_passkey_alone(client, passkey).status_code == 302
        client.logout()
        passkey.counter -= 1  # the next assertion repeats the counter of the last one
        response = log_in_with_passkey_alone(client, passkey)
        assert response.url == reverse("account_login")
        assert "_auth_user_id" not in client.session

    def test_a_lower_counter_is_refused(self, client, people):
        user = people["member"]
        passkey = make_passkey(user)
        passkey.counter = 9
        assert log_in_with_passkey_alone(client, passkey).status_code == 302
        client.logout()
        passkey.counter = 3
        assert log_in_with_passkey_alone(client, passkey).url == reverse("account_login")
        assert "_auth_user_id" not in client.session
        client.logout()
        passkey.counter = 10
        assert log_in_with_passkey_alone(client, passkey).status_code == 302

    def test_a_repeated_counter_is_refused_after_the_password_too(self, client, people):
        user = people["member"]
        passkey = make_passkey(user)
        assert log_in_with_password_and_passkey(client, user, passkey).status_code == 302
        client.logout()
        passkey.counter -= 1
        response = log_in_with_password_and_passkey(client, user, passkey)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_a_passkey_that_always_sends_zero_keeps_working(self, client, people):
        user = people["member"]
        passkey = make_passkey(user)
        for _ in range(3):
            passkey.counter = -1  # get() counts up to 0 before it signs
            assert log_in_with_passkey_alone(client, passkey).status_code == 302
            client.logout()
