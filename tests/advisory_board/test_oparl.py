"""OParl 1.1 at /oparl/v1.1/: every object valid against the OParl schemas, reached from the System
through every list; public data only, the same for every visitor; lists paginated in a stable
order, filtered by when objects were created and modified, with what stopped being public told
as deleted."""

import datetime
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from advisory_board.models import AgendaItem, Board, Document, Membership, Person, Term
from advisory_board.oparl import views as oparl_views
from koss.core.cache import start_new_generation

from ..factories import login_as, make_document, make_meeting, make_member

pytestmark = pytest.mark.django_db

PUBLIC = "https://koss.example.org"
ROOT = f"{PUBLIC}/oparl/v1.1/"
SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "data" / "oparl-1.1-schema"
TYPE = "https://schema.oparl.org/1.1/"


def _registry():
    """The schemas under the addresses their `$ref`s name (`Body.json`, `Organization`), all read
    from the disk: validating never asks the network."""
    registry = Registry()
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource(contents=schema, specification=DRAFT7)
        registry = registry.with_resources(
            [(schema["$id"], resource), (schema["$id"] + ".json", resource)]
        )
    return registry


FORMATS = FormatChecker()


@FORMATS.checks("url")
def _is_url(value):
    if not isinstance(value, str):
        return True  # the type is the schema's `type` to check
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@FORMATS.checks("date-time", raises=ValueError)
def _is_moment(value):
    return not isinstance(value, str) or datetime.datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("date", raises=ValueError)
def _is_day(value):
    return not isinstance(value, str) or bool(datetime.date.fromisoformat(value))


REGISTRY = _registry()


def schema_errors(obj):
    """What the OParl schema of the object's type finds wrong with it."""
    name = obj["type"].removeprefix(TYPE)
    validator = Draft7Validator(
        REGISTRY.contents(TYPE + name), registry=REGISTRY, format_checker=FORMATS
    )
    return [f"{obj['id']}: {error.message}" for error in validator.iter_errors(obj)]


def test_the_schemas_are_read_from_the_disk_and_find_errors():
    assert len(list(SCHEMAS.glob("*.json"))) == 12
    # A missing required attribute and an embedded object of the wrong form are found.
    assert schema_errors({"id": f"{ROOT}body/koss/", "type": TYPE + "Body", "name": "KOSS"})
    meeting = {"id": f"{ROOT}meeting/1/", "type": TYPE + "Meeting", "agendaItem": [{"id": 1}]}
    assert schema_errors(meeting)
    assert schema_errors({"id": "keine Adresse", "type": TYPE + "File", "accessUrl": ROOT})


