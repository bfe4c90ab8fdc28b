"""Account pages and mails speak the portal's formal German and name its public address."""

import re
import subprocess
from html.parser import HTMLParser

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from ..factories import current_totp_code, login_as, make_user
from .conftest import VISITORS

pytestmark = pytest.mark.django_db

PUBLIC_ADDRESS = "https://koss.example.org"
INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b", re.IGNORECASE)
# Words of allauth's English that would show if a message had no German.
ENGLISH = re.compile(
    r"\b(the|your|you|please|sign in|sign out|click|account|change|remove|cancel|"
    r"confirm|continue|password|email address|hello|thank)\b",
    re.IGNORECASE,
)

# Pages for a logged-in person, and what they are about.
MANAGE_PAGES = {
    "/konto/email/": "E-Mail-Adresse",
    "/konto/password/change/": "Passwort ändern",
    "/konto/2fa/": "Zwei-Faktor-Authentifizierung",
    "/konto/logout/": "Abmelden",
    "/konto/reauthenticate/": "Zugriff bestätigen",
}
ENTRANCE_PAGES = {
    "/konto/login/": "Anmelden",
    "/konto/password/reset/": "Passwort vergessen",
    "/konto/password/reset/done/": "E-Mail",
    "/konto/password/reset/key/1-abc/": "nicht mehr gültig",
    "/konto/password/reset/key/done/": "Passwort gespeichert",
    "/konto/signup/": "Keine Registrierung",
}


