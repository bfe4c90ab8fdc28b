"""A new board member goes from the invitation mail to the members' area in one go."""

import re

import pytest
from django.core import mail
from django.test import RequestFactory
from playwright.sync_api import expect

from advisory_board.emails import invite_person
from advisory_board.models import Person

from ..factories import make_board, make_meeting, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*)\b", re.IGNORECASE)


@pytest.fixture
def invitation(live_server, settings):
    """The mail a new member receives when the Redaktion invites them."""
    settings.KOSS_BASE_URL = live_server.url
    board = make_board(is_current=True)
    make_meeting(board, number=9)
    person = Person.objects.create(first_name="Nora", last_name="Neu", email="nora@example.org")
    person.memberships.create(board=board, role="mitglied", starts_on="2014-10-06")
    request = RequestFactory().post("/verwaltung/")
    request.user = make_staff()
    invite_person(request, person)
    (message,) = mail.outbox
    return message


def read(page):
    text = page.locator("main").inner_text()
    assert not INFORMAL.search(text), text
    return text


def test_from_the_invitation_mail_to_the_members_area(live_server, page, invitation):
    link = re.search(r"http://\S+/konto/password/reset/key/\S+", invitation.body)[0]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Willkommen im KOSS-Portal – Passwort festlegen"
    )
    assert "nora@example.org" in read(page)

    # A mistake is explained, in German, and nothing typed is lost but the passwords.
    page.get_by_label("Neues Passwort", exact=True).fill("kurz")
    page.get_by_label("Neues Passwort (Wiederholung)").fill("kurz")
    page.get_by_role("button", name="Passwort speichern").click()
    expect(page.get_by_text("Dieses Passwort ist zu kurz.")).to_be_visible()
    read(page)

    page.get_by_label("Neues Passwort", exact=True).fill("ein-sicheres-passwort-2026")
    page.get_by_label("Neues Passwort (Wiederholung)").fill("ein-sicheres-passwort-2026")
    page.get_by_role("button", name="Passwort speichern").click()
    page.wait_for_url("**/beirat/intern/")
    welcome = page.get_by_role("region", name="Willkommen im KOSS-Portal")
    expect(welcome).to_be_visible()
    expect(welcome.get_by_text("9. Sitzung")).to_be_visible()
    expect(welcome.get_by_role("link", name="Zweiten Faktor einrichten")).to_be_visible()
    read(page)

    # The menu logs out with one click.
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()

    # The link is used up and says so, naming whom to ask.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dieser Link ist nicht mehr gültig")
    assert "koss@example.org" in read(page)