@pytest.fixture
def oparl(world, settings):
    """The board's world of tests/advisory_board/conftest.py, with what OParl must leave out:
    a person without consent, draft minutes marked public, a prepared meeting and its public
    document, the agenda's titles."""
    settings.KOSS_BASE_URL = PUBLIC
    board, meeting = world["board"], world["meeting"]
    Term.objects.create(
        board=board, name="Amtszeit 2014–2016", starts_on=datetime.date(2014, 10, 6)
    )
    hidden = make_member(board, first_name="Nina", last_name="Verborgen", public_consent=False)
    other_hidden = make_member(
        world["other_meeting"].board,
        first_name="Otto",
        last_name="Ohnezustimmung",
        public_consent=False,
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Haushalt vertraulich")
    approved = make_document(
        meeting,
        "Genehmigtes Protokoll",
        visibility="oeffentlich",
        approved_on=timezone.localdate(),
        agenda_item=item,
    )
    draft = make_document(meeting, "Protokollentwurf zur Ansicht", visibility="oeffentlich")
    prepared = make_meeting(board, number=6, announced_at=None)
    AgendaItem.objects.create(meeting=prepared, position=1, title="Vorbereiteter Punkt")
    prepared_document = make_document(
        prepared, "Vorbereitetes Dokument", visibility="oeffentlich", kind="einladung"
    )
    documents = world["documents"]
    return {
        **world,
        "public_documents": [documents["public"], approved],
        "private_documents": [
            documents[key] for key in ("members", "staff", "unreleased", "other_board")
        ]
        + [draft, prepared_document],
        "hidden_people": [hidden, other_hidden],
        "prepared": prepared,
        "secret_titles": ["Haushalt vertraulich", "Vorbereiteter Punkt"],
    }


def get_json(client, url):
    assert url.startswith(ROOT), url
    response = client.get(url.removeprefix(PUBLIC))
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert not response.cookies
    return response.json(), response.content.decode("utf-8")


def addresses_in(value):
    """Every address of the endpoint named anywhere in a JSON value."""
    if isinstance(value, dict):
        return {found for item in value.values() for found in addresses_in(item)}
    if isinstance(value, list):
        return {found for item in value for found in addresses_in(item)}
    if isinstance(value, str) and value.startswith(ROOT):
        return {value}
    return set()


def objects_in(value):
    """Every OParl object in a JSON value, embedded ones included."""
    if isinstance(value, list):
        return [found for item in value for found in objects_in(item)]
    if not isinstance(value, dict):
        return []
    found = [value] if str(value.get("type", "")).startswith(TYPE) else []
    return found + [inner for item in value.values() for inner in objects_in(item)]


def walk(client):
    """From the System through every list, page and object: the bodies of all answers, and
    every object met (each embedded one too)."""
    seen, waiting, bodies, objects = set(), [ROOT], [], []
    while waiting:
        url = waiting.pop()
        if url in seen:
            continue
        seen.add(url)
        data, body = get_json(client, url)
        bodies.append(body)
        objects += objects_in(data)
        waiting += sorted(addresses_in(data) - seen)
    return seen, bodies, objects


def test_the_walk_from_the_system_finds_every_public_object_valid_and_nothing_private(
    oparl, monkeypatch
):
    # Two to a page: every list is followed across its pages.
    monkeypatch.setattr(oparl_views, "PER_PAGE", 2)
    seen, bodies, objects = walk(Client())
    errors = [error for obj in objects for error in schema_errors(obj)]
    assert errors == []
    print(f"OParl walk: {len(objects)} objects validated in {len(seen)} answers, 0 errors")
    ids = {obj["id"] for obj in objects}
    types = {obj["type"].removeprefix(TYPE) for obj in objects}
    assert types == {
        "System",
        "Body",
        "Organization",
        "LegislativeTerm",
        "Person",
        "Membership",
        "Meeting",
        "Location",
        "AgendaItem",
        "File",
    }
    for document in oparl["public_documents"]:
        assert f"{ROOT}file/{document.pk}/" in ids
    public_people = Person.objects.filter(memberships__public_consent=True).distinct()
    assert {f"{ROOT}person/{person.pk}/" for person in public_people} <= ids
    assert f"{ROOT}meeting/{oparl['meeting'].pk}/" in ids
    everything = "\n".join(bodies)
    for document in oparl["private_documents"]:
        assert document.title not in everything
        assert f"{ROOT}file/{document.pk}/" not in everything
        assert document.get_absolute_url() not in everything
    for person in oparl["hidden_people"]:
        assert person.last_name not in everything
        assert f"{ROOT}person/{person.pk}/" not in everything
    for membership in Membership.objects.filter(public_consent=False):
        assert f"{ROOT}membership/{membership.pk}/" not in everything
    assert f"{ROOT}meeting/{oparl['prepared'].pk}/" not in everything
    for title in oparl["secret_titles"]:
        assert title not in everything
    assert "@example.org" not in everything.replace(settings.KOSS_CONTACT_EMAIL, "")
    assert "testserver" not in everything


def test_a_file_leads_to_the_permission_checked_download(oparl):
    document = oparl["public_documents"][0]
    data, _body = get_json(Client(), f"{ROOT}file/{document.pk}/")
    download = f"{PUBLIC}{document.get_absolute_url()}"
    assert data["accessUrl"] == data["downloadUrl"] == download
    assert data["mimeType"] == "application/pdf" and data["size"] == document.size
    assert data["date"] == timezone.localdate(document.published_at).isoformat()
    assert Client().get(document.get_absolute_url()).status_code == 200


def test_a_meeting_tells_number_place_times_and_cancellation(oparl):
    meeting = oparl["meeting"]
    meeting.status = meeting.Status.CANCELLED
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=2)
    meeting.save()
    data, _body = get_json(Client(), f"{ROOT}meeting/{meeting.pk}/")
    assert "5. Sitzung am" in data["name"]
    assert data["cancelled"] is True
    assert data["start"] == timezone.localtime(meeting.starts_at).isoformat(timespec="seconds")
    assert data["end"] == timezone.localtime(meeting.ends_at).isoformat(timespec="seconds")
    assert data["location"]["description"] == "Staatskanzlei, Erfurt"
    assert [item["order"] for item in data["agendaItem"]] == [1]
    # Cancelled meetings stay: they are not deleted.
    assert "deleted" not in data


