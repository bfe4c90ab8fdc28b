import datetime

import pytest
from allauth.account.models import EmailAddress

from ..factories import (
    login_as,
    make_board,
    make_document,
    make_meeting,
    make_member,
    make_staff,
    make_user,
)


@pytest.fixture
def world(db):
    """Two boards, their people in every situation, and documents of every visibility."""
    board = make_board(is_current=True)
    other_board = make_board("Anderer Beirat")
    users = {
        "member": make_user("mitglied@example.org"),
        "former_member": make_user("ehemalig@example.org"),
        "other_board_member": make_user("anderer@example.org"),
        "staff": make_staff(),
    }
    for user in users.values():
        # As invitations leave them: the address is verified (staff get theirs in make_staff).
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    people = {
        "member": make_member(board, users["member"], first_name="Maria", last_name="Mitglied"),
        "former_member": make_member(
            board, users["former_member"], ends_on=datetime.date(2016, 10, 5), last_name="Ehemalig"
        ),
        "other_board_member": make_member(other_board, users["other_board_member"]),
    }
    meeting = make_meeting(board, number=5)
    other_meeting = make_meeting(other_board, number=1)
    documents = {
        "public": make_document(
            meeting, "Öffentliche Präsentation", visibility="oeffentlich", kind="praesentation"
        ),
        "members": make_document(meeting, "Protokoll für Mitglieder"),
        "staff": make_document(meeting, "Vermerk der Redaktion", visibility="redaktion"),
        "unreleased": make_document(meeting, "Noch nicht freigegeben", released=False),
        "other_board": make_document(other_meeting, "Protokoll des anderen Beirats"),
    }
    return {
        "board": board,
        "meeting": meeting,
        "other_meeting": other_meeting,
        "users": users,
        "people": people,
        "documents": documents,
    }


# Who may read which document of the world: the rule of PRODUCT.md as a table.
VISIBLE = {
    "anonymous": {"public"},
    "member": {"public", "members"},
    "former_member": {"public"},
    "other_board_member": {"public", "other_board"},
    "staff": {"public", "members", "staff", "unreleased", "other_board"},
}
VISITORS = list(VISIBLE)


@pytest.fixture
def login(client, world):
    def as_visitor(visitor):
        if visitor != "anonymous":
            login_as(client, world["users"][visitor])
        return client

    return as_visitor
