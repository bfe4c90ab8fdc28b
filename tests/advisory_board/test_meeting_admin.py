"""The meeting page takes agenda and documents in one save; meetings are found by number and German
date; the lists show what staff look for."""

import datetime
import re
from html import unescape
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advisory_board.models import AgendaItem, Document, Meeting, Membership

from ..factories import (
    NO_EARLIER_VERSIONS,
    login_as,
    make_document,
    make_meeting,
    make_member,
    make_user,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
URL = "/verwaltung/advisory_board/meeting/"


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def meeting_form(meeting, agenda=(), documents=(), existing_documents=()):
    """What the meeting's change form posts: its fields, new agenda rows, new document rows (and
    the existing documents unchanged)."""
    data = {
        "board": meeting.board_id,
        "number": meeting.number,
        "starts_at_0": meeting.starts_at.astimezone(BERLIN).strftime("%d.%m.%Y"),
        "starts_at_1": meeting.starts_at.astimezone(BERLIN).strftime("%H:%M:%S"),
        "location": meeting.location,
        "status": meeting.status,
        **management("agenda_items", len(agenda)),
        **management("outcomes"),
        **management("replies"),
        **management("attendance"),
    }
    for index, (position, title) in enumerate(agenda):
        data.update(
            {
                f"agenda_items-{index}-position": position,
                f"agenda_items-{index}-title": title,
                f"agenda_items-{index}-description": "",
            }
        )
    rows = [*existing_documents, *documents]
    data.update(management("documents", len(rows), len(existing_documents)))
    for index, document in enumerate(existing_documents):
        data.update(
            {
                f"documents-{index}-id": document.pk,
                f"documents-{index}-meeting": meeting.pk,
                f"documents-{index}-kind": document.kind,
                f"documents-{index}-title": document.title,
                f"documents-{index}-visibility": document.visibility,
                f"documents-{index}-top": (
                    document.agenda_item.position if document.agenda_item else ""
                ),
            }
        )
    for index, (title, top) in enumerate(documents, len(existing_documents)):
        data.update(
            {
                f"documents-{index}-meeting": meeting.pk,
                f"documents-{index}-kind": "praesentation",
                f"documents-{index}-title": title,
                f"documents-{index}-visibility": "mitglieder",
                f"documents-{index}-top": top,
                f"documents-{index}-file": SimpleUploadedFile(
                    f"{title}.pdf", b"%PDF-1.4 " + title.encode()
                ),
            }
        )
    return data


@pytest.fixture
def meeting(world):
    meeting = world["meeting"]
    AgendaItem.objects.create(meeting=meeting, position=1, title="Begrüßung")
    return meeting


def test_a_document_joins_an_agenda_item_added_in_the_same_save(client, world, meeting):
    login_as(client, world["users"]["staff"])
    data = meeting_form(
        meeting,
        agenda=[(2, "Bericht der KOSS")],
        documents=[("Präsentation KOSS", 2), ("Einladung", "")],
        existing_documents=meeting.documents.all(),
    )
    data["agenda_items-TOTAL_FORMS"], data["agenda_items-INITIAL_FORMS"] = "2", "1"
    first = meeting.agenda_items.get()
    data.update(
        {
            "agenda_items-1-position": 2,
            "agenda_items-1-title": "Bericht der KOSS",
            "agenda_items-1-description": "",
            "agenda_items-0-id": first.pk,
            "agenda_items-0-meeting": meeting.pk,
            "agenda_items-0-position": 1,
            "agenda_items-0-title": "Begrüßung",
            "agenda_items-0-description": "",
        }
    )
    response = client.post(f"{URL}{meeting.pk}/change/", data)
    assert response.status_code == 302, response.context and [
        formset.errors for formset in response.context["inline_admin_formsets"]
    ]
    report = meeting.agenda_items.get(position=2)
    document = Document.objects.get(title="Präsentation KOSS")
    assert document.agenda_item == report and document.meeting == meeting
    assert document.published_at is None  # published only through the confirmation
    assert Document.objects.get(title="Einladung").agenda_item is None


def test_a_document_names_an_existing_item_by_its_number(client, world, meeting):
    login_as(client, world["users"]["staff"])
    data = meeting_form(meeting, documents=[("Begrüßungsfolien", 1)])
    data.update(agenda_rows(meeting))
    assert client.post(f"{URL}{meeting.pk}/change/", data).status_code == 302
    assert Document.objects.get(title="Begrüßungsfolien").agenda_item.title == "Begrüßung"


def agenda_rows(meeting):
    items = list(meeting.agenda_items.all())
    data = management("agenda_items", len(items), len(items))
    for index, item in enumerate(items):
        data.update(
            {
                f"agenda_items-{index}-id": item.pk,
                f"agenda_items-{index}-meeting": meeting.pk,
                f"agenda_items-{index}-position": item.position,
                f"agenda_items-{index}-title": item.title,
                f"agenda_items-{index}-description": item.description,
            }
        )
    return data


def test_an_unknown_item_number_is_a_form_error_and_nothing_is_saved(client, world, meeting):
    login_as(client, world["users"]["staff"])
    data = meeting_form(meeting, agenda=[(2, "Neu")], documents=[("Folien", 7)])
    data["location"] = "Geänderter Ort"
    response = client.post(f"{URL}{meeting.pk}/change/", data)
    assert response.status_code == 200
    assert "Diese Sitzung hat keinen TOP 7." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.location != "Geänderter Ort"
    assert not Document.objects.filter(title="Folien").exists()
    assert not AgendaItem.objects.filter(title="Neu").exists()


def test_an_item_deleted_in_the_same_save_cannot_take_a_document(client, world, meeting):
    login_as(client, world["users"]["staff"])
    data = meeting_form(meeting, documents=[("Folien", 1)])
    data.update(agenda_rows(meeting))
    data["agenda_items-0-DELETE"] = "on"
    response = client.post(f"{URL}{meeting.pk}/change/", data)
    assert "Diese Sitzung hat keinen TOP 1." in response.content.decode()
    assert meeting.agenda_items.exists()


def test_a_new_meeting_takes_its_agenda_and_documents_in_one_save(client, world):
    login_as(client, world["users"]["staff"])
    draft = Meeting(
        board=world["board"],
        number=12,
        starts_at=datetime.datetime(2027, 3, 17, 14, 0, tzinfo=BERLIN),
        location="Erfurt",
        status=Meeting.Status.PLANNED,
    )
    data = meeting_form(draft, agenda=[(1, "Begrüßung")], documents=[("Einladung", 1)])
    for key in [key for key in data if key.endswith("-meeting")]:
        del data[key]
    response = client.post(URL + "add/", data)
    assert response.status_code == 302
    created = Meeting.objects.get(number=12)
    assert Document.objects.get(title="Einladung").agenda_item.meeting == created


def test_the_meeting_page_shows_the_documents_item_number(client, world, meeting):
    document = world["documents"]["members"]
    document.agenda_item = meeting.agenda_items.get()
    document.save()
    login_as(client, world["users"]["staff"])
    formset = next(
        f.formset
        for f in client.get(f"{URL}{meeting.pk}/change/").context["inline_admin_formsets"]
        if f.formset.prefix == "documents"
    )
    row = next(form for form in formset.forms if form.instance == document)
    assert row["top"].value() == 1


def test_the_document_form_labels_items_with_their_meeting(client, world, meeting):
    login_as(client, world["users"]["staff"])
    document = world["documents"]["members"]
    form = (
        client.get(f"/verwaltung/advisory_board/document/{document.pk}/change/")
        .context["adminform"]
        .form
    )
    labels = [str(label) for value, label in form.fields["agenda_item"].choices if value]
    assert labels == [
        f"5. Sitzung am {meeting.starts_at.astimezone(BERLIN):%d.%m.%Y} – TOP 1: Begrüßung"
    ]


def test_a_new_document_for_a_meeting_offers_only_that_meetings_items(client, world, meeting):
    AgendaItem.objects.create(meeting=world["other_meeting"], position=1, title="Fremd")
    login_as(client, world["users"]["staff"])
    form = (
        client.get("/verwaltung/advisory_board/document/add/", {"meeting": meeting.pk})
        .context["adminform"]
        .form
    )
    assert [label for value, label in form.fields["agenda_item"].choices if value] == [
        f"{meeting} – TOP 1: Begrüßung"
    ]


DOCUMENTS = "/verwaltung/advisory_board/document/"


def document_form(document, **changes):
    return {
        "meeting": document.meeting_id,
        "agenda_item": "",
        "kind": document.kind,
        "title": document.title,
        "visibility": document.visibility,
        "published_at_0": "01.01.2020",
        "published_at_1": "10:00:00",
        "approval_item": "",
        "approved_on": "",
        **NO_EARLIER_VERSIONS,
        **changes,
    }


def document_link_from_meeting(client, meeting, document):
    """The address of the document's page as the meeting's page links to it."""
    page = client.get(f"{URL}{meeting.pk}/change/").content.decode()
    found = re.search(rf'href="({DOCUMENTS}{document.pk}/change/\?[^"]+)"', page)
    assert found, "the meeting page links to the document with the way back"
    return unescape(found.group(1))


def test_a_document_opened_from_its_meeting_returns_there_when_saved(client, world, meeting):
    login_as(client, world["users"]["staff"])
    document = world["documents"]["members"]
    url = document_link_from_meeting(client, meeting, document)
    response = client.post(url, document_form(document, title="Neuer Titel"))
    assert response.status_code == 302
    assert response.url == f"{URL}{meeting.pk}/change/"
    document.refresh_from_db()
    assert document.title == "Neuer Titel"


@pytest.mark.parametrize(("button", "lands_on"), [("_continue", "change"), ("_addanother", "add")])
def test_saving_and_going_on_keeps_the_way_back_to_the_meeting(
    client, world, meeting, button, lands_on
):
    login_as(client, world["users"]["staff"])
    document = world["documents"]["members"]
    url = document_link_from_meeting(client, meeting, document)
    response = client.post(url, {**document_form(document), button: "1"})
    assert response.status_code == 302
    target = f"{DOCUMENTS}{document.pk}/change/" if lands_on == "change" else f"{DOCUMENTS}add/"
    assert response.url.startswith(target + "?")
    # Saved once more from there, the document returns to its meeting.
    again = client.post(response.url, document_form(document)) if lands_on == "change" else None
    if again is not None:
        assert again.url == f"{URL}{meeting.pk}/change/"
    else:
        assert f"zurueck={quote(f'{URL}{meeting.pk}/change/', safe='')}" in response.url


@pytest.mark.parametrize("back", ["https://example.com/", "//example.com/verwaltung/", ""])
def test_a_way_back_to_elsewhere_is_ignored(client, world, meeting, back):
    login_as(client, world["users"]["staff"])
    document = world["documents"]["members"]
    response = client.post(
        f"{DOCUMENTS}{document.pk}/change/?zurueck={quote(back, safe='')}", document_form(document)
    )
    assert response.status_code == 302
    assert response.url.startswith(DOCUMENTS) and "example.com" not in response.url


# --- Finding meetings --------------------------------------------------------------------------


@pytest.fixture
def numbered(world):
    board = world["board"]
    return {
        9: make_meeting(
            board, number=9, starts_at=datetime.datetime(2027, 1, 16, 10, 0, tzinfo=BERLIN)
        ),
        19: make_meeting(
            board, number=19, starts_at=datetime.datetime(2029, 6, 9, 10, 0, tzinfo=BERLIN)
        ),
        # 23:30 in Erfurt is the next day in UTC: the date is the local one.
        10: make_meeting(
            board, number=10, starts_at=datetime.datetime(2027, 4, 16, 23, 30, tzinfo=BERLIN)
        ),
    }


@pytest.mark.parametrize(
    ("term", "numbers"),
    [
        ("9", {9}),
        ("9.", {9}),
        ("9. Sitzung", {9}),
        ("9. sitzung", {9}),
        ("16.01.2027", {9}),
        ("16.1.2027", {9}),
        ("16.1.27", {9}),
        ("9. Sitzung am 16.01.2027", {9}),
        ("16.04.2027", {10}),
        ("9. Sitzung am 09.06.2029", set()),
        ("31.02.2027", set()),
    ],
)
def test_the_meeting_search_finds_number_and_german_date(client, world, numbered, term, numbers):
    login_as(client, world["users"]["staff"])
    response = client.get(URL, {"q": term})
    assert response.status_code == 200
    found = {meeting.number for meeting in response.context["cl"].result_list}
    assert found == numbers


def test_the_meeting_search_still_finds_places_and_agenda(client, world, numbered):
    AgendaItem.objects.create(meeting=numbered[19], position=1, title="Haushalt 2029")
    login_as(client, world["users"]["staff"])
    found = client.get(URL, {"q": "Haushalt"}).context["cl"].result_list
    assert [meeting.number for meeting in found] == [19]


@pytest.mark.parametrize("term", ["9. Sitzung", "16.01.2027", "16.1.2027"])
def test_the_meeting_autocomplete_finds_number_and_date(client, world, numbered, term):
    login_as(client, world["users"]["staff"])
    response = client.get(
        "/verwaltung/autocomplete/",
        {
            "term": term,
            "app_label": "advisory_board",
            "model_name": "document",
            "field_name": "meeting",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["9. Sitzung am 16.01.2027"]


# --- Lists ------------------------------------------------------------------------------------


def test_the_meeting_list_shows_replies(client, world):
    from advisory_board.models import Reply

    meeting = world["meeting"]
    Reply.objects.create(meeting=meeting, person=world["people"]["member"], answer="ja")
    Reply.objects.create(meeting=meeting, person=world["people"]["former_member"], answer="nein")
    login_as(client, world["users"]["staff"])
    page = client.get(URL).content.decode()
    assert "1 ja, 1 nein" in page and str(meeting) in page


def test_the_person_list_shows_role_organisation_and_current_membership(client, world):
    people = world["people"]
    Membership.objects.filter(person=people["member"]).update(
        role=Membership.Role.CHAIR, organisation="ThASG e.V."
    )
    login_as(client, world["users"]["staff"])
    response = client.get("/verwaltung/advisory_board/person/")
    rows = {person.pk: person for person in response.context["cl"].result_list}
    admin = response.context["cl"].model_admin
    member, former = rows[people["member"].pk], rows[people["former_member"].pk]
    assert admin.role(member) == "Vorsitz" and admin.organisation(member) == "ThASG e.V."
    assert admin.is_member(member) is True and admin.is_member(former) is False
    page = response.content.decode()
    assert "Vorsitz" in page and "ThASG e.V." in page and "Rolle" in page


def test_the_person_list_costs_the_same_queries_for_many_people(client, world):
    login_as(client, world["users"]["staff"])
    url = "/verwaltung/advisory_board/person/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(10):
        person = make_member(world["board"], make_user())
        Membership.objects.filter(person=person).update(organisation=f"Verband {number}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_meeting_list_costs_the_same_queries_for_many_meetings(client, world):
    login_as(client, world["users"]["staff"])
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for number in range(20, 30):
        make_document(make_meeting(world["board"], number=number))
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
