"""A written vote from start to ballot: staff start it in the admin at 1280 px, a member votes from
the mail's link on a phone (390 × 844), each counted in clicks."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from advisory_board.models import WrittenVote

from ..factories import make_board, make_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)

# The goals: staff start a vote in at most 5 clicks, a member votes from the mail in at most 2
# after the login.
MAX_STAFF_CLICKS = 5
MAX_MEMBER_CLICKS = 2


def test_staff_start_a_vote_and_a_member_votes_from_the_mail_on_a_phone(
    live_server, staff_page, phone_390_page
):
    board = make_board(is_current=True)
    member = make_user("mitglied@example.org", password="demo-koss-2014")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    make_member(board, member, first_name="Maria", last_name="Mitglied")
    make_member(board, make_user("kollege@example.org"), first_name="Karl", last_name="Kollege")

    # Staff, from the admin's start page.
    page, clicks = staff_page, 0
    # A busy machine (the suite runs beside other work) may take longer than the default.
    page.set_default_timeout(30_000)
    phone_390_page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/verwaltung/")
    page.locator("tr.model-writtenvote a.addlink").click()
    clicks += 1
    page.locator("#id_title").fill("Stellungnahme zum Landesprogramm")
    page.locator("#id_motion").fill("Der Beirat gibt die anliegende Stellungnahme ab.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.get_by_role("button", name="Sichern und Abstimmung starten").click()
    clicks += 1
    expect(page.locator(".messagelist")).to_contain_text("2 Mitglieder erhalten die E-Mail")
    vote = WrittenVote.objects.get()
    assert vote.is_started and vote.board == board
    print(f"staff start a vote: {clicks} clicks (and two texts typed)")
    assert clicks <= MAX_STAFF_CLICKS

    # The member opens the link of the mail on the phone and logs in.
    (invitation,) = [m for m in mail.outbox if m.to == ["mitglied@example.org"]]
    link = re.search(r"https?://\S+/umlaufbeschluesse/\d+/", invitation.body).group(0)
    phone = phone_390_page
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    phone.goto(live_server.url + path)
    phone.locator("#id_login").fill("mitglied@example.org")
    phone.locator("#id_password").fill("demo-koss-2014")
    phone.get_by_role("button", name="Anmelden").click()
    expect(phone.get_by_role("heading", name="Ihre Stimme")).to_be_visible()
    member_clicks = 0
    phone.get_by_label("Ja", exact=True).click()
    member_clicks += 1
    phone.get_by_role("button", name="Stimme abgeben").click()
    member_clicks += 1
    expect(phone.locator(".messages")).to_contain_text("Ihre Stimme „Ja“ ist gespeichert")
    expect(phone.get_by_text("mit „Ja“ abgestimmt")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    ballot = vote.current_ballots().get()
    assert (ballot.person.last_name, ballot.choice) == ("Mitglied", "ja")
    # The vote runs on: nobody sees a tally yet.
    expect(phone.get_by_text("Wer wie abgestimmt hat")).to_have_count(0)
    print(f"member votes from the mail: {member_clicks} clicks after the login")
    assert member_clicks <= MAX_MEMBER_CLICKS
