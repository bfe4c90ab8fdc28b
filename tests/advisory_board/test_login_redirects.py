"""Every link in a mail leads, after at most a login, to what it names.

A visitor who opens an address of the members' part goes to the login and, once logged in, on
to the address. That holds for every such address, whatever it names and whether that exists,
so it tells a visitor nothing; whoever is logged in and may not see it gets the 404.
"""

import pytest
from django.urls import reverse

from ..factories import TOTP_SECRET, current_totp_code, make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def members_addresses(world):
    """The addresses of the members' part, of what exists and of what does not."""
    members = world["documents"]["members"]
    meeting, other = world["meeting"], world["other_meeting"]
    return [
        members.get_absolute_url(),
        reverse("advisory_board:document", args=[999_999]),
        reverse("advisory_board:document_version", args=[members.pk, 1]),
        reverse("advisory_board:document_version", args=[999_999, 3]),
        reverse("advisory_board:zip", args=[other.pk]),
        reverse("advisory_board:zip", args=[999_999]),
        reverse("advisory_board:book", args=[meeting.pk]),
        reverse("advisory_board:book", args=[999_999]),
        reverse("advisory_board:members"),
        reverse("advisory_board:calendar_token"),
        reverse("advisory_board:minutes_comment", args=[members.pk]),
        reverse("advisory_board:minutes_comment", args=[999_999]),
        reverse("advisory_board:reply", args=[meeting.pk]),
        reverse("advisory_board:reply", args=[999_999]),
    ]


def test_visitors_go_to_the_login_and_get_no_cookie(client, world):
    for path in members_addresses(world):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == f"/konto/login/?next={path}", path
        # The redirect sets no cookie, as no page for visitors does.
        assert not response.cookies, path
        assert "public" not in response.get("Cache-Control", ""), path


@pytest.mark.parametrize("visitor", ["former_member", "other_board_member"])
def test_those_logged_in_who_may_not_see_it_get_404(login, world, visitor):
    client = login(visitor)
    for path in members_addresses(world):
        if path == reverse("advisory_board:members"):
            continue  # their own page says what they may see
        if visitor == "other_board_member" and (
            path.endswith(".zip") or path == reverse("advisory_board:calendar_token")
        ):
            continue  # the meeting's public document, and their own calendar address
        assert client.get(path).status_code == 404, path


def log_in(client, email, next_path):
    return client.post(
        f"/konto/login/?next={next_path}",
        {"login": email, "password": PASSWORD, "next": next_path},
    )


def test_a_member_lands_on_the_document_after_the_login(client, world):
    path = world["documents"]["members"].get_absolute_url()
    login_url = client.get(path).url
    assert client.get(login_url).status_code == 200
    response = log_in(client, "mitglied@example.org", path)
    assert (response.status_code, response.url) == (302, path)
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4 Protokoll")


@pytest.mark.parametrize(
    ("name", "landing"),
    [
        ("calendar_token", "/beirat/intern/#kalender"),
        ("minutes_comment", "{meeting}#protokoll"),
        ("reply", "{meeting}#reply-heading"),
    ],
)
def test_addresses_that_take_a_form_lead_members_to_the_form(login, world, name, landing):
    args = {
        "calendar_token": [],
        "minutes_comment": [world["documents"]["members"].pk],
        "reply": [world["meeting"].pk],
    }[name]
    response = login("member").get(reverse(f"advisory_board:{name}", args=args))
    assert response.status_code == 302
    assert response.url == landing.format(meeting=world["meeting"].get_absolute_url())


class TestStaff:
    """Staff rights count only after the second factor: the way to them goes through it."""

    @pytest.fixture(autouse=True)
    def second_factor_required(self, settings):
        settings.KOSS_REQUIRE_STAFF_2FA = True

    def test_staff_land_on_the_document_after_password_and_code(self, client, world):
        path = world["documents"]["staff"].get_absolute_url()
        assert client.get(path).url == f"/konto/login/?next={path}"
        response = log_in(client, "redaktion@example.org", path)
        assert response.url == reverse("mfa_authenticate")
        response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
        assert (response.status_code, response.url) == (302, path)
        assert client.get(path).status_code == 200

    def test_a_session_without_the_second_factor_is_asked_for_it_and_lands(self, client, world):
        client.force_login(world["users"]["staff"])
        path = world["documents"]["staff"].get_absolute_url()
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == f"{reverse('mfa_reauthenticate')}?next={path.replace('/', '%2F')}"
        assert not response.cookies.get("messages")
        response = client.post(response.url, {"code": current_totp_code(TOTP_SECRET)})
        assert (response.status_code, response.url) == (302, path)
        assert client.get(path).status_code == 200

    def test_staff_without_any_second_factor_get_404(self, client, world):
        staff = make_staff("neu@example.org")
        staff.authenticator_set.all().delete()
        client.force_login(staff)
        assert client.get(world["documents"]["staff"].get_absolute_url()).status_code == 404
