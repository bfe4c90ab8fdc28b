"""Attendance: prefilled from the replies, listed for members and staff, counted in public with
names only of those who consented."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from advisory_board.models import Attendance, Membership, Reply

from ..factories import make_document, make_meeting, make_member
from .conftest import VISITORS
from .test_decisions_tasks import management_form

pytestmark = pytest.mark.django_db

MEETING_ADMIN = "/verwaltung/advisory_board/meeting/"


@pytest.fixture
def held(world):
    """A past meeting of the world's board with four members' replies and their attendance."""
    board = world["board"]
    meeting = make_meeting(board, number=4, days_ahead=-10, status="stattgefunden")
    people = {
        "yes": world["people"]["member"],  # Maria Mitglied, consented
        "shy": make_member(
            board, first_name="Ohne", last_name="Einwilligung", public_consent=False
        ),
        "deputy": make_member(board, first_name="Paul", last_name="Planung"),
        "no": make_member(board, first_name="Nora", last_name="Nein"),
        "silent": make_member(board, first_name="Stefan", last_name="Still"),
    }
    Reply.objects.bulk_create(
        [
            Reply(meeting=meeting, person=people["yes"], answer="ja"),
            Reply(meeting=meeting, person=people["shy"], answer="ja"),
            Reply(
                meeting=meeting,
                person=people["deputy"],
                answer="vertretung",
                deputy_name="Petra Muster",
            ),
            Reply(meeting=meeting, person=people["no"], answer="nein"),
        ]
    )
    return {"meeting": meeting, "people": people}


@pytest.fixture
def planned(world):
    """The world's planned meeting, in a month, with a yes of the consenting member and one of
    a member without consent."""
    meeting = world["meeting"]
    shy = make_member(
        world["board"], first_name="Ohne", last_name="Einwilligung", public_consent=False
    )
    Reply.objects.create(meeting=meeting, person=world["people"]["member"], answer="ja")
    Reply.objects.create(meeting=meeting, person=shy, answer="ja")
    return meeting


def approve_minutes(meeting):
    make_document(meeting, "Protokoll", approved_on=timezone.localdate())


def entries(meeting):
    return {
        entry.person.last_name: (entry.status, entry.represented_by)
        for entry in meeting.attendance.for_list()
    }


class TestPrefill:
    def test_replies_become_attendance_and_members_without_reply_absent(self, world, held):
        added = Attendance.objects.prefill(held["meeting"])
        assert entries(held["meeting"]) == {
            "Mitglied": ("anwesend", ""),
            "Einwilligung": ("anwesend", ""),
            "Planung": ("entschuldigt", "Petra Muster"),
            "Nein": ("entschuldigt", ""),
            "Still": ("abwesend", ""),
        }
        # The former member (until 2016) and the other board's member are not on the list.
        assert added == 5

    def test_entries_staff_made_stay_and_a_second_run_adds_nothing(self, world, held):
        Attendance.objects.create(
            meeting=held["meeting"], person=held["people"]["silent"], status="anwesend"
        )
        assert Attendance.objects.prefill(held["meeting"]) == 4
        assert entries(held["meeting"])["Still"] == ("anwesend", "")
        assert Attendance.objects.prefill(held["meeting"]) == 0

    def test_members_who_joined_after_the_meeting_are_not_listed(self, world, held):
        Membership.objects.filter(person=held["people"]["silent"]).update(
            starts_on=datetime.date.today()
        )
        Attendance.objects.prefill(held["meeting"])
        assert "Still" not in entries(held["meeting"])

    def test_the_admin_action_prefills_and_says_how_many(self, login, world, held):
        response = login("staff").post(
            MEETING_ADMIN,
            {"action": "prefill_attendance", "_selected_action": [held["meeting"].pk]},
            follow=True,
        )
        assert "5 Einträge zur Anwesenheit vorbelegt" in response.content.decode()
        assert held["meeting"].attendance.count() == 5


class TestQuerySet:
    def test_attended_counts_those_present_and_those_represented(self, world, held):
        Attendance.objects.prefill(held["meeting"])
        attended = held["meeting"].attendance.attended()
        assert sorted(entry.person.last_name for entry in attended) == [
            "Einwilligung",
            "Mitglied",
            "Planung",
        ]
        assert all(entry.attended for entry in attended)

    def test_public_consent_is_that_of_the_meetings_board(self, world, held):
        Attendance.objects.prefill(held["meeting"])
        consent = {
            entry.person.last_name: entry.public_consent
            for entry in held["meeting"].attendance.with_public_consent()
        }
        assert consent["Mitglied"] is True and consent["Einwilligung"] is False

    def test_present_and_represented_at_once_is_refused(self, world, held):
        entry = Attendance(
            meeting=held["meeting"],
            person=held["people"]["yes"],
            status="anwesend",
            represented_by="Petra Muster",
        )
        with pytest.raises(ValidationError) as error:
            entry.full_clean()
        assert "Wer selbst anwesend war, wird nicht vertreten." in str(error.value)


@pytest.mark.parametrize("visitor", VISITORS)
def test_meeting_page_lists_attendance_for_members_and_counts_it_for_everyone(
    login, world, held, visitor
):
    Attendance.objects.prefill(held["meeting"])
    approve_minutes(held["meeting"])
    content = login(visitor).get(held["meeting"].get_absolute_url()).content.decode()
    assert "3 Teilnehmende" in content
    full_list = visitor in {"member", "staff"}
    # Names without consent, deputies and who stayed away: only for the board and staff.
    for private in (
        "Ohne Einwilligung",
        "Petra Muster",
        "Nora Nein",
        "Stefan Still",
        "entschuldigt",
    ):
        assert (private in content) == full_list, private
    # A name with consent appears for everyone.
    assert "Maria Mitglied" in content


def test_no_attendance_no_section(client, world, held):
    content = client.get(held["meeting"].get_absolute_url()).content.decode()
    assert "Teilnehmende" not in content and "teilnehmende Person" not in content


def test_one_attendee_is_counted_in_the_singular(client, world, held):
    Attendance.objects.create(meeting=held["meeting"], person=held["people"]["shy"])
    approve_minutes(held["meeting"])
    content = client.get(held["meeting"].get_absolute_url()).content.decode()
    assert "1 teilnehmende Person." in content
    assert "Ohne Einwilligung" not in content


def test_staff_edit_attendance_on_the_meeting_page(login, world, held):
    Attendance.objects.prefill(held["meeting"])
    page = login("staff").get(f"{MEETING_ADMIN}{held['meeting'].pk}/change/").content.decode()
    assert "Petra Muster" in page and 'name="attendance-TOTAL_FORMS" value="5"' in page


def meeting_form(meeting, attendance):
    """The meeting's change form as the admin posts it, with new attendance rows."""
    data = {
        "board": meeting.board_id,
        "number": meeting.number,
        "starts_at_0": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y"),
        "starts_at_1": timezone.localtime(meeting.starts_at).strftime("%H:%M:%S"),
        "location": meeting.location,
        "status": meeting.status,
    }
    for prefix in ("agenda_items", "documents", "outcomes", "replies"):
        data |= management_form(prefix, 0, 0)
    data |= management_form("attendance", len(attendance), 0)
    for n, (person, status) in enumerate(attendance):
        data |= {
            f"attendance-{n}-meeting": meeting.pk,
            f"attendance-{n}-person": person.pk,
            f"attendance-{n}-status": status,
            f"attendance-{n}-represented_by": "",
        }
    return data


