"""A new meeting starts right: board, number, place and time suggested from the previous meeting,
and "Sitzung vorbereiten" copies its agenda into the next planned meeting."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from advisory_board.models import AgendaItem, Meeting

from ..factories import login_as, make_board, make_meeting

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
URL = "/verwaltung/advisory_board/meeting/"
# Wednesday, 16 December 2026, 14:00 in Erfurt; the suggestions are counted from here.
NOW = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def previous(world):
    """The board's latest meeting, the 8th, in summer time, with an agenda of four items."""
    meeting = make_meeting(
        world["board"],
        number=8,
        starts_at=datetime.datetime(2026, 9, 16, 14, 0, tzinfo=BERLIN),
        ends_at=datetime.datetime(2026, 9, 16, 16, 30, tzinfo=BERLIN),
        location="Erfurt, Thüringer Staatskanzlei, Raum 101",
        status=Meeting.Status.HELD,
    )
    for position, title in enumerate(
        ["Begrüßung", "Protokoll der letzten Sitzung", "Bericht der KOSS", "Verschiedenes"], 1
    ):
        AgendaItem.objects.create(
            meeting=meeting, position=position, title=title, description=f"Zu {title}."
        )
    # The world's 5th meeting lies 30 days ahead of the real clock; move it into the past.
    Meeting.objects.filter(pk=world["meeting"].pk).update(
        starts_at=datetime.datetime(2025, 12, 10, 10, 0, tzinfo=BERLIN)
    )
    return meeting


def test_the_add_form_suggests_the_current_boards_next_meeting(client, world, previous):
    make_meeting(make_board("Anderer Beirat 2"), number=40)  # another board's numbers do not count
    login_as(client, world["users"]["staff"])
    form = client.get(URL + "add/").context["adminform"].form
    assert form.initial["board"] == world["board"]
    assert form.initial["number"] == 9
    assert form.initial["location"] == "Erfurt, Thüringer Staatskanzlei, Raum 101"
    starts_at = form.initial["starts_at"].astimezone(BERLIN)
    # A quarter later: the same weekday and time of day, in winter time as in summer time.
    assert starts_at == datetime.datetime(2026, 12, 16, 14, 0, tzinfo=BERLIN)
    assert starts_at.weekday() == previous.starts_at.astimezone(BERLIN).weekday()
    assert form.initial["ends_at"].astimezone(BERLIN).time() == datetime.time(16, 30)
    page = client.get(URL + "add/").content.decode()
    assert 'value="16.12.2026"' in page and 'value="14:00:00"' in page


def test_a_suggested_date_is_never_in_the_past(client, world, previous):
    with time_machine.travel(datetime.datetime(2027, 2, 1, 9, 0, tzinfo=BERLIN), tick=False):
        login_as(client, world["users"]["staff"])
        form = client.get(URL + "add/").context["adminform"].form
    assert form.initial["starts_at"].astimezone(BERLIN) == datetime.datetime(
        2027, 3, 17, 14, 0, tzinfo=BERLIN
    )


def test_the_address_still_overrides_a_suggestion(client, world, previous):
    login_as(client, world["users"]["staff"])
    form = client.get(URL + "add/", {"number": "12"}).context["adminform"].form
    assert form.initial["number"] == "12" and form.initial["board"] == world["board"]


def test_the_add_form_of_a_board_without_meetings_suggests_the_first(client, db, staff_user):
    board = make_board(is_current=True)
    login_as(client, staff_user)
    form = client.get(URL + "add/").context["adminform"].form
    assert form.initial["board"] == board and form.initial["number"] == 1
    assert "starts_at" not in form.initial


def prepare(client, meeting, **kwargs):
    return client.post(f"{URL}{meeting.pk}/vorbereiten/", **kwargs)


