"""The meeting book (Sitzungsmappe): one PDF per meeting and reader, with a cover, every document
the reader may see in agenda order and bookmarks; built once per set of document versions, on the
local disk and in object storage alike."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from advisory_board.models import AgendaItem, DownloadLog
from koss.core.demo import demo_pdf

from ..factories import make_document, make_meeting
from ..hostile_pdfs import (
    FORBIDDEN,
    SAFE_LINK,
    deeply_nested_pdf,
    names_and_strings,
    pdf_with_actions,
)
from .conftest import VISIBLE, VISITORS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("storage_backend")]


def real_pdf(title, pages=1):
    """A PDF of `pages` pages, each naming the title."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.append(PdfReader(io.BytesIO(demo_pdf(title, ["Seite einer Unterlage"]))))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.fixture
def book_world(world):
    """The access world, with real PDFs instead of placeholders."""
    for document in world["documents"].values():
        document.file = ContentFile(real_pdf(document.title), name=f"{document.pk}.pdf")
        document.save()
    return world


def book_url(meeting):
    return reverse("advisory_board:book", args=[meeting.pk])


def book_of(response):
    assert response.status_code == 200, response.status_code
    return PdfReader(io.BytesIO(b"".join(response.streaming_content)))


def outline_of(reader):
    """The bookmarks as (depth, title, page number counted from 1)."""

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, item.title, reader.get_destination_page_number(item) + 1

    return list(walk(reader.outline, 0))


def stored_books():
    try:
        return sorted(default_storage.listdir("board/books")[1])
    except FileNotFoundError:  # a directory on the local disk that was never made
        return []


BOOK_READERS = {"member", "staff"}


@pytest.mark.parametrize("visitor", VISITORS)
def test_only_the_boards_members_and_staff_get_the_book(login, book_world, visitor):
    response = login(visitor).get(book_url(book_world["meeting"]))
    if visitor == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/konto/login/")
        return
    if visitor not in BOOK_READERS:
        assert response.status_code == 404
        assert not DownloadLog.objects.exists()
        return
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    reader = book_of(response)
    expected = {
        book_world["documents"][key].title
        for key in VISIBLE[visitor]
        if book_world["documents"][key].meeting == book_world["meeting"]
    }
    titles = {title for depth, title, page in outline_of(reader) if depth == 1}
    # Minutes not yet approved are marked in their bookmark as on the cover.
    assert titles == {
        book_world["documents"][key].title
        + (" (Entwurf)" if book_world["documents"][key].is_minutes_draft else "")
        for key in VISIBLE[visitor]
        if book_world["documents"][key].meeting == book_world["meeting"]
    }
    # The cover, then one page per document.
    assert len(reader.pages) == 1 + len(expected)
    logged = DownloadLog.objects.filter(via_book=True)
    assert {log.document.title for log in logged} == expected
    assert {log.user for log in logged} == {book_world["users"][visitor]}


def test_another_boards_meeting_has_no_book_for_a_member(login, book_world):
    assert login("member").get(book_url(book_world["other_meeting"])).status_code == 404


def test_cover_names_board_meeting_date_time_place_and_agenda_in_german(login, world):
    meeting = world["meeting"]
    meeting.location = "Schloß „Friedenstein“ – Gotha"
    meeting.save()
    AgendaItem.objects.create(meeting=meeting, position=1, title="Begrüßung und Übersicht")
    AgendaItem.objects.create(meeting=meeting, position=2, title="Größere Vorhaben „2027“ & <b>")
    cover = book_of(login("member").get(book_url(meeting))).pages[0].extract_text()
    assert "Sitzungsmappe" in cover
    assert "Beirat" in cover and "5. Sitzung" in cover
    assert "Ort: Schloß „Friedenstein“ – Gotha" in cover
    assert "TOP 1" in cover and "Begrüßung und Übersicht" in cover
    # Titles are text, never markup.
    assert "Größere Vorhaben „2027“ & <b>" in cover
    assert "Uhr" in cover


