"""A document's agenda item belongs to the document's meeting."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from advisory_board.models import AgendaItem

from ..factories import NO_EARLIER_VERSIONS, login_staff, make_meeting

pytestmark = pytest.mark.django_db

MISMATCH = "Der Tagesordnungspunkt gehört zu einer anderen Sitzung als das Dokument."


@pytest.fixture
def agenda(world):
    """One agenda item in the world's meeting and one in another meeting of the same board."""
    other_meeting = make_meeting(world["board"], number=6)
    return {
        "own": AgendaItem.objects.create(meeting=world["meeting"], position=1, title="Haushalt"),
        "foreign": AgendaItem.objects.create(meeting=other_meeting, position=1, title="Fremd"),
        "other_meeting": other_meeting,
    }


def change_form_data(document, **changes):
    data = {
        "meeting": document.meeting_id,
        "agenda_item": document.agenda_item_id or "",
        "kind": document.kind,
        "title": document.title,
        "visibility": document.visibility,
        "published_at_0": "01.01.2020",
        "published_at_1": "10:00:00",
        **NO_EARLIER_VERSIONS,
    }
    data.update(changes)
    return data


def change_url(document):
    return f"/verwaltung/advisory_board/document/{document.pk}/change/"


def test_full_clean_rejects_an_agenda_item_of_another_meeting(world, agenda):
    document = world["documents"]["members"]
    document.agenda_item = agenda["foreign"]
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert error.value.message_dict == {"agenda_item": [MISMATCH]}


def test_full_clean_accepts_an_agenda_item_of_the_same_meeting(world, agenda):
    document = world["documents"]["members"]
    document.agenda_item = agenda["own"]
    document.full_clean()


def test_admin_rejects_an_agenda_item_of_another_meeting(client, world, agenda):
    document = world["documents"]["members"]
    login_staff(client, world["users"]["staff"])
    response = client.post(
        change_url(document), change_form_data(document, agenda_item=agenda["foreign"].pk)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["agenda_item"]
    document.refresh_from_db()
    assert document.agenda_item is None


def test_admin_rejects_moving_a_document_away_from_its_agenda_item(client, world, agenda):
    document = world["documents"]["members"]
    document.agenda_item = agenda["own"]
    document.save()
    login_staff(client, world["users"]["staff"])
    response = client.post(
        change_url(document),
        change_form_data(document, meeting=agenda["other_meeting"].pk),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["agenda_item"] == [MISMATCH]
    document.refresh_from_db()
    assert document.meeting == world["meeting"]


def test_admin_offers_only_the_agenda_of_the_documents_meeting(client, world, agenda):
    document = world["documents"]["members"]
    login_staff(client, world["users"]["staff"])
    form = client.get(change_url(document)).context["adminform"].form
    choices = list(form.fields["agenda_item"].choices)[1:]
    assert [value for value, _ in choices] == [agenda["own"].pk]
    # The label names the meeting, so staff can tell which agenda it belongs to.
    assert str(world["meeting"]) in str(choices[0][1])


def test_admin_accepts_an_agenda_item_of_the_same_meeting(client, world, agenda):
    document = world["documents"]["members"]
    login_staff(client, world["users"]["staff"])
    response = client.post(
        change_url(document), change_form_data(document, agenda_item=agenda["own"].pk)
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.agenda_item == agenda["own"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite cannot add the constraint to a table"
)
def test_the_database_refuses_an_agenda_item_of_another_meeting(world, agenda):
    document = world["documents"]["members"]
    with pytest.raises(IntegrityError), transaction.atomic():
        type(document).objects.filter(pk=document.pk).update(agenda_item=agenda["foreign"])
        connection.check_constraints()
    type(document).objects.filter(pk=document.pk).update(agenda_item=agenda["own"])
    connection.check_constraints()
    world["meeting"].delete()  # the rows of a meeting go in any order within the transaction
    connection.check_constraints()