def test_preparing_copies_the_agenda_into_the_next_planned_meeting(client, world, previous):
    login_as(client, world["users"]["staff"])
    response = prepare(client, previous)
    prepared = Meeting.objects.get(board=world["board"], number=9)
    assert response.status_code == 302
    assert response.url == f"{URL}{prepared.pk}/change/"
    assert prepared.status == Meeting.Status.PLANNED
    assert prepared.location == previous.location
    assert prepared.starts_at == datetime.datetime(2026, 12, 16, 14, 0, tzinfo=BERLIN)
    assert prepared.ends_at == datetime.datetime(2026, 12, 16, 16, 30, tzinfo=BERLIN)
    assert [(i.position, i.title, i.description) for i in prepared.agenda_items.all()] == [
        (i.position, i.title, i.description) for i in previous.agenda_items.all()
    ]
    # The previous meeting keeps its own agenda, documents and replies.
    assert previous.agenda_items.count() == 4
    assert not prepared.documents.exists() and not prepared.replies.exists()
    page = client.get(response.url).content.decode()
    assert "Die 9. Sitzung am 16.12.2026 ist vorbereitet" in page


def test_preparing_from_an_older_meeting_takes_the_next_free_number(client, world, previous):
    login_as(client, world["users"]["staff"])
    prepare(client, world["meeting"])  # the 5th, held a year ago
    prepared = Meeting.objects.get(board=world["board"], number=9)
    # After the latest meeting of the board, on the weekday and hour of the chosen one.
    assert prepared.starts_at.astimezone(BERLIN) == datetime.datetime(
        2026, 12, 9, 10, 0, tzinfo=BERLIN
    )


def test_the_action_prepares_from_one_selected_meeting(client, world, previous):
    login_as(client, world["users"]["staff"])
    response = client.post(URL, {"action": "prepare_meeting", "_selected_action": [previous.pk]})
    prepared = Meeting.objects.get(board=world["board"], number=9)
    assert response.url == f"{URL}{prepared.pk}/change/"
    assert prepared.agenda_items.count() == 4


def test_the_action_wants_exactly_one_meeting(client, world, previous):
    login_as(client, world["users"]["staff"])
    response = client.post(
        URL,
        {"action": "prepare_meeting", "_selected_action": [previous.pk, world["meeting"].pk]},
        follow=True,
    )
    assert "genau eine Sitzung" in response.content.decode()
    assert not Meeting.objects.filter(number=9).exists()


def test_a_link_cannot_prepare_a_meeting(client, world, previous):
    login_as(client, world["users"]["staff"])
    assert client.get(f"{URL}{previous.pk}/vorbereiten/").status_code == 405
    assert not Meeting.objects.filter(number=9).exists()


def test_preparing_an_unknown_meeting_is_a_404(client, world):
    login_as(client, world["users"]["staff"])
    assert client.post(f"{URL}999999/vorbereiten/").status_code == 404


@pytest.mark.parametrize("visitor", ["anonymous", "member", "former_member", "other_board_member"])
def test_only_staff_prepare_a_meeting(client, world, previous, visitor):
    if visitor != "anonymous":
        login_as(client, world["users"][visitor])
    response = prepare(client, previous)
    assert response.status_code == 302 and "/login/" in response.url
    assert not Meeting.objects.filter(number=9).exists()


def test_the_meeting_pages_offer_the_preparation(client, world, previous):
    login_as(client, world["users"]["staff"])
    action = f'action="{URL}{previous.pk}/vorbereiten/"'
    assert action in client.get(URL).content.decode()  # from the latest meeting of the board
    page = client.get(f"{URL}{previous.pk}/change/").content.decode()
    assert f'href="{URL}{previous.pk}/veroeffentlichen/"' in page
    assert 'name="_publish"' in page


def test_preparing_twice_makes_two_following_meetings(client, world, previous):
    login_as(client, world["users"]["staff"])
    prepare(client, previous)
    prepare(client, previous)
    numbers = list(
        Meeting.objects.filter(board=world["board"])
        .order_by("number")
        .values_list("number", "starts_at")
    )
    assert [number for number, _ in numbers][-2:] == [9, 10]
    assert numbers[-1][1] - numbers[-2][1] == datetime.timedelta(weeks=13)
    assert timezone.is_aware(numbers[-1][1])