def test_documents_follow_the_agenda_with_bookmarks_per_item_and_document(login, world):
    meeting = world["meeting"]
    first = AgendaItem.objects.create(meeting=meeting, position=1, title="Bericht")
    second = AgendaItem.objects.create(meeting=meeting, position=2, title="Haushalt")
    # Uploaded in another order than the agenda's.
    budget = make_document(
        meeting, "Haushaltsplan", agenda_item=second, content=real_pdf("H", 2), kind="sonstiges"
    )
    report = make_document(
        meeting, "Jahresbericht", agenda_item=first, content=real_pdf("J", 3), kind="sonstiges"
    )
    world["documents"]["members"].file = ContentFile(real_pdf("P"), name="protokoll.pdf")
    world["documents"]["members"].save()
    reader = book_of(login("member").get(book_url(meeting)))
    assert outline_of(reader) == [
        (0, "Deckblatt und Tagesordnung", 1),
        (0, "TOP 1: Bericht", 2),
        (1, report.title, 2),
        (0, "TOP 2: Haushalt", 5),
        (1, budget.title, 5),
        (0, "Weitere Unterlagen", 7),
        (1, "Protokoll für Mitglieder (Entwurf)", 7),
    ]
    assert len(reader.pages) == 7
    assert reader.page_mode == "/UseOutlines"
    # The cover says where each document begins.
    cover = reader.pages[0].extract_text()
    assert "Jahresbericht – ab Seite 2" in cover
    assert "Haushaltsplan – ab Seite 5" in cover


def test_documents_that_are_no_pdf_are_listed_on_the_cover_only(login, book_world):
    meeting = book_world["meeting"]
    sheet = make_document(
        meeting,
        "Tabelle der Mittel",
        content=b"PK\x03\x04" + b"\x00" * 100,
        kind="sonstiges",
    )
    sheet.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet.save(update_fields=["content_type"])
    reader = book_of(login("member").get(book_url(meeting)))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Tabelle der Mittel" in cover
    assert "liegt nicht als PDF vor – einzeln herunterladen" in cover
    assert sheet.title not in [title for depth, title, page in outline_of(reader)]
    # Nothing of it was sent, so nothing is logged.
    assert not DownloadLog.objects.filter(document=sheet).exists()


def test_a_broken_pdf_is_named_on_the_cover_and_the_rest_is_bound(login, book_world):
    meeting = book_world["meeting"]
    broken = make_document(meeting, "Beschädigte Datei", content=b"%PDF-1.4 kaputt")
    reader = book_of(login("member").get(book_url(meeting)))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Beschädigte Datei" in cover and "konnte nicht eingebunden werden" in cover
    assert len(reader.pages) == 3  # the cover, the public and the members' document
    assert not DownloadLog.objects.filter(document=broken).exists()


def test_book_is_built_once_and_then_sent_from_the_storage(login, book_world):
    client = login("member")
    first = b"".join(client.get(book_url(book_world["meeting"])).streaming_content)
    assert len(stored_books()) == 1
    # The second request reads no document: it sends the stored book.
    for document in book_world["documents"].values():
        default_storage.delete(document.file.name)
    second = b"".join(client.get(book_url(book_world["meeting"])).streaming_content)
    assert second == first
    assert DownloadLog.objects.filter(via_book=True).count() == 2 * 2


def test_readers_who_see_other_documents_get_another_book(login, book_world, client):
    login("member").get(book_url(book_world["meeting"]))
    client.logout()
    login("staff").get(book_url(book_world["meeting"]))
    assert len(stored_books()) == 2


def test_a_new_version_replaces_the_book(login, book_world):
    client = login("member")
    client.get(book_url(book_world["meeting"]))
    old = stored_books()
    document = book_world["documents"]["members"]
    document.file = ContentFile(real_pdf("Fassung 3", pages=2), name="fassung-3.pdf")
    document.save()
    reader = book_of(client.get(book_url(book_world["meeting"])))
    assert len(reader.pages) == 1 + 1 + 2
    assert "Fassung 3" in reader.pages[-1].extract_text()
    # The superseded book does not pile up.
    assert len(stored_books()) == 1 and stored_books() != old


def test_without_a_visible_document_there_is_no_book(login, world):
    for key in ("public", "members"):
        world["documents"][key].delete()
    assert login("member").get(book_url(world["meeting"])).status_code == 404