BEFORE_THE_DAY = "Die Anwesenheit wird erst ab dem Tag der Sitzung erfasst"


class TestNotBeforeTheMeetingsDay:
    """Attendance taken from the replies would tell who said yes before anyone attended."""

    def test_the_action_refuses_a_meeting_before_its_day(self, login, world, planned):
        response = login("staff").post(
            MEETING_ADMIN,
            {"action": "prefill_attendance", "_selected_action": [planned.pk]},
            follow=True,
        )
        content = response.content.decode()
        assert f"{planned}: {BEFORE_THE_DAY}" in content
        assert "vorbelegt" not in content
        assert not Attendance.objects.exists()

    def test_the_action_takes_the_meetings_day_and_leaves_out_the_early_ones(
        self, login, world, planned, held
    ):
        morning = datetime.datetime.combine(timezone.localdate(), datetime.time(8))
        with time_machine.travel(timezone.make_aware(morning)):
            planned.starts_at = timezone.make_aware(morning.replace(hour=14))
            planned.save()
            later = make_meeting(world["board"], number=6, days_ahead=2)
            response = login("staff").post(
                MEETING_ADMIN,
                {
                    "action": "prefill_attendance",
                    "_selected_action": [planned.pk, held["meeting"].pk, later.pk],
                },
                follow=True,
            )
        content = response.content.decode()
        assert f"{later}: {BEFORE_THE_DAY}" in content
        assert planned.attendance.filter(status="anwesend").count() == 2
        assert held["meeting"].attendance.filter(person=held["people"]["yes"]).exists()
        assert not later.attendance.exists()

    def test_an_entry_before_the_meetings_day_is_refused(self, world, planned):
        entry = Attendance(meeting=planned, person=world["people"]["member"])
        with pytest.raises(ValidationError) as error:
            entry.full_clean()
        assert BEFORE_THE_DAY in str(error.value)
        with pytest.raises(ValidationError):
            Attendance.objects.prefill(planned)
        assert not Attendance.objects.exists()

    def test_the_meeting_form_refuses_attendance_before_the_day(self, login, world, planned):
        url = f"{MEETING_ADMIN}{planned.pk}/change/"
        data = meeting_form(planned, [(world["people"]["member"], "anwesend")])
        response = login("staff").post(url, data)
        assert response.status_code == 200
        assert BEFORE_THE_DAY in response.content.decode()
        assert not Attendance.objects.exists()

    def test_the_meeting_form_takes_attendance_of_a_held_meeting(self, login, world, held):
        url = f"{MEETING_ADMIN}{held['meeting'].pk}/change/"
        data = meeting_form(held["meeting"], [(held["people"]["silent"], "anwesend")])
        response = login("staff").post(url, data)
        assert response.status_code == 302
        assert entries(held["meeting"]) == {"Still": ("anwesend", "")}


