import io
import time
import zipfile

import pytest
from django.urls import reverse

from advisory_board.models import AgendaItem

from ..factories import make_document

pytestmark = pytest.mark.django_db


def fill_meeting(meeting, documents):
    items = [
        AgendaItem.objects.create(meeting=meeting, position=n, title=f"TOP {n}")
        for n in range(1, 11)
    ]
    for n in range(documents):
        make_document(
            meeting,
            f"Unterlage {n}",
            agenda_item=items[n % 10],
            content=b"%PDF-1.4 " + b"x" * 20_000,
        )


@pytest.mark.parametrize("documents", [3, 30])
def test_meeting_page_queries_are_constant(login, world, django_assert_num_queries, documents):
    fill_meeting(world["meeting"], documents)
    client = login("member")
    # Session and user, the user's person and boards, the meeting with the reply, the visit
    # being recorded, documents, agenda, the comments on the minutes, news, decisions and
    # tasks (attendance is read from the meeting's day on: not for this planned meeting).
    with django_assert_num_queries(10):
        response = client.get(world["meeting"].get_absolute_url())
    assert response.content.decode().count("Unterlage ") == documents
    # Moments later, in the same visit, the visit is not written again.
    with django_assert_num_queries(9):
        client.get(world["meeting"].get_absolute_url())


@pytest.mark.parametrize("documents", [3, 30])
def test_members_area_queries_are_constant(login, world, django_assert_num_queries, documents):
    fill_meeting(world["meeting"], documents)
    client = login("member")
    # Session and user, the open written votes, person and boards, open date polls, next meeting
    # with the reply, agenda, open tasks, new documents, drafts of minutes open for comments, past
    # meetings, and the visit being recorded.
    with django_assert_num_queries(12):
        client.get(reverse("advisory_board:members"))


def test_zip_of_30_documents(login, world, capsys):
    fill_meeting(world["meeting"], 30)
    client = login("member")
    started = time.perf_counter()
    response = client.get(reverse("advisory_board:zip", args=[world["meeting"].pk]))
    content = b"".join(response.streaming_content)
    elapsed = time.perf_counter() - started
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert len(archive.namelist()) == 32  # 30 + the public and the members' document
    with capsys.disabled():
        print(
            f"\nZIP of 32 documents (30 × 20 KB plus 2): {elapsed * 1000:.0f} ms, {len(content)} bytes"
        )
    assert elapsed < 5