def test_while_a_worker_builds_the_book_the_reader_is_asked_to_return(login, book_world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = login("member").get(book_url(book_world["meeting"]))
    assert response.status_code == 202
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    assert "Die Sitzungsmappe wird zusammengestellt" in response.content.decode()
    assert not DownloadLog.objects.exists()
    assert stored_books() == []


@pytest.mark.local_disk
@pytest.mark.parametrize("visitor", VISITORS)
def test_meeting_page_links_the_book_for_its_readers(login, world, visitor):
    content = login(visitor).get(world["meeting"].get_absolute_url()).content.decode()
    assert (book_url(world["meeting"]) in content) == (visitor in BOOK_READERS)


@pytest.mark.local_disk
def test_book_of_30_documents(login, world, capsys):
    import time

    items = [
        AgendaItem.objects.create(meeting=world["meeting"], position=n, title=f"Punkt {n}")
        for n in range(1, 11)
    ]
    for n in range(30):
        make_document(
            world["meeting"],
            f"Unterlage {n}",
            agenda_item=items[n % 10],
            content=real_pdf(f"Unterlage {n}", pages=3),
        )
    started = time.perf_counter()
    response = login("member").get(book_url(world["meeting"]))
    content = b"".join(response.streaming_content)
    elapsed = time.perf_counter() - started
    reader = PdfReader(io.BytesIO(content))
    with capsys.disabled():
        print(
            f"\nBook of 30 documents (3 pages each) and 10 agenda items: {len(reader.pages)} "
            f"pages, {len(content)} bytes, built and sent in {elapsed * 1000:.0f} ms"
        )
    # The cover, then each agenda item with the list of its documents (the placeholders of the
    # world are no PDFs and stay on the cover).
    assert len(reader.outline) == 1 + 10 * 2
    assert elapsed < 10


def test_cover_lists_who_attended_and_a_change_of_attendance_gives_a_new_book(login, book_world):
    meeting, people = book_world["meeting"], book_world["people"]
    meeting.attendance.create(person=people["member"], status="anwesend")
    client = login("member")
    cover = book_of(client.get(book_url(meeting))).pages[0].extract_text()
    assert "Anwesenheit" in cover
    assert f"{people['member'].full_name} – anwesend" in cover

    meeting.attendance.update(status="entschuldigt", represented_by="Erika Beispiel")
    cover = book_of(client.get(book_url(meeting))).pages[0].extract_text()
    assert "entschuldigt, vertreten durch Erika Beispiel" in cover
    assert len(stored_books()) == 1


def test_draft_minutes_are_marked_and_their_approval_gives_a_new_book(login, book_world):
    meeting = book_world["meeting"]
    minutes = make_document(meeting, "Protokoll", content=real_pdf("Protokoll"), kind="protokoll")
    client = login("member")
    cover = book_of(client.get(book_url(meeting))).pages[0].extract_text()
    assert "Protokoll – Entwurf, noch nicht genehmigt" in cover

    minutes.approved_on = timezone.localdate()
    minutes.save()
    cover = book_of(client.get(book_url(meeting))).pages[0].extract_text()
    assert "Protokoll – Entwurf" not in cover and "Protokoll – ab Seite" in cover


def test_asking_again_while_the_book_is_built_starts_no_second_build(login, book_world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    client = login("member")
    for _ in range(3):
        assert client.get(book_url(book_world["meeting"])).status_code == 202
    assert len(default_task_backend.results) == 1


# A hostile PDF can neither stop the meeting book nor ride into it.


def test_a_pdf_nested_too_deeply_is_left_out_and_the_rest_is_bound(login, book_world, capsys):
    import time

    meeting = book_world["meeting"]
    # Stored as an upload before the upload check knew such files.
    hostile = make_document(meeting, "Verschachtelte Datei", content=deeply_nested_pdf())
    started = time.perf_counter()
    response = login("member").get(book_url(meeting))
    reader = book_of(response)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(
            f"\nBook with a PDF nested 5,000 levels deep: {response.status_code}, "
            f"{len(reader.pages)} pages, built and sent in {elapsed * 1000:.0f} ms"
        )
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Verschachtelte Datei" in cover and "konnte nicht eingebunden werden" in cover
    assert len(reader.pages) == 3  # the cover, the public and the members' document
    assert not DownloadLog.objects.filter(document=hostile).exists()
    assert elapsed < 10


def test_bound_pages_carry_no_actions_scripts_or_launch_links(login, book_world):
    meeting = book_world["meeting"]
    make_document(meeting, "Unterlage mit Skripten", content=pdf_with_actions())
    content = b"".join(login("member").get(book_url(meeting)).streaming_content)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 4
    assert "Seite einer Unterlage" in reader.pages[-1].extract_text()
    found = names_and_strings(reader)
    assert FORBIDDEN & found == set()
    assert not [text for text in found if "javascript:" in text.lower()]
    for word in (b"JavaScript", b"/JS", b"Launch", b"SubmitForm", b"/AA", b"calc.exe"):
        assert word not in content
    # A plain web link stays a link.
    assert SAFE_LINK.decode() in found
    links = [annotation.get_object() for annotation in reader.pages[-1].get("/Annots", [])]
    assert [link["/A"]["/URI"] for link in links if "/URI" in link.get("/A", {})] == [
        SAFE_LINK.decode()
    ]


@pytest.fixture
def failing_build(monkeypatch):
    """Every build of a book fails, as with a file that stops pypdf outside one document."""
    from advisory_board import meeting_book

    calls = []

    def fail(*args):
        calls.append(args)
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(meeting_book, "render_cover", fail)
    return calls


@pytest.mark.local_disk
def test_a_failing_book_is_tried_a_few_times_then_the_reader_gets_the_documents_one_by_one(
    login, book_world, failing_build
):
    import datetime

    import time_machine

    from advisory_board.meeting_book import MAX_ATTEMPTS
    from advisory_board.models import BookBuild

    meeting = book_world["meeting"]
    client = login("member")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            response = client.get(book_url(meeting))
            assert len(failing_build) == attempt
            if attempt < MAX_ATTEMPTS:
                assert response.status_code == 202
                # Asked again before the pause is over, nothing is built.
                assert client.get(book_url(meeting)).status_code == 202
                assert len(failing_build) == attempt
                clock.shift(datetime.timedelta(minutes=10))
        # Given up: a German page with each document to download on its own.
        for _ in range(2):
            response = client.get(book_url(meeting))
            clock.shift(datetime.timedelta(hours=1))
        assert len(failing_build) == MAX_ATTEMPTS
    assert response.status_code == 200
    page = response.content.decode()
    assert "Die Sitzungsmappe konnte nicht erstellt werden" in page
    for key in ("public", "members"):
        assert book_world["documents"][key].get_absolute_url() in page
    assert book_world["documents"]["staff"].get_absolute_url() not in page
    assert not DownloadLog.objects.exists()
    [failed] = BookBuild.objects.failed()
    assert failed.meeting == meeting and failed.attempts == MAX_ATTEMPTS
    assert "RecursionError" in failed.last_error

    # A new version of a document is another book, built afresh.
    document = book_world["documents"]["members"]
    document.file = ContentFile(real_pdf("Fassung 2"), name="fassung-2.pdf")
    document.save()
    assert client.get(book_url(meeting)).status_code == 202
    assert len(failing_build) == MAX_ATTEMPTS + 1


@pytest.mark.local_disk
@pytest.mark.django_db(transaction=True)
def test_a_failed_book_waits_in_the_queue_for_its_retry(login, book_world, settings, monkeypatch):
    """With the database queue, as in production, the retry is a task due after the pause."""
    import datetime

    import time_machine
    from django_tasks_db.models import DBTaskResult

    from advisory_board import meeting_book

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    render, attempts = meeting_book.render_cover, []

    def fail_once(*args):
        attempts.append(args)
        if len(attempts) == 1:
            raise RecursionError("maximum recursion depth exceeded")
        return render(*args)

    monkeypatch.setattr(meeting_book, "render_cover", fail_once)
    meeting = book_world["meeting"]
    client = login("member")
    assert client.get(book_url(meeting)).status_code == 202
    run_worker()
    assert len(attempts) == 1
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=30)
    run_worker()  # not due yet
    assert len(attempts) == 1
    assert client.get(book_url(meeting)).status_code == 202
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    with time_machine.travel(retry.run_after + datetime.timedelta(seconds=1)):
        run_worker()
    assert len(attempts) == 2
    assert book_of(client.get(book_url(meeting))).pages


def run_worker():
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--verbosity", "0"
    )


