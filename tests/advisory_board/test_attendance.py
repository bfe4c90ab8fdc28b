"""Attendance: prefilled from the replies, listed for members and staff, counted in public with
names only of those who consented."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from advisory_board.models import Attendance, Membership, Reply

from ..factories import make_meeting, make_member
from .conftest import VISITORS

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
    content = client.get(held["meeting"].get_absolute_url()).content.decode()
    assert "1 teilnehmende Person." in content
    assert "Ohne Einwilligung" not in content


def test_staff_edit_attendance_on_the_meeting_page(login, world, held):
    Attendance.objects.prefill(held["meeting"])
    page = login("staff").get(f"{MEETING_ADMIN}{held['meeting'].pk}/change/").content.decode()
    assert "Petra Muster" in page and 'name="attendance-TOTAL_FORMS" value="5"' in page
