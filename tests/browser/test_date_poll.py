"""Finding the next meeting's date: staff start a date poll at 1280 px, a member answers from
the mail on a phone (390 × 844), staff choose the date. Counted in clicks."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from advisory_board.models import AgendaItem, DatePoll, Meeting
from koss.models import Mail

from ..factories import make_board, make_meeting, make_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)

# Goals: staff start a poll in at most 5 clicks; a member answers after the login with one tap
# per date and one to save.
MAX_STAFF_CLICKS = 5


def test_staff_start_a_poll_a_member_answers_on_the_phone_staff_choose(
    live_server, staff_page, phone_390_page, settings
):
    settings.KOSS_BASE_URL = live_server.url
    board = make_board(is_current=True)
    member = make_user("mitglied@example.org")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    make_member(board, member, first_name="Maria", last_name="Mitglied")
    previous = make_meeting(
        board, number=8, days_ahead=-20, location="Erfurt, Thüringer Staatskanzlei"
    )
    AgendaItem.objects.create(meeting=previous, position=1, title="Begrüßung")

    # Staff: from the start page, the poll with its suggested title, deadline and two dates.
    page, clicks = staff_page, 0
    for tab in (page, phone_390_page):
        # The admin's first page compiles its templates: more than the usual 10 s on a busy machine.
        tab.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/verwaltung/")
    page.get_by_role("link", name="Terminabstimmung starten").click()
    clicks += 1
    expect(page.locator("#id_title")).to_have_value("Termin der 9. Sitzung")
    expect(page.locator("#id_options-1-starts_at_0")).not_to_have_value("")
    page.get_by_role("button", name="Sichern", exact=True).click()
    clicks += 1
    expect(page.locator(".messagelist")).to_contain_text("1 Mitglied wird per E-Mail gefragt")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    staff_clicks_to_start = clicks
    poll = DatePoll.objects.get()

    # The member opens the link of the mail on the phone, logs in and answers.
    mail = Mail.objects.get(recipient="mitglied@example.org")
    link = re.search(r"http://\S+/beirat/termine/\d+/", mail.body).group(0)
    phone = phone_390_page
    phone.goto(link)
    phone.fill("#id_login", "mitglied@example.org")
    phone.fill("#id_password", "correct-horse-battery")
    phone.get_by_role("button", name="Anmelden").click()
    expect(phone.get_by_role("heading", name="Termin der 9. Sitzung")).to_be_visible()
    taps = 0
    first, second = poll.options.all()
    phone.get_by_role("group", name=first.label).get_by_label("passt", exact=True).check()
    phone.get_by_role("group", name=second.label).get_by_label("passt nicht").check()
    taps += 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Antwort speichern").click()
    taps += 1
    expect(phone.get_by_text("Ihre Antwort zur Terminabstimmung ist gespeichert")).to_be_visible()
    # The members' area lists the poll as answered.
    phone.goto(f"{live_server.url}/beirat/intern/")
    expect(phone.locator("#polls-heading + ul")).to_contain_text("Sie haben geantwortet")

    # Staff see the answer in the table and choose the first date.
    page.reload()
    expect(page.locator(".poll-table tbody")).to_contain_text("Maria Mitglied")
    expect(page.locator(".poll-answer--passt")).to_have_count(1)
    page.get_by_role("button", name=f"{first.label} festlegen").click()
    clicks += 1
    expect(page.locator(".messagelist")).to_contain_text(f"Der Termin steht fest: {first.label}")
    meeting = Meeting.objects.get(board=board, number=9)
    assert meeting.starts_at == first.starts_at and not meeting.is_announced
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Begrüßung"]
    assert Mail.objects.filter(subject__contains="Der Termin steht fest").count() == 1

    # The member's link now names the date.
    phone.goto(link)
    expect(phone.get_by_text(f"Der Termin steht fest: {first.label}.")).to_be_visible()
    print(
        f"date poll: staff start it in {staff_clicks_to_start} clicks, choose the date in "
        f"{clicks - staff_clicks_to_start}; the member answers {len([first, second])} dates "
        f"in {taps} taps after the login"
    )
    assert staff_clicks_to_start <= MAX_STAFF_CLICKS
    assert taps == len([first, second]) + 1