# The book binds what the agenda names.


@pytest.fixture
def minutes_up_for_approval(book_world):
    """The meeting's TOP 2 puts the minutes of the meeting before up for approval; that meeting
    has other documents, which are not this meeting's business."""
    meeting = book_world["meeting"]
    earlier = make_meeting(book_world["board"], number=4, days_ahead=-90)
    AgendaItem.objects.create(meeting=meeting, position=1, title="Begrüßung")
    approval = AgendaItem.objects.create(
        meeting=meeting, position=2, title="Genehmigung des Protokolls"
    )
    minutes = make_document(
        earlier,
        "Protokoll der 4. Sitzung",
        content=real_pdf("Protokoll der 4. Sitzung", pages=2),
        approval_item=approval,
    )
    make_document(
        earlier,
        "Anmerkung der Redaktion zum Protokoll",
        visibility="redaktion",
        content=real_pdf("Anmerkung"),
        approval_item=approval,
    )
    make_document(earlier, "Präsentation der 4. Sitzung", content=real_pdf("P4"), kind="sonstiges")
    return minutes


def test_the_book_binds_the_minutes_its_agenda_puts_up_for_approval(
    login, book_world, minutes_up_for_approval, client
):
    meeting = book_world["meeting"]
    reader = book_of(login("member").get(book_url(meeting)))
    assert outline_of(reader) == [
        (0, "Deckblatt und Tagesordnung", 1),
        (0, "TOP 2: Genehmigung des Protokolls", 2),
        (1, "Protokoll der 4. Sitzung (Entwurf)", 2),
        (0, "Weitere Unterlagen", 4),
        (1, "Öffentliche Präsentation", 4),
        (1, "Protokoll für Mitglieder (Entwurf)", 5),
    ]
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Protokoll der 4. Sitzung – Entwurf, noch nicht genehmigt – ab Seite 2" in cover
    assert "Präsentation der 4. Sitzung" not in cover
    assert "Anmerkung" not in cover
    logged = DownloadLog.objects.filter(via_book=True, document=minutes_up_for_approval)
    assert logged.count() == 1

    client.logout()
    staff = [
        title for depth, title, page in outline_of(book_of(login("staff").get(book_url(meeting))))
    ]
    assert staff[:4] == [
        "Deckblatt und Tagesordnung",
        "TOP 2: Genehmigung des Protokolls",
        "Protokoll der 4. Sitzung (Entwurf)",
        "Anmerkung der Redaktion zum Protokoll (Entwurf)",
    ]
    assert "Präsentation der 4. Sitzung" not in staff


