"""Passkeys in Chromium, with a virtual authenticator of the Chrome DevTools Protocol: register one,
log in with it alone or as the second factor after the password, remove it. The page fixture fails
each test on a Content-Security-Policy violation."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ..factories import make_board, make_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"
EMAIL = "mitglied@example.org"


@pytest.fixture
def member(db):
    user = make_user(EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    make_member(make_board(is_current=True), user, first_name="Maria", last_name="Mitglied")
    return user


@pytest.fixture
def authenticator(page):
    """A platform authenticator with user verification (fingerprint or PIN), always consenting."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    result = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield {"cdp": cdp, "id": result["authenticatorId"]}


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}: {results.generate_report()}"


def credentials(authenticator):
    return authenticator["cdp"].send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator["id"]}
    )["credentials"]


def log_in_with_password(page, live_server):
    page.goto(f"{live_server.url}/beirat/intern/")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()


def log_out(page, live_server):
    page.goto(f"{live_server.url}/konto/logout/")
    page.locator("main").get_by_role("button", name="Abmelden").click()
    page.wait_for_url(f"{live_server.url}/")


def add_passkey(page, live_server, name, passwordless):
    """From the two-factor page to a new passkey (the first one brings recovery codes)."""
    page.goto(f"{live_server.url}/konto/2fa/")
    page.locator("main a[href='/konto/2fa/webauthn/add/']").click()
    # allauth asks for the password once more before an authenticator is added.
    page.wait_for_url("**/konto/reauthenticate/**")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/konto/2fa/webauthn/add/")
    expect(page.get_by_role("heading", name="Passkey hinzufügen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Bezeichnung").fill(name)
    page.get_by_label("Auch ohne Passwort anmelden").set_checked(passwordless)
    page.get_by_role("button", name="Passkey erstellen").click()
    page.wait_for_url("**/konto/2fa/recovery-codes/")


def test_a_member_registers_a_passkey_and_logs_in_with_it_alone(
    live_server, page, member, authenticator
):
    log_in_with_password(page, live_server)
    page.wait_for_url("**/beirat/intern/")
    add_passkey(page, live_server, "Laptop", passwordless=True)
    expect(page.get_by_text("Der Passkey wurde hinzugefügt.")).to_be_visible()
    passkey = Authenticator.objects.get(user=member, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().name == "Laptop"
    assert passkey.wrap().is_passwordless is True
    assert Authenticator.objects.filter(user=member, type="recovery_codes").exists()
    [credential] = credentials(authenticator)
    assert credential["isResidentCredential"] is True

    log_out(page, live_server)
    page.goto(f"{live_server.url}/beirat/intern/")
    page.wait_for_url("**/konto/login/?next=/beirat/intern/")
    assert_accessible(page)
    page.get_by_role("button", name="Passkey verwenden").click()
    page.wait_for_url("**/beirat/intern/")
    expect(page.get_by_role("heading", name="Ihr Zugang")).to_be_visible()
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None


def test_a_member_with_a_passkey_passes_the_second_factor_with_it(
    live_server, page, member, authenticator
):
    log_in_with_password(page, live_server)
    page.wait_for_url("**/beirat/intern/")
    add_passkey(page, live_server, "Sicherheitsschlüssel", passwordless=False)
    assert not Authenticator.objects.get(type="webauthn").wrap().is_passwordless
    log_out(page, live_server)

    log_in_with_password(page, live_server)
    # The password alone is not enough any more: the second factor is asked for.
    page.wait_for_url("**/konto/2fa/authenticate/")
    page.locator("#mfa_webauthn_authenticate").click()
    page.wait_for_url("**/beirat/intern/")
    expect(page.get_by_role("heading", name="Ihr Zugang")).to_be_visible()


def test_a_member_renames_and_removes_a_passkey_which_then_no_longer_logs_in(
    live_server, page, member, authenticator
):
    log_in_with_password(page, live_server)
    page.wait_for_url("**/beirat/intern/")
    add_passkey(page, live_server, "Laptop", passwordless=True)

    page.goto(f"{live_server.url}/konto/2fa/webauthn/")
    expect(page.get_by_role("heading", name="Laptop")).to_be_visible()
    expect(page.get_by_text("Auch ohne Passwort", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Umbenennen").click()
    assert_accessible(page)
    page.get_by_label("Bezeichnung").fill("Dienstlaptop")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/konto/2fa/webauthn/")
    expect(page.get_by_role("heading", name="Dienstlaptop")).to_be_visible()

    page.get_by_role("link", name="Entfernen").click()
    expect(page.get_by_text("Möchten Sie den Passkey „Dienstlaptop“ entfernen?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Passkey entfernen").click()
    page.wait_for_url("**/konto/2fa/webauthn/")
    expect(page.get_by_text("Der Passkey wurde entfernt.")).to_be_visible()
    expect(page.get_by_text("Sie haben noch keinen Passkey hinzugefügt.")).to_be_visible()
    assert not Authenticator.objects.filter(user=member).exists()

    # The device still offers its passkey; the portal no longer accepts it.
    log_out(page, live_server)
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_role("button", name="Passkey verwenden").click()
    page.wait_for_url("**/konto/login/")
    expect(page.locator(".message--error")).to_be_visible()
    page.goto(f"{live_server.url}/beirat/intern/")
    page.wait_for_url("**/konto/login/?next=/beirat/intern/")


def test_the_login_page_says_so_when_the_device_has_no_passkey(live_server, page, authenticator):
    page.goto(f"{live_server.url}/konto/login/")
    error = page.get_by_role("alert").filter(has_text="Passkey")
    expect(error).to_be_hidden()
    page.get_by_role("button", name="Passkey verwenden").click()
    expect(error).to_be_visible()
    expect(error).to_contain_text("melden Sie sich mit Ihrem Passwort an")
    assert page.url == f"{live_server.url}/konto/login/"