PUBLIC = ["anonymous", "former_member", "other_board_member"]


class TestPublicOnlyOnceTheMinutesAreApproved:
    @pytest.mark.parametrize("visitor", VISITORS)
    def test_a_planned_meeting_shows_no_attendance(self, login, world, planned, visitor):
        # Entries recorded before the rule held: no page shows them ahead of the meeting.
        Attendance.objects.bulk_create(
            Attendance.from_reply(planned, reply.person_id, reply)
            for reply in planned.replies.all()
        )
        content = login(visitor).get(planned.get_absolute_url()).content.decode()
        assert 'id="attendance-heading"' not in content
        assert "Teilnehmende" not in content

    @pytest.mark.parametrize("visitor", PUBLIC)
    def test_a_held_meeting_names_attendees_once_its_minutes_are_approved(
        self, login, world, held, visitor
    ):
        Attendance.objects.prefill(held["meeting"])
        client = login(visitor)
        content = client.get(held["meeting"].get_absolute_url()).content.decode()
        assert "Maria Mitglied" not in content and "Teilnehmende" not in content
        approve_minutes(held["meeting"])
        content = client.get(held["meeting"].get_absolute_url()).content.decode()
        assert "3 Teilnehmende, darunter Maria Mitglied." in content

    @pytest.mark.parametrize("visitor", ["member", "staff"])
    def test_the_board_sees_the_attendance_of_a_held_meeting_before_approval(
        self, login, world, held, visitor
    ):
        Attendance.objects.prefill(held["meeting"])
        content = login(visitor).get(held["meeting"].get_absolute_url()).content.decode()
        assert "Stefan Still: abwesend" in content

    def test_board_page_calendars_and_search_name_no_attendee(self, client, world, planned, held):
        Attendance.objects.prefill(held["meeting"])
        Attendance.objects.bulk_create(
            Attendance.from_reply(planned, reply.person_id, reply)
            for reply in planned.replies.all()
        )
        pages = [
            reverse("advisory_board:index"),
            reverse("advisory_board:calendar"),
            reverse("advisory_board:meeting_calendar", args=[planned.pk]),
            reverse("advisory_board:meeting_calendar", args=[held["meeting"].pk]),
            reverse("search") + "?q=Mitglied",
            reverse("search") + "?q=Einwilligung",
            reverse("news:rss"),
            reverse("news:atom"),
        ]
        for url in pages:
            content = client.get(url).content.decode()
            assert "Ohne Einwilligung" not in content, url
            assert "Teilnehm" not in content and "anwesend" not in content, url
