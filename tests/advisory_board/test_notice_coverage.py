"""The confirmation of a notice names who will not get the mail, and why, and invites those
without a login from the same screen, keeping the documents as chosen."""

import datetime

import pytest
from django.core import mail

from advisory_board.models import Person

from ..factories import login_as, make_document, make_member, make_staff, make_user

pytestmark = pytest.mark.django_db

URL = "/verwaltung/advisory_board/meeting/"


@pytest.fixture
def board_of_seven(world):
    """Besides Maria Mitglied (with a login): members without a login, without an address,
    with a blocked login, sharing an address, not yet begun, and a deputy named in a reply."""
    board, meeting = world["board"], world["meeting"]
    people = {
        "no_login": make_member(board, first_name="Nora", last_name="Ohnezugang"),
        "no_address": make_member(board, first_name="Anton", last_name="Ohneadresse"),
        "blocked": make_member(
            board, make_user("gesperrt@example.org", is_active=False), last_name="Gesperrt"
        ),
        "later": make_member(board, make_user("spaeter@example.org"), last_name="Spaeter"),
    }
    Person.objects.filter(pk=people["no_login"].pk).update(email="nora@example.org")
    people["later"].memberships.update(starts_on=datetime.date.today() + datetime.timedelta(30))
    meeting.replies.create(
        person=world["people"]["member"], answer="vertretung", deputy_name="Dora Deputy"
    )
    documents = [
        make_document(meeting, "Einladung zur 5. Sitzung", released=False),
        make_document(meeting, "Entwurf Positionspapier", released=False),
    ]
    return people, documents


def confirmation(client, meeting):
    return client.get(f"{URL}{meeting.pk}/veroeffentlichen/")


def test_the_confirmation_names_who_is_missed_and_why(client, world, board_of_seven):
    login_as(client, world["users"]["staff"])
    text = confirmation(client, world["meeting"]).content.decode()
    assert "Benachrichtigt wird 1 Mitglied:" in text
    assert "Keine E-Mail erhalten 6 Personen:" in text
    assert "Nora Ohnezugang – hat noch keinen Zugang" in text
    assert "Anton Ohneadresse – hat noch keinen Zugang und keine E-Mail-Adresse" in text
    assert "Gesperrt – Zugang ist gesperrt" in text
    assert "Spaeter – Mitgliedschaft beginnt erst am" in text
    assert "Ehemalig – Mitgliedschaft endete am 5. Oktober 2016" in text
    assert "Dora Deputy – Vertretung für Maria Mitglied" in text
    # Only who has no login but an address can be invited.
    assert text.count('name="einladen"') == 1
    assert f'value="{board_of_seven[0]["no_login"].pk}"' in text


def test_inviting_from_the_confirmation_keeps_its_state(client, world, board_of_seven):
    people, documents = board_of_seven
    login_as(client, world["users"]["staff"])
    response = client.post(
        f"{URL}{world['meeting'].pk}/veroeffentlichen/einladen/",
        {"einladen": people["no_login"].pk, "dokument": [documents[0].pk], "bestaetigt": "1"},
    )
    assert response.status_code == 302
    assert response.url.startswith(f"{URL}{world['meeting'].pk}/veroeffentlichen/?")
    (invitation,) = mail.outbox
    assert invitation.to == ["nora@example.org"]
    # Nothing was published by the invitation.
    assert not world["meeting"].documents.filter(notified_at__isnull=False).exists()
    page = client.get(response.url)
    text = page.content.decode()
    assert "1 Einladung verschickt." in text
    assert f'value="{documents[0].pk}" checked' in text
    assert f'value="{documents[1].pk}">' in text
    # Nora has a login now (not yet accepted): she gets the notice.
    assert "Benachrichtigt werden 2 Mitglieder:" in text
    assert "Nora Ohnezugang – hat noch keinen Zugang" not in text


def test_only_who_the_notice_misses_for_want_of_a_login_is_invited(client, world, board_of_seven):
    people, _documents = board_of_seven
    login_as(client, world["users"]["staff"])
    for person in [people["no_address"], world["people"]["other_board_member"]]:
        client.post(
            f"{URL}{world['meeting'].pk}/veroeffentlichen/einladen/", {"einladen": person.pk}
        )
    assert mail.outbox == []


VISITORS = ["anonymous", "member", "former_member", "other_board_member"]


@pytest.mark.parametrize("visitor", VISITORS)
def test_only_staff_invite_from_the_confirmation(login, world, board_of_seven, visitor):
    client = login(visitor)
    response = client.post(
        f"{URL}{world['meeting'].pk}/veroeffentlichen/einladen/",
        {"einladen": board_of_seven[0]["no_login"].pk},
    )
    assert response.status_code == 302 and "/login/" in response.url
    assert mail.outbox == []


def test_staff_without_the_second_factor_cannot_invite(client, world, board_of_seven, settings):
    settings.KOSS_REQUIRE_STAFF_2FA = True
    client.force_login(world["users"]["staff"])
    response = client.post(
        f"{URL}{world['meeting'].pk}/veroeffentlichen/einladen/",
        {"einladen": board_of_seven[0]["no_login"].pk},
    )
    assert response.status_code == 302 and mail.outbox == []


def test_staff_without_the_right_to_change_people_are_refused(client, world, board_of_seven):
    from django.contrib.auth.models import Permission

    user = make_staff("ohne-recht@example.org", is_superuser=False)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_meeting", "change_meeting", "view_person"])
    )
    login_as(client, user)
    text = confirmation(client, world["meeting"]).content.decode()
    assert "Nora Ohnezugang – hat noch keinen Zugang" in text
    assert 'name="einladen"' not in text
    response = client.post(
        f"{URL}{world['meeting'].pk}/veroeffentlichen/einladen/",
        {"einladen": board_of_seven[0]["no_login"].pk},
    )
    assert response.status_code == 403 and mail.outbox == []


def test_a_link_cannot_invite(client, world, board_of_seven):
    login_as(client, world["users"]["staff"])
    response = client.get(f"{URL}{world['meeting'].pk}/veroeffentlichen/einladen/")
    assert response.status_code == 405 and mail.outbox == []