class VisibleText(HTMLParser):
    """The text a reader sees: no script, style, or attribute values."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(response):
    parser = VisibleText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def assert_formal_german(text, where):
    text = re.sub(r"\S+://\S+", "", text)  # the words of an address are not read
    assert not INFORMAL.search(text), f"{where}: informal address in {text!r}"
    assert not ENGLISH.search(text), f"{where}: English in {text!r}"


def client_for(client, world, visitor):
    if visitor != "anonymous":
        login_as(client, world["users"][visitor])
    return client


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("path", MANAGE_PAGES)
def test_account_pages_are_for_logged_in_people_in_formal_german(client, world, visitor, path):
    response = client_for(client, world, visitor).get(path)
    if visitor == "anonymous":
        assert response.status_code == 302
        # Nobody to log out: the home page; every other page asks for the login first.
        expected = "/" if path == "/konto/logout/" else reverse("account_login")
        assert response.url.split("?")[0] == expected
        return
    assert response.status_code == 200
    text = visible_text(response)
    assert MANAGE_PAGES[path] in text
    assert_formal_german(text, path)


@pytest.mark.parametrize("path", ENTRANCE_PAGES)
def test_entrance_pages_speak_formal_german(client, world, path):
    response = client.get(path)
    assert response.status_code == 200
    text = visible_text(response)
    assert ENTRANCE_PAGES[path] in text
    assert_formal_german(text, path)


def test_the_password_reset_journey_speaks_formal_german(client, world):
    member = world["users"]["member"]
    response = client.post(reverse("account_reset_password"), {"email": member.email}, follow=True)
    assert_formal_german(visible_text(response), "reset done")
    link = re.search(r"\S+/konto/password/reset/key/\S+", mail.outbox[0].body)[0]
    response = client.get(link, follow=True)
    text = visible_text(response)
    assert "Neues Passwort festlegen" in text and member.email in text
    assert_formal_german(text, "reset form")
    response = client.post(
        response.redirect_chain[-1][0],
        {"password1": "kurz", "password2": "anders"},
    )
    assert response.status_code == 200
    assert_formal_german(visible_text(response), "reset form with errors")
    response = client.post(
        response.wsgi_request.path,
        {"password1": "ein-neues-langes-passwort", "password2": "ein-neues-langes-passwort"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("advisory_board:members")
    assert_formal_german(visible_text(response), "after the reset")


class TestMails:
    """Every mail an account can receive: rendered as sent, from a request on an internal host."""

    PREFIXES = [
        "account/email/password_reset_key",
        "account/email/password_changed",
        "account/email/password_reset",
        "account/email/password_set",
        "account/email/email_confirmation",
        "account/email/email_confirmation_signup",
        "account/email/email_changed",
        "account/email/email_deleted",
        "account/email/unknown_account",
        "account/email/account_already_exists",
        "account/email/login_code",
        "account/email/password_reset_code",
        "mfa/email/totp_activated",
        "mfa/email/totp_deactivated",
        "mfa/email/recovery_codes_generated",
        "mfa/email/webauthn_added",
        "mfa/email/webauthn_removed",
    ]

    @pytest.fixture
    def sent(self, settings, world):
        settings.KOSS_BASE_URL = PUBLIC_ADDRESS
        request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8831")
        request.user = world["users"]["member"]
        request.session = {}

        def send(prefix):
            mail.outbox.clear()
            context = {
                "user": request.user,
                "password_reset_url": f"{PUBLIC_ADDRESS}/konto/password/reset/key/x-y/",
                "activate_url": f"{PUBLIC_ADDRESS}/konto/confirm-email/k/",
                "signup_url": f"{PUBLIC_ADDRESS}/konto/signup/",
                "password_reset_url_for_known": f"{PUBLIC_ADDRESS}/konto/password/reset/",
                "code": "ABC123",
                "ip": "192.0.2.1",
                "user_agent": "Firefox",
                "timestamp": "2. Dezember 2026, 10:00",
                "from_email": "alt@example.org",
                "to_email": "neu@example.org",
                "deleted_email": "alt@example.org",
                "email": request.user.email,
            }
            with request_context(request):
                get_adapter(request).send_mail(prefix, request.user.email, context)
            (message,) = mail.outbox
            return message

        return send

    @pytest.mark.parametrize("prefix", PREFIXES)
    def test_each_account_mail_is_formal_german_and_names_the_portal(self, sent, prefix):
        message = sent(prefix)
        text = f"{message.subject}\n{message.body}"
        assert_formal_german(text, prefix)
        assert "127.0.0.1" not in text and "8831" not in text
        assert message.subject.startswith("[KOSS-Portal] ")
        assert "KOSS-Portal" in message.body and PUBLIC_ADDRESS in message.body
        assert "registr" not in text.lower() or prefix.endswith(
            ("_signup", "account_already_exists", "unknown_account")
        )

    def test_the_reset_mail_links_to_the_public_address(self, client, world, settings):
        settings.KOSS_BASE_URL = PUBLIC_ADDRESS
        client.post(
            reverse("account_reset_password"),
            {"email": world["users"]["member"].email},
            HTTP_HOST="localhost",
        )
        (message,) = mail.outbox
        assert f"{PUBLIC_ADDRESS}/konto/password/reset/key/" in message.body
        assert "localhost" not in message.body and "testserver" not in message.body
        assert_formal_german(message.subject + message.body, "reset mail")


class TestInvitation:
    @pytest.fixture
    def invited(self, client, world, settings, django_capture_on_commit_callbacks):
        settings.KOSS_BASE_URL = PUBLIC_ADDRESS
        staff = world["users"]["staff"]
        staff.first_name, staff.last_name = "Rita", "Redaktion"
        staff.save()
        person = world["people"]["member"]
        person.user = None
        person.email = "neu@example.org"
        person.save()
        login_as(client, staff)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/verwaltung/advisory_board/person/",
                {"action": "send_invitation", "_selected_action": [person.pk]},
            )
        client.logout()
        (message,) = mail.outbox
        return message

    def test_the_mail_says_who_invites_to_which_board(self, invited, world):
        assert invited.to == ["neu@example.org"]
        assert "Rita Redaktion" in invited.body
        assert f"„{world['board'].name}“" in invited.body
        assert f"{PUBLIC_ADDRESS}/konto/password/reset/key/" in invited.body
        assert "testserver" not in invited.body
        assert_formal_german(invited.subject + invited.body, "invitation")

    def test_the_link_welcomes_logs_in_and_lands_in_the_members_area(self, client, invited):
        link = re.search(rf"{PUBLIC_ADDRESS}(\S+)", invited.body)[1]
        response = client.get(link, follow=True)
        text = visible_text(response)
        assert "Willkommen im KOSS-Portal – Passwort festlegen" in text
        assert "neu@example.org" in text
        assert_formal_german(text, "invitation form")

        response = client.post(
            response.redirect_chain[-1][0],
            {"password1": "ein-sicheres-passwort-2026", "password2": "ein-sicheres-passwort-2026"},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == reverse("advisory_board:members")
        text = visible_text(response)
        assert "Willkommen im KOSS-Portal" in text
        assert "Nächste Sitzung" in text and "Zweiten Faktor einrichten" in text
        assert_formal_german(text, "members' area, first visit")
        # The welcome is for the first visit.
        assert "Willkommen im KOSS-Portal" not in visible_text(
            client.get(reverse("advisory_board:members"))
        )

    def test_a_used_link_explains_itself_and_names_whom_to_ask(self, client, invited, settings):
        link = re.search(rf"{PUBLIC_ADDRESS}(\S+)", invited.body)[1]
        response = client.get(link, follow=True)
        client.post(
            response.redirect_chain[-1][0],
            {"password1": "ein-sicheres-passwort-2026", "password2": "ein-sicheres-passwort-2026"},
        )
        client.logout()
        text = visible_text(client.get(link, follow=True))
        assert "Dieser Link ist nicht mehr gültig" in text
        assert settings.KOSS_CONTACT_EMAIL in text
        assert_formal_german(text, "used link")


class TestEmailAddresses:
    @pytest.mark.parametrize("visitor", ["member", "former_member", "other_board_member", "staff"])
    def test_people_see_their_address_and_whom_to_ask(self, client, world, visitor, settings):
        text = visible_text(client_for(client, world, visitor).get("/konto/email/"))
        assert world["users"][visitor].email in text
        assert settings.KOSS_CONTACT_EMAIL in text

    def test_nobody_adds_an_address_and_no_mail_is_sent(self, client, world):
        user = world["users"]["member"]
        login_as(client, user)
        response = client.post(
            "/konto/email/", {"action_add": "", "email": "redaktion@example.org"}
        )
        assert response.status_code == 405
        assert user.emailaddress_set.count() == 1
        assert mail.outbox == []


class TestLogout:
    def test_the_menu_logs_out_with_one_click(self, client, world):
        login_as(client, world["users"]["member"])
        page = client.get("/").content.decode()
        form = re.search(r'<form method="post" action="/konto/logout/">.*?</form>', page, re.S)
        assert form and "csrfmiddlewaretoken" in form[0] and "Abmelden" in form[0]
        response = client.post("/konto/logout/", follow=True)
        assert not response.wsgi_request.user.is_authenticated
        assert_formal_german(visible_text(response), "after logout")

    def test_a_link_to_log_out_asks_first(self, client, world):
        login_as(client, world["users"]["member"])
        response = client.get("/konto/logout/")
        assert response.status_code == 200
        assert "Möchten Sie sich" in visible_text(response)
        assert get_user_model().objects.filter(pk=client.session["_auth_user_id"]).exists()


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogue_is_the_one_written(tmp_path, domain):
    """The .mo shipped with the portal is compiled from the .po under review (the Python and
    template catalogue, and the JavaScript one)."""
    catalogue = settings.BASE_DIR / "locale" / "de" / "LC_MESSAGES"
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run(["msgfmt", "--check", "-o", compiled, catalogue / f"{domain}.po"], check=True)
    assert compiled.read_bytes() == (catalogue / f"{domain}.mo").read_bytes()


@pytest.mark.django_db(transaction=True)
def test_new_staff_set_up_the_second_factor_in_formal_german(client, settings):
    """From the link by e-mail through the authenticator app to the recovery codes."""
    settings.KOSS_REQUIRE_STAFF_2FA = True
    user = make_user("neu@example.org", is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"\S+/konto/password/reset/key/\S+", mail.outbox[0].body)[0]
    response = client.get(link, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"password1": "ein-neues-langes-passwort", "password2": "ein-neues-langes-passwort"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    text = visible_text(response)
    assert "Authenticator-App" in text
    assert_formal_german(text, "TOTP activation")
    secret = response.context["form"].secret
    response = client.post(
        reverse("mfa_activate_totp"), {"code": current_totp_code(secret)}, follow=True
    )
    assert user.authenticator_set.filter(type="totp").exists()
    assert_formal_german(visible_text(response), "after activation")
    for path in (reverse("mfa_index"), reverse("mfa_view_recovery_codes")):
        response = client.get(path, follow=True)
        assert response.status_code == 200
        assert_formal_german(visible_text(response), path)
