"""Replies with three answers — I attend, I do not, a deputy comes — and a comment; the
personal calendar shows the member's own reply and cancelled meetings."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from advisory_board.models import Meeting, Reply

from ..factories import make_meeting

pytestmark = pytest.mark.django_db


def reply_url(meeting):
    return reverse("advisory_board:reply", args=[meeting.pk])


def test_member_names_a_deputy_and_leaves_a_comment(login, world):
    client = login("member")
    response = client.post(
        reply_url(world["meeting"]),
        {
            "answer": "vertretung",
            "deputy_name": "  Petra Muster ",
            "comment": "Sie bringt die Zahlen mit.",
        },
        follow=True,
    )
    assert "Danke! Sie werden vertreten durch Petra Muster." in response.content.decode()
    reply = Reply.objects.get()
    assert (reply.answer, reply.deputy_name, reply.comment) == (
        "vertretung",
        "Petra Muster",
        "Sie bringt die Zahlen mit.",
    )
    page = client.get(world["meeting"].get_absolute_url()).content.decode()
    assert 'value="vertretung" checked>' in page
    assert 'value="Petra Muster"' in page
    members_area = client.get(reverse("advisory_board:members")).content.decode()
    assert "Sie werden vertreten durch Petra Muster." in members_area


@pytest.mark.parametrize("deputy", ["", "   "])
def test_a_deputy_without_a_name_is_refused_and_nothing_changes(login, world, deputy):
    client = login("member")
    client.post(reply_url(world["meeting"]), {"answer": "ja"})
    response = client.post(
        reply_url(world["meeting"]),
        {"answer": "vertretung", "deputy_name": deputy, "comment": "Wichtig"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Bitte nennen Sie den Namen Ihrer Vertretung." in content
    # What the member typed is still there.
    assert ">Wichtig</textarea>" in content
    assert 'value="vertretung" checked>' in content
    reply = Reply.objects.get()
    assert (reply.answer, reply.comment) == ("ja", "")


def test_a_deputy_name_counts_only_with_its_answer(login, world):
    login("member").post(
        reply_url(world["meeting"]), {"answer": "nein", "deputy_name": "Petra Muster"}
    )
    reply = Reply.objects.get()
    assert (reply.answer, reply.deputy_name) == ("nein", "")


def test_an_overlong_comment_is_refused(login, world):
    response = login("member").post(
        reply_url(world["meeting"]), {"answer": "ja", "comment": "x" * 1001}
    )
    assert response.status_code == 400
    assert "höchstens 1000 Zeichen" in response.content.decode()
    assert not Reply.objects.exists()


@pytest.mark.parametrize("visitor", ["former_member", "other_board_member"])
def test_non_members_cannot_name_a_deputy(login, world, visitor):
    response = login(visitor).post(
        reply_url(world["meeting"]), {"answer": "vertretung", "deputy_name": "Petra Muster"}
    )
    assert response.status_code == 404
    assert not Reply.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client, world):
    response = client.post(reply_url(world["meeting"]), {"answer": "ja"})
    assert response.status_code == 302 and "/konto/login/" in response.url
    assert not Reply.objects.exists()


@pytest.mark.parametrize("visitor", ["anonymous", "member", "former_member", "other_board_member"])
def test_only_staff_read_deputies_and_comments_on_the_meeting_page(login, world, visitor):
    Reply.objects.create(
        meeting=world["meeting"],
        person=world["people"]["member"],
        answer="vertretung",
        deputy_name="Petra Muster",
        comment="Kommt mit dem Zug",
    )
    content = login(visitor).get(world["meeting"].get_absolute_url()).content.decode()
    # The member reads their own reply back; nobody else but staff sees it.
    assert ("Petra Muster" in content) == (visitor == "member")
    assert ("Kommt mit dem Zug" in content) == (visitor == "member")


def test_staff_read_deputies_and_comments_on_the_meeting_page(login, world):
    Reply.objects.create(
        meeting=world["meeting"],
        person=world["people"]["member"],
        answer="vertretung",
        deputy_name="Petra Muster",
        comment="Kommt mit dem Zug",
    )
    content = login("staff").get(world["meeting"].get_absolute_url()).content.decode()
    assert "Maria Mitglied: wird vertreten durch Petra Muster – „Kommt mit dem Zug“" in content


class TestCalendar:
    def personal_feed(self, client, world):
        person = world["people"]["member"]
        url = reverse("advisory_board:personal_calendar", args=[person.new_calendar_token()])
        return Calendar.from_ical(client.get(url).content).walk("VEVENT")

    def test_the_personal_feed_shows_the_members_own_reply(self, client, world):
        Reply.objects.create(
            meeting=world["meeting"],
            person=world["people"]["member"],
            answer="vertretung",
            deputy_name="Petra Muster",
        )
        # Another member's reply stays out of this member's feed.
        Reply.objects.create(
            meeting=world["meeting"], person=world["people"]["former_member"], answer="ja"
        )
        (event,) = self.personal_feed(client, world)
        assert "Ihre Rückmeldung: Sie werden vertreten durch Petra Muster." in str(
            event["description"]
        )
        assert "zugesagt" not in str(event["description"])

    def test_cancelled_meetings_are_cancelled_in_every_feed(self, client, world):
        make_meeting(world["board"], number=6, status=Meeting.Status.CANCELLED)
        public = Calendar.from_ical(client.get(reverse("advisory_board:calendar")).content)
        for events in (public.walk("VEVENT"), self.personal_feed(client, world)):
            cancelled = [event for event in events if "6. Sitzung" in str(event["summary"])]
            assert len(cancelled) == 1
            assert str(cancelled[0]["status"]) == "CANCELLED"
            assert str(cancelled[0]["summary"]).startswith("Abgesagt: ")

    def test_the_public_feed_shows_no_replies(self, client, world):
        Reply.objects.create(
            meeting=world["meeting"],
            person=world["people"]["member"],
            answer="vertretung",
            deputy_name="Petra Muster",
        )
        text = client.get(reverse("advisory_board:calendar")).content.decode()
        assert "Petra Muster" not in text and "Rückmeldung" not in text