@pytest.mark.parametrize(
    "visitor",
    ["member", "former_member", "other_board_member", "staff", "staff_without_second_factor"],
)
def test_every_visitor_gets_what_anonymous_visitors_get(oparl, visitor, settings):
    settings.KOSS_REQUIRE_STAFF_2FA = True
    client = Client()
    if visitor == "staff_without_second_factor":
        client.force_login(oparl["users"]["staff"])
    else:
        login_as(client, oparl["users"][visitor])
    for path in ("", "body/koss/", "person/", "membership/", "meeting/", "file/", "agenda-item/"):
        assert get_json(client, ROOT + path)[0] == get_json(Client(), ROOT + path)[0], path
    for document in oparl["private_documents"]:
        assert client.get(f"/oparl/v1.1/file/{document.pk}/").status_code == 404


def test_private_objects_are_not_found_by_their_address(oparl):
    client = Client()
    paths = [f"file/{document.pk}/" for document in oparl["private_documents"]]
    paths += [f"person/{person.pk}/" for person in oparl["hidden_people"]]
    paths += [f"meeting/{oparl['prepared'].pk}/", f"location/{oparl['prepared'].pk}/"]
    paths += ["paper/1/", "gibt-es-nicht/", "body/anderer/"]
    for path in paths:
        response = client.get(f"/oparl/v1.1/{path}")
        assert response.status_code == 404, path
        assert response.json() == {"error": "Dieses Objekt gibt es nicht."}
        assert response["Access-Control-Allow-Origin"] == "*"


def test_lists_are_paginated_in_a_stable_order_with_the_filters_in_the_links(oparl, monkeypatch):
    monkeypatch.setattr(oparl_views, "PER_PAGE", 1)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    url = f"{ROOT}person/?created_since={since.replace('+', '%2B')}&utm_source=x"
    ids = []
    while url:
        data, _body = get_json(Client(), url)
        ids += [person["id"] for person in data["data"]]
        assert data["pagination"]["elementsPerPage"] == 1
        url = data["links"].get("next")
        if url:
            assert parse_qs(urlsplit(url).query)["created_since"] == [since]
            assert "utm_source" not in url
    public = Person.objects.public().order_by("pk")
    assert ids == [f"{ROOT}person/{person.pk}/" for person in public]
    assert len(ids) == data["pagination"]["totalElements"] == 3


def test_created_and_modified_filters_bound_the_lists(oparl):
    meeting = oparl["meeting"]
    past = timezone.now() - datetime.timedelta(days=10)
    Document.objects.filter(pk=oparl["public_documents"][0].pk).update(created_at=past)
    Document.objects.update(updated_at=past)
    type(meeting).objects.update(updated_at=past)
    middle = (past + datetime.timedelta(days=1)).isoformat().replace("+", "%2B")

    def files(query):
        return [item["id"] for item in get_json(Client(), f"{ROOT}file/?{query}")[0]["data"]]

    older, newer = oparl["public_documents"]
    assert files(f"created_until={middle}") == [f"{ROOT}file/{older.pk}/"]
    assert files(f"created_since={middle}") == [f"{ROOT}file/{newer.pk}/"]
    # Both were released an hour ago: that is when they last changed as OParl sees it.
    assert len(files(f"modified_since={middle}")) == 2
    assert files(f"modified_until={middle}") == []


