"""Between the meetings: the date poll (staff start it, members answer, staff choose the date),
the reminders (from the meeting, automatically before it) and the read status for staff."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from advisory_board.models import (
    AgendaItem,
    DatePoll,
    DatePollAnswer,
    DatePollOption,
    DownloadLog,
    Meeting,
    Reminder,
    Reply,
)
from advisory_board.poll_emails import send_due_reply_reminders
from koss.models import Mail

from ..factories import make_document, make_meeting, make_member, make_user
from .conftest import VISITORS

pytestmark = pytest.mark.django_db

FITS, IF_NEEDED, NO = "passt", "notfalls", "passt-nicht"


def make_poll(board, dates=2, days_to_answer=14, **fields):
    fields.setdefault("title", "Termin der 6. Sitzung")
    poll = DatePoll.objects.create(
        board=board,
        answer_until=timezone.localdate() + datetime.timedelta(days=days_to_answer),
        **fields,
    )
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=60)
    for n in range(dates):
        DatePollOption.objects.create(poll=poll, starts_at=start + datetime.timedelta(weeks=n))
    return poll


def answers(poll, *values):
    return {
        f"termin-{option.pk}": value
        for option, value in zip(poll.options.all(), values, strict=True)
    }


@pytest.fixture
def poll(world):
    return make_poll(world["board"])


def staff_without_second_factor(client, world, settings):
    settings.KOSS_REQUIRE_STAFF_2FA = True
    client.force_login(world["users"]["staff"])
    return client


# --- The access matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS)
def test_poll_page_follows_the_access_matrix(login, world, poll, visitor):
    response = login(visitor).get(poll.get_absolute_url())
    if visitor == "anonymous":
        assert (response.status_code, response.url) == (
            302,
            f"/konto/login/?next={poll.get_absolute_url()}",
        )
    elif visitor in ("former_member", "other_board_member"):
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        content = response.content.decode()
        assert "Termin der 6. Sitzung" in content
        # Members answer; staff see the dates and go on to the table.
        assert ('name="termin-' in content) == (visitor == "member")
        assert ("Zur Auswertung in der Verwaltung" in content) == (visitor == "staff")
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("visitor", ["anonymous", "former_member", "other_board_member", "staff"])
def test_only_members_of_the_board_answer(login, world, poll, visitor):
    client = login(visitor)
    response = client.post(poll.get_absolute_url(), answers(poll, FITS, FITS))
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response.url.startswith("/konto/login/")
    assert not DatePollAnswer.objects.exists()


def test_staff_without_the_second_factor_are_asked_for_it(client, world, poll, settings):
    client = staff_without_second_factor(client, world, settings)
    response = client.get(poll.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_reauthenticate"))


def staff_pages(world, poll):
    meeting = world["meeting"]
    return {
        "results": ("get", reverse("admin:advisory_board_datepoll_results", args=[poll.pk])),
        "add": ("get", reverse("admin:advisory_board_datepoll_add")),
        "choose": ("post", reverse("admin:advisory_board_datepoll_choose", args=[poll.pk])),
        "read_status": (
            "get",
            reverse("admin:advisory_board_meeting_read_status", args=[meeting.pk]),
        ),
        "remind_invitation": (
            "post",
            reverse("admin:advisory_board_meeting_remind_invitation", args=[meeting.pk]),
        ),
    }


@pytest.mark.parametrize("visitor", ["anonymous", "member", "former_member", "other_board_member"])
def test_staff_pages_are_closed_to_everyone_else(login, world, poll, visitor):
    """Members never see others' answers or reading: every page of it is the back office's."""
    client = login(visitor)
    DownloadLog.objects.record([world["documents"]["members"]], world["users"]["member"])
    for name, (method, url) in staff_pages(world, poll).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert response.url.startswith("/verwaltung/login/"), name
    assert not Meeting.objects.filter(date_poll=poll).exists()
    assert not Mail.objects.exists()


def test_staff_pages_ask_staff_without_the_second_factor_for_it(client, world, poll, settings):
    client = staff_without_second_factor(client, world, settings)
    for name, (method, url) in staff_pages(world, poll).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert "/konto/" in response.url, name
    assert not Mail.objects.exists()


def test_staff_see_the_pages(login, world, poll):
    client = login("staff")
    for name, (method, url) in staff_pages(world, poll).items():
        if method == "get":
            assert client.get(url).status_code == 200, name


# --- Members answer --------------------------------------------------------------------------------


def test_member_answers_every_date_on_one_page_and_changes_it(login, world, poll):
    client = login("member")
    response = client.post(poll.get_absolute_url(), answers(poll, FITS, IF_NEEDED))
    assert response.status_code == 302 and response.url == poll.get_absolute_url()
    person = world["people"]["member"]
    assert sorted(poll.answers_of(person).values()) == [IF_NEEDED, FITS]
    client.post(poll.get_absolute_url(), answers(poll, NO, NO))
    assert list(poll.answers_of(person).values()) == [NO, NO]
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Ihre Antwort zur Terminabstimmung ist gespeichert" in page
    assert page.count("checked") == 2


def test_a_missing_or_unknown_answer_is_refused_and_the_rest_kept(login, world, poll):
    client = login("member")
    data = answers(poll, FITS, "vielleicht")
    response = client.post(poll.get_absolute_url(), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Bitte beantworten Sie jeden Termin." in content
    assert content.count("checked") == 1  # what was given stays chosen
    assert not DatePollAnswer.objects.exists()


def test_answers_close_after_the_last_day(login, world, poll):
    last_day = timezone.make_aware(
        datetime.datetime.combine(poll.answer_until, datetime.time(23, 59))
    )
    with time_machine.travel(last_day, tick=False):
        client = login("member")
        assert client.post(poll.get_absolute_url(), answers(poll, FITS, FITS)).status_code == 302
    with time_machine.travel(last_day + datetime.timedelta(minutes=2), tick=False):
        client = login("member")
        response = client.post(poll.get_absolute_url(), answers(poll, NO, NO))
        assert response.status_code == 400
        assert "Die Abstimmung endete am" in response.content.decode()
        assert "Offene Terminabstimmungen" not in client.get("/beirat/intern/").content.decode()
    assert list(poll.answers_of(world["people"]["member"]).values()) == [FITS, FITS]


def test_members_area_shows_open_polls_first_with_their_deadline(login, world, poll):
    make_poll(world["board"], title="Termin der 7. Sitzung", days_to_answer=3)
    decided = make_poll(world["board"], title="Längst entschieden")
    decided.choose(decided.options.first())
    make_poll(world["other_meeting"].board, title="Fremder Beirat")
    content = login("member").get("/beirat/intern/").content.decode()
    polls = content.index("Offene Terminabstimmungen")
    assert polls < content.index('id="next-heading"')
    assert content.index("Termin der 7. Sitzung") < content.index("Termin der 6. Sitzung")
    assert "noch nicht beantwortet" in content
    deadline = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%-d.")
    assert f"antworten bis {deadline}" in content
    assert "Längst entschieden" not in content and "Fremder Beirat" not in content


@pytest.mark.parametrize("visitor", ["former_member", "other_board_member", "staff"])
def test_members_area_shows_polls_of_the_own_board_only(login, world, poll, visitor):
    assert "Termin der 6. Sitzung" not in login(visitor).get("/beirat/intern/").content.decode()


# --- Staff start a poll and choose the date ------------------------------------------------------


def poll_form(board, starts, **changes):
    data = {
        "board": board.pk,
        "title": "Termin der 6. Sitzung",
        "note": "",
        "answer_until": (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d.%m.%Y"),
        "options-TOTAL_FORMS": str(len(starts)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "2",
        "options-MAX_NUM_FORMS": "6",
    }
    for n, start in enumerate(starts):
        local = timezone.localtime(start)
        data[f"options-{n}-starts_at_0"] = local.strftime("%d.%m.%Y")
        data[f"options-{n}-starts_at_1"] = local.strftime("%H:%M:%S")
    return {**data, **changes}


def test_the_add_form_suggests_the_next_meeting(login, world):
    response = login("staff").get(reverse("admin:advisory_board_datepoll_add"))
    content = response.content.decode()
    assert 'value="Termin der 6. Sitzung"' in content
    # The next meeting's date as "Nächste Sitzung vorbereiten" places it, and a week later.
    following = timezone.localtime(world["meeting"].following().starts_at)
    for n, start in enumerate([following, following + datetime.timedelta(weeks=1)]):
        assert f'name="options-{n}-starts_at_0" value="{start:%d.%m.%Y}"' in content


def test_staff_start_a_poll_and_every_member_is_asked(login, world):
    start = timezone.now() + datetime.timedelta(days=90)
    client = login("staff")
    response = client.post(
        reverse("admin:advisory_board_datepoll_add"),
        poll_form(world["board"], [start, start + datetime.timedelta(days=7)]),
    )
    poll = DatePoll.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:advisory_board_datepoll_results", args=[poll.pk])
    assert poll.options.count() == 2 and poll.created_by == world["users"]["staff"]
    mail = Mail.objects.get()
    assert mail.recipient == "mitglied@example.org"
    assert mail.subject == "[KOSS-Portal] Terminabstimmung: Termin der 6. Sitzung"
    assert f"http://testserver{poll.get_absolute_url()}" in mail.body or (
        poll.get_absolute_url() in mail.body
    )


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (1, "Bitte schlagen Sie mindestens zwei Termine vor."),
        (7, "Bitte schlagen Sie höchstens sechs Termine vor."),
    ],
)
def test_two_to_six_dates(login, world, dates, message):
    start = timezone.now() + datetime.timedelta(days=90)
    starts = [start + datetime.timedelta(days=n) for n in range(dates)]
    response = login("staff").post(
        reverse("admin:advisory_board_datepoll_add"), poll_form(world["board"], starts)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DatePoll.objects.exists() and not Mail.objects.exists()


def test_dates_in_the_past_and_twice_are_refused(login, world):
    client = login("staff")
    past = timezone.now() - datetime.timedelta(days=1)
    response = client.post(
        reverse("admin:advisory_board_datepoll_add"),
        poll_form(world["board"], [past, past + datetime.timedelta(days=30)]),
    )
    assert "Bitte schlagen Sie einen Termin in der Zukunft vor." in response.content.decode()
    future = timezone.now() + datetime.timedelta(days=30)
    response = client.post(
        reverse("admin:advisory_board_datepoll_add"), poll_form(world["board"], [future, future])
    )
    content = response.content.decode()
    assert "Jeder Termin darf nur einmal vorkommen." in content
    assert "doppelten" not in content
    assert not DatePoll.objects.exists()


def test_staff_see_the_table_and_choose_a_date(login, world, poll):
    AgendaItem.objects.create(meeting=world["meeting"], position=1, title="Begrüßung")
    member = world["people"]["member"]
    first, second = poll.options.all()
    poll.answer(member, {first.pk: FITS, second.pk: NO})
    client = login("staff")
    results = client.get(reverse("admin:advisory_board_datepoll_results", args=[poll.pk]))
    content = results.content.decode()
    assert "Maria Mitglied" in content and "passt nicht" in content
    assert "Ehemalig" not in content  # former members are not asked
    response = client.post(
        reverse("admin:advisory_board_datepoll_choose", args=[poll.pk]), {"termin": second.pk}
    )
    meeting = Meeting.objects.get(number=6)
    assert response.url == reverse("admin:advisory_board_meeting_change", args=[meeting.pk])
    assert meeting.starts_at == second.starts_at
    assert meeting.location == world["meeting"].location
    assert not meeting.is_announced
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Begrüßung"]
    mail = Mail.objects.get()
    assert mail.subject == "[KOSS-Portal] Der Termin steht fest: Termin der 6. Sitzung"
    assert second.label in mail.body
    # The link in the mail lands on the poll, which names the date.
    page = login("member").get(poll.get_absolute_url()).content.decode()
    assert f"Der Termin steht fest: {second.label}" in page
    assert 'name="termin-' not in page


def test_choosing_twice_prepares_one_meeting(login, world, poll):
    client = login("staff")
    url = reverse("admin:advisory_board_datepoll_choose", args=[poll.pk])
    first, second = poll.options.all()
    client.post(url, {"termin": first.pk})
    response = client.post(url, {"termin": second.pk}, follow=True)
    assert "Der Termin steht bereits fest" in response.content.decode()
    assert Meeting.objects.filter(number=6).count() == 1
    assert Mail.objects.count() == 1
    assert client.get(url).status_code == 405


def test_choosing_an_unknown_date_changes_nothing(login, world, poll):
    other = make_poll(world["board"])
    client = login("staff")
    url = reverse("admin:advisory_board_datepoll_choose", args=[poll.pk])
    for value in ("", "abc", str(other.options.first().pk)):
        response = client.post(url, {"termin": value}, follow=True)
        assert "Bitte wählen Sie einen der Termine." in response.content.decode()
    assert not Meeting.objects.filter(number=6).exists()


# --- Reminders -----------------------------------------------------------------------------------


def test_reminder_from_the_meeting_returns_to_it(login, world):
    meeting = world["meeting"]
    client = login("staff")
    page = client.get(reverse("admin:advisory_board_meeting_change", args=[meeting.pk]))
    assert "An die Rückmeldung erinnern" in page.content.decode()
    response = client.post(
        reverse("admin:advisory_board_meeting_remind", args=[meeting.pk]), {"zurueck": "sitzung"}
    )
    assert response.url == reverse("admin:advisory_board_meeting_change", args=[meeting.pk])
    assert list(Mail.objects.values_list("recipient", flat=True)) == ["mitglied@example.org"]


class TestAutomaticReminder:
    @pytest.fixture(autouse=True)
    def seven_days(self, settings):
        settings.KOSS_REPLY_REMINDER_DAYS = 7

    def test_reminds_each_member_without_reply_once_n_days_before(self, world):
        board = world["board"]
        now = timezone.now()
        meeting = make_meeting(board, number=9, days_ahead=10, announced_at=now)
        replied = make_member(board, make_user("antwortete@example.org"))
        Reply.objects.create(meeting=meeting, person=replied, answer=Reply.Answer.YES)
        # The world's meeting, in 30 days, is not due.
        with time_machine.travel(now + datetime.timedelta(days=2), tick=False):
            assert send_due_reply_reminders() == 0
        with time_machine.travel(now + datetime.timedelta(days=3, hours=1), tick=False):
            assert send_due_reply_reminders() == 1
            assert send_due_reply_reminders() == 0
        with time_machine.travel(now + datetime.timedelta(days=9), tick=False):
            assert send_due_reply_reminders() == 0
        mail = Mail.objects.get()
        assert mail.recipient == "mitglied@example.org"
        assert "9. Sitzung" in mail.subject
        assert Reminder.objects.automatic().get().meeting == meeting

    def test_not_on_the_day_of_the_notice_nor_for_prepared_or_past_meetings(self, world):
        board = world["board"]
        make_meeting(board, number=10, days_ahead=5)  # announced just now
        make_meeting(board, number=11, days_ahead=5, announced_at=None)
        make_meeting(
            board,
            number=12,
            days_ahead=-1,
            announced_at=timezone.now() - datetime.timedelta(days=20),
        )
        assert send_due_reply_reminders() == 0

    def test_off_with_zero(self, world, settings):
        settings.KOSS_REPLY_REMINDER_DAYS = 0
        make_meeting(
            world["board"],
            number=13,
            days_ahead=2,
            announced_at=timezone.now() - datetime.timedelta(days=5),
        )
        assert send_due_reply_reminders() == 0

    def test_the_command(self, world):
        from io import StringIO

        from django.core.management import call_command

        make_meeting(
            world["board"],
            number=14,
            days_ahead=2,
            announced_at=timezone.now() - datetime.timedelta(days=5),
        )
        out = StringIO()
        call_command("send_reply_reminders", stdout=out)
        assert out.getvalue().startswith("1 Erinnerungen")


# --- Read status -----------------------------------------------------------------------------------


def test_read_status_tells_who_opened_what_and_how(login, world):
    meeting = world["meeting"]
    invitation = make_document(meeting, "Einladung zur 5. Sitzung", kind="einladung")
    other = make_member(world["board"], make_user("zweite@example.org"), last_name="Zweite")
    member = world["users"]["member"]
    DownloadLog.objects.record([invitation], member, via_book=True)
    DownloadLog.objects.record([world["documents"]["members"]], member, via_zip=True)
    DownloadLog.objects.record([world["documents"]["members"]], member)
    client = login("staff")
    url = reverse("admin:advisory_board_meeting_read_status", args=[meeting.pk])
    content = client.get(url).content.decode()
    assert "Einladung zur 5. Sitzung" in content and "Vermerk der Redaktion" not in content
    assert "(Sitzungsmappe," in content
    assert "ZIP" in content and "direkt" in content
    assert "1 Mitglied an die Einladung erinnern" in content
    response = client.post(
        reverse("admin:advisory_board_meeting_remind_invitation", args=[meeting.pk])
    )
    assert response.url == url
    mail = Mail.objects.get()
    assert mail.recipient == "zweite@example.org"
    assert invitation.get_absolute_url() in mail.body
    assert Reminder.objects.get(kind=Reminder.Kind.INVITATION).person == other


def test_read_status_queries_stay_constant(login, world, django_assert_num_queries):
    meeting = world["meeting"]
    client = login("staff")
    url = reverse("admin:advisory_board_meeting_read_status", args=[meeting.pk])
    client.get(url)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for n in range(6):
        user = make_user(f"viele{n}@example.org")
        make_member(world["board"], user)
        document = make_document(
            meeting, f"Unterlage {n}", kind="einladung" if n == 0 else "sonstiges"
        )
        DownloadLog.objects.record([document, world["documents"]["members"]], user, via_zip=n % 2)
    Reminder.objects.create(meeting=meeting, person=world["people"]["member"], kind="einladung")
    assert count() == small


def test_poll_pages_queries_stay_constant(login, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client, url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = make_poll(world["board"], dates=2)
    large = make_poll(world["board"], dates=6)
    staff = login("staff")
    results = "admin:advisory_board_datepoll_results"
    staff_small = count(staff, reverse(results, args=[small.pk]))
    for n in range(5):
        person = make_member(world["board"], make_user(f"abstimmung{n}@example.org"))
        large.answer(person, {option.pk: FITS for option in large.options.all()})
    assert count(staff, reverse(results, args=[large.pk])) == staff_small
    staff.logout()
    member = login("member")
    assert count(member, small.get_absolute_url()) == count(member, large.get_absolute_url())
    area = count(member, "/beirat/intern/")
    make_poll(world["board"], title="Noch eine")
    make_poll(world["board"], title="Und noch eine")
    assert count(member, "/beirat/intern/") == area
