import datetime

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from advisory_board.models import DownloadLog, Reply

from ..factories import make_board, make_document, make_meeting, make_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"


def account(email):
    user = make_user(email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def board_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    board = make_board(is_current=True)
    make_member(board, account("mitglied@example.org"), first_name="Maria", last_name="Mitglied")
    make_member(board, account("ehemalig@example.org"), ends_on=datetime.date(2016, 10, 5))
    meeting = make_meeting(board, number=9)
    document = make_document(meeting, "Einladung zur 9. Sitzung", kind="einladung")
    return {"meeting": meeting, "document": document}


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/beirat/intern/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/beirat/intern/")


def test_member_sees_a_new_document_downloads_it_and_replies(live_server, page, board_world):
    log_in(page, live_server, "mitglied@example.org")
    new_documents = page.get_by_role("region", name="Neue Dokumente seit Ihrem letzten Besuch")
    link = new_documents.get_by_role("link", name="Einladung zur 9. Sitzung")
    expect(link).to_be_visible()
    expect(new_documents.get_by_text("neu", exact=True)).to_be_visible()

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF")
    assert DownloadLog.objects.filter(document=board_world["document"]).count() == 1

    page.get_by_role("link", name="Zur Rückmeldung").click()
    page.get_by_label("Ich nehme teil", exact=True).check()
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Danke! Sie haben zugesagt.")).to_be_visible()
    assert Reply.objects.get().answer == "ja"


def test_former_member_can_log_in_but_gets_no_documents(live_server, page, board_world):
    log_in(page, live_server, "ehemalig@example.org")
    expect(page.get_by_text("Ihre Mitgliedschaft im Beirat ist beendet")).to_be_visible()
    expect(page.get_by_text("Einladung zur 9. Sitzung")).to_have_count(0)
    response = page.request.get(f"{live_server.url}{board_world['document'].get_absolute_url()}")
    assert response.status == 404
    page.goto(f"{live_server.url}{board_world['meeting'].get_absolute_url()}")
    expect(page.get_by_text("den aktuellen Mitgliedern des Beirats vorbehalten")).to_be_visible()


def test_member_names_a_deputy_after_being_asked_for_the_name(live_server, page, board_world):
    log_in(page, live_server, "mitglied@example.org")
    page.goto(f"{live_server.url}{board_world['meeting'].get_absolute_url()}")
    page.get_by_label("Vertretung kommt:").check()
    page.get_by_label("Anmerkung (freiwillig)").fill("Sie bringt die Zahlen mit.")
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Bitte nennen Sie den Namen Ihrer Vertretung.")).to_be_visible()
    # What the member typed is kept.
    expect(page.get_by_label("Anmerkung (freiwillig)")).to_have_value("Sie bringt die Zahlen mit.")
    page.get_by_label("Name der Vertretung").fill("Petra Muster")
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Danke! Sie werden vertreten durch Petra Muster.")).to_be_visible()
    reply = Reply.objects.get()
    assert (reply.answer, reply.deputy_name, reply.comment) == (
        "vertretung",
        "Petra Muster",
        "Sie bringt die Zahlen mit.",
    )