def test_approving_or_replacing_the_minutes_up_for_approval_gives_a_new_book(
    login, book_world, minutes_up_for_approval
):
    meeting, minutes = book_world["meeting"], minutes_up_for_approval
    client = login("member")
    client.get(book_url(meeting))
    minutes.file = ContentFile(real_pdf("Protokoll, Fassung 2", pages=3), name="fassung-2.pdf")
    minutes.save()
    reader = book_of(client.get(book_url(meeting)))
    assert len(reader.pages) == 1 + 3 + 2
    assert "Protokoll, Fassung 2" in reader.pages[1].extract_text()

    minutes.approved_on = timezone.localdate()
    minutes.save()
    reader = book_of(client.get(book_url(meeting)))
    assert (1, "Protokoll der 4. Sitzung", 2) in outline_of(reader)
    assert "Protokoll der 4. Sitzung – ab Seite 2" in " ".join(
        reader.pages[0].extract_text().split()
    )
    assert len(stored_books()) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker runs in a process of its own, which cannot open SQLite's test database "
    "in memory; the suite's PostgreSQL run covers it",
)
@pytest.mark.local_disk
@pytest.mark.django_db(transaction=True)
def test_a_book_task_left_running_by_a_killed_worker_is_taken_up_again(login, book_world, settings):
    """The production worker, killed with SIGKILL while it builds a book, leaves the task
    RUNNING and a partial file; after the timeout the task is taken up again, the file removed."""
    import datetime
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    import time_machine
    from django.conf import settings as django_settings
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    meeting = book_world["meeting"]
    slow = make_document(meeting, "Langsam gelesene Datei", content=real_pdf("Langsam"))
    # A named pipe: the worker's read of it waits until the test kills the worker.
    path = Path(slow.file.path)
    content = path.read_bytes()
    path.unlink()
    os.mkfifo(path)
    client = login("member")
    assert client.get(book_url(meeting)).status_code == 202
    books = Path(settings.MEDIA_ROOT) / "board" / "books"
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "KOSS_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_DEBUG": "0",
    }

    def worker(*arguments):
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-startup-delay",
                "--no-reload",
                *arguments,
            ],
            cwd=django_settings.BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
        )

    process = worker("--interval", "0.1")
    try:
        for _ in range(300):
            partial = list(books.glob(".*.part")) if books.exists() else []
            if partial:
                break
            time.sleep(0.1)
        assert partial, "the worker never began the book"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        process.kill()
    [task] = DBTaskResult.objects.all()
    assert task.status == "RUNNING"
    path.unlink()
    path.write_bytes(content)

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        call_command("recover_tasks", verbosity=0)
    task.refresh_from_db()
    assert task.status == "READY"
    assert not list(books.glob(".*.part"))
    worker("--batch").wait(60)
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    reader = book_of(client.get(book_url(meeting)))
    assert len(reader.pages) == 1 + 3
