"""The admin, allauth and the two-factor pages work under the Content-Security-Policy."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ..factories import current_totp_code, make_staff, make_user, restore_migration_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_set_up_two_factor_and_work_in_the_admin_under_the_csp(live_server, page, settings):
    from allauth.account.models import EmailAddress

    settings.KOSS_REQUIRE_STAFF_2FA = True
    settings.KOSS_BASE_URL = live_server.url
    restore_migration_data()
    staff = make_user("neu-redaktion@example.org", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)

    response = page.goto(f"{live_server.url}/verwaltung/")
    assert "script-src 'self'" in response.header_value("content-security-policy")
    page.fill("#id_login", staff.email)
    page.fill("#id_password", "correct-horse-battery")
    page.get_by_role("button", name="Anmelden").click()
    # A password alone does not set up a second factor: that takes a link sent by e-mail.
    expect(page.get_by_role("heading", name="Zweiten Faktor einrichten")).to_be_visible()
    page.get_by_role("link", name="Link per E-Mail anfordern").click()
    page.fill("#id_email", staff.email)
    page.locator("main form button[type=submit]").first.click()
    link = re.search(r"https?://\S+/konto/password/reset/key/\S+", mail.outbox[-1].body)[0]
    page.goto(link)
    page.fill("#id_password1", "ein-neues-langes-passwort")
    page.fill("#id_password2", "ein-neues-langes-passwort")
    page.get_by_role("button", name="Passwort speichern").click()
    # Logged in by the link, staff go straight on to their second factor.
    page.wait_for_url("**/konto/2fa/totp/activate/**")
    expect(page.locator("img[src^='data:image/svg+xml']")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()

    page.fill("#id_code", current_totp_code(secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/konto/2fa/recovery-codes/**")

    page.goto(f"{live_server.url}/verwaltung/partners/partner/add/")
    expect(page.get_by_role("heading", name="Partner hinzufügen")).to_be_visible()
    # Scripts of the admin run: the slug is filled in from the name.
    page.locator("#id_name").press_sequentially("Neue Kreisliga")
    expect(page.locator("#id_slug")).to_have_value("neue-kreisliga")
    page.goto(f"{live_server.url}/verwaltung/koss/page/")
    page.get_by_role("link", name="Impressum").click()
    expect(page.locator(".ProseMirror[contenteditable=true]")).to_be_visible()


def test_totp_code_works_only_once(live_server, browser):
    make_staff()
    code = current_totp_code()
    pages = []
    for _ in range(2):
        context = browser.new_context(locale="de-DE")
        pages.append(context.new_page())
    for number, page in enumerate(pages):
        page.goto(f"{live_server.url}/konto/login/")
        page.fill("#id_login", "redaktion@example.org")
        page.fill("#id_password", "correct-horse-battery")
        page.get_by_role("button", name="Anmelden").click()
        page.fill("#id_code", code)
        page.locator("#id_code").press("Enter")
        if number == 0:
            page.wait_for_url("**/verwaltung/")
        else:
            expect(page.locator(".errorlist, .field__errors").first).to_be_visible()
            assert "/konto/2fa/authenticate/" in page.url
    for page in pages:
        page.context.close()