def test_with_modified_since_what_stopped_being_public_is_deleted(oparl):
    long_ago = timezone.now() - datetime.timedelta(days=10)
    for model in (Board, Person, Membership, Document):
        model.objects.update(created_at=long_ago, updated_at=long_ago)
    type(oparl["meeting"]).objects.update(updated_at=long_ago)
    Document.objects.filter(published_at__isnull=False).update(published_at=long_ago)
    since = timezone.now() - datetime.timedelta(days=1)
    # A member withdraws consent; a public document becomes members-only.
    withdrawn = oparl["people"]["member"].memberships.get()
    withdrawn.public_consent = False
    withdrawn.save()
    document = Document.objects.get(pk=oparl["public_documents"][0].pk)
    document.visibility = Document.Visibility.MEMBERS
    document.save()
    # Made after `since` and never public: no client can hold it, it is not named at all.
    new_draft = make_document(oparl["meeting"], "Neuer Entwurf", visibility="mitglieder")
    query = "modified_since=" + since.isoformat().replace("+", "%2B")

    people = get_json(Client(), f"{ROOT}person/?{query}")[0]["data"]
    person = oparl["people"]["member"]
    assert people == [
        {
            "id": f"{ROOT}person/{person.pk}/",
            "type": TYPE + "Person",
            "created": timezone.localtime(long_ago).isoformat(timespec="seconds"),
            "modified": people[0]["modified"],
            "deleted": True,
        }
    ]
    memberships = get_json(Client(), f"{ROOT}membership/?{query}")[0]["data"]
    assert [(item["id"], item.get("deleted")) for item in memberships] == [
        (f"{ROOT}membership/{withdrawn.pk}/", True)
    ]
    # The board lists one membership less: it changed, and is no deleted object.
    boards = get_json(Client(), f"{ROOT}organization/?{query}")[0]["data"]
    assert [item["id"] for item in boards] == [f"{ROOT}organization/{oparl['board'].pk}/"]
    assert "deleted" not in boards[0]
    assert f"{ROOT}membership/{withdrawn.pk}/" not in boards[0].get("membership", [])
    files, body = get_json(Client(), f"{ROOT}file/?{query}")
    assert [(item["id"], item.get("deleted")) for item in files["data"]] == [
        (f"{ROOT}file/{document.pk}/", True)
    ]
    assert document.title not in body and "Maria" not in body
    assert f"file/{new_draft.pk}/" not in body
    for item in people + memberships + files["data"]:
        assert schema_errors(item) == []
    # Without the filter, the withdrawn are simply absent.
    people = get_json(Client(), f"{ROOT}person/")[0]["data"]
    assert f"{ROOT}person/{person.pk}/" not in {item["id"] for item in people}


@pytest.mark.parametrize("value", ["gestern", "2026-13-01", "31.01.2026"])
def test_a_bad_filter_gets_a_german_message(oparl, value):
    response = Client().get("/oparl/v1.1/meeting/", {"modified_since": value})
    assert response.status_code == 400
    assert response.json() == {
        "error": "Der Filter „modified_since“ erwartet einen Zeitpunkt nach ISO 8601, "
        "z. B. 2026-01-31T12:00:00+01:00."
    }
    assert Client().get("/oparl/v1.1/meeting/", {"page": "9"}).status_code == 404


def test_a_moment_without_offset_or_with_an_unencoded_plus_is_understood(oparl):
    moment = timezone.localtime() - datetime.timedelta(days=1)
    for value in (
        moment.isoformat(),
        moment.replace(tzinfo=None).isoformat(),
        moment.date().isoformat(),
    ):
        response = Client().get(f"/oparl/v1.1/meeting/?created_since={value}")
        assert response.status_code == 200, value
        assert len(response.json()["data"]) == 2, value


def grow(world, number):
    """`number` more of everything: public people, meetings, agenda items and files."""
    board = world["board"]
    for _ in range(number):
        make_member(board)
        meeting = make_meeting(board)
        AgendaItem.objects.create(meeting=meeting, position=1, title="Punkt")
        make_document(meeting, visibility="oeffentlich", kind="praesentation")
        Term.objects.create(board=board, name="Amtszeit", starts_on=datetime.date(2016, 10, 6))


def queries(path):
    # As after staff's change: no page is served from the cache.
    start_new_generation()
    with CaptureQueriesContext(connection) as context:
        assert Client().get(path).status_code == 200
    return len(context.captured_queries)


def test_queries_stay_the_same_as_the_lists_grow(oparl):
    paths = ["/oparl/v1.1/", "/oparl/v1.1/body/", "/oparl/v1.1/body/koss/"]
    paths += [f"/oparl/v1.1/{path}/" for path in oparl_views.LISTS]
    since = "?modified_since=" + (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    paths += [f"/oparl/v1.1/{path}/{since}" for path in oparl_views.LISTS]
    grow(oparl, 1)
    small = {path: queries(path) for path in paths}
    grow(oparl, 5)
    large = {path: queries(path) for path in paths}
    assert small == large
    assert max(large.values()) <= 8
