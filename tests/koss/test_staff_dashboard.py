"""The admin's start page shows the Redaktion what waits for them: the next meeting with its
replies, documents not yet published, mails waiting or failed, drafts and scheduled articles."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koss.models import Mail

from ..factories import (
    login_as,
    make_article,
    make_board,
    make_document,
    make_meeting,
    make_member,
    make_staff,
    make_user,
)

pytestmark = pytest.mark.django_db

INDEX = "/verwaltung/"


def make_mail(status, subject="Neue Dokumente"):
    return Mail.objects.create(
        recipient="mitglied@example.org",
        from_email="portal@example.org",
        subject=subject,
        body="Text",
        status=status,
    )


@pytest.fixture
def office(db):
    board = make_board(is_current=True)
    yes = make_member(board, first_name="Jana", last_name="Zusage")
    no = make_member(board, first_name="Norbert", last_name="Absage")
    make_member(board, first_name="Olga", last_name="Offen")
    make_member(board, first_name="Fritz", last_name="Frueher", ends_on=datetime.date(2016, 1, 1))
    make_meeting(board, number=8, days_ahead=-30)
    meeting = make_meeting(
        board,
        number=9,
        starts_at=timezone.make_aware(datetime.datetime(2027, 1, 16, 10, 0)),
        location="Staatskanzlei, Erfurt",
    )
    make_meeting(board, number=10, days_ahead=500)
    meeting.replies.create(person=yes, answer="ja")
    meeting.replies.create(person=no, answer="nein")
    make_document(meeting, "Einladung zur 9. Sitzung", released=False)
    make_document(meeting, "Protokoll der 8. Sitzung")
    make_document(meeting, "Vermerk nur für die Redaktion", visibility="redaktion", released=False)
    make_mail(Mail.Status.PENDING)
    make_mail(Mail.Status.FAILED, subject="Gescheiterte Einladung")
    make_mail(Mail.Status.FAILED)
    make_mail(Mail.Status.SENT, subject="Längst zugestellt")
    make_article("Entwurf zum Fachtag", status="entwurf")
    make_article(
        "Geplante Pressemitteilung", publish_at=timezone.now() + datetime.timedelta(days=2)
    )
    make_article("Längst veröffentlicht")
    return meeting


def text_of(response):
    page = response.content.decode()
    # From the dashboard to the list of apps below it.
    main = page[page.index('<section class="koss-dashboard"') : page.index('class="app-')]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture(autouse=True)
def clock():
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)):
        yield


def test_the_next_meeting_with_its_replies(staff_client, office):
    text = text_of(staff_client.get(INDEX))
    assert "9. Sitzung am 16.01.2027" in text
    assert "16. Januar 2027, 10:00 Uhr" in text
    assert "Staatskanzlei, Erfurt" in text
    assert "1 Zusage: Jana Zusage" in text
    assert "1 Absage: Norbert Absage" in text
    # Only current members are still expected to reply.
    assert "1 Mitglied hat noch nicht geantwortet: Olga Offen" in text
    assert "Frueher" not in text
    assert "10. Sitzung" not in text


def test_the_meeting_links_into_the_admin(staff_client, office):
    page = staff_client.get(INDEX).content.decode()
    assert reverse("admin:advisory_board_meeting_change", args=[office.pk]) in page


def test_documents_not_yet_published(staff_client, office):
    response = staff_client.get(INDEX)
    text = text_of(response)
    assert "1 Dokument noch nicht veröffentlicht" in text
    assert "Einladung zur 9. Sitzung" in text
    assert "Protokoll der 8. Sitzung" not in text
    # Staff-only documents are never published; they wait for nothing.
    assert "Vermerk nur für die Redaktion" not in text
    document = office.documents.get(title="Einladung zur 9. Sitzung")
    assert (
        reverse("admin:advisory_board_document_change", args=[document.pk])
        in response.content.decode()
    )


def test_mails_waiting_and_failed(staff_client, office):
    response = staff_client.get(INDEX)
    text = text_of(response)
    assert "1 E-Mail wartet auf Zustellung" in text
    assert "2 E-Mails sind gescheitert" in text
    page = response.content.decode()
    changelist = reverse("admin:koss_mail_changelist")
    assert f"{changelist}?status__exact=wartet" in page
    assert f"{changelist}?status__exact=gescheitert" in page


def test_drafts_and_scheduled_articles(staff_client, office):
    response = staff_client.get(INDEX)
    text = text_of(response)
    assert "1 Entwurf" in text
    assert "Entwurf zum Fachtag" in text
    assert "1 geplanter Beitrag" in text
    assert "Geplante Pressemitteilung" in text
    assert "Längst veröffentlicht" not in text


def test_an_empty_office_says_so(staff_client):
    text = text_of(staff_client.get(INDEX))
    assert "Keine Sitzung geplant." in text
    assert "Alle Dokumente sind veröffentlicht." in text
    assert "Keine E-Mail wartet oder ist gescheitert." in text
    assert "Keine Entwürfe und keine geplanten Beiträge." in text


def test_the_start_page_needs_a_constant_number_of_queries(client, office):
    login_as(client, make_staff())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INDEX).status_code == 200
        return len(queries)

    before = count()
    board = office.board
    for number in range(3):
        person = make_member(board, last_name=f"Weitere{number}")
        office.replies.create(person=person, answer="ja" if number % 2 == 0 else "nein")
        make_member(board, last_name=f"Offen{number}")
        make_document(office, f"Weiteres Dokument {number}", released=False)
        make_mail(Mail.Status.FAILED)
        make_article(f"Weiterer Entwurf {number}", status="entwurf")
    assert count() == before


@pytest.mark.parametrize("visitor", ["anonymous", "member", "former_member", "other_board_member"])
def test_visitors_and_members_do_not_see_it(client, office, visitor):
    if visitor != "anonymous":
        login_as(client, make_user(f"{visitor}@example.org"))
    response = client.get(INDEX)
    assert response.status_code == 302
    assert "koss-dashboard" not in response.content.decode()


def test_staff_without_the_second_factor_do_not_see_it(client, office, settings):
    settings.KOSS_REQUIRE_STAFF_2FA = True
    client.force_login(make_staff())
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_reauthenticate"))


def test_staff_users_are_listed_as_before(staff_client, office):
    """The app list stays below the dashboard."""
    page = staff_client.get(INDEX).content.decode()
    assert page.index("koss-dashboard") < page.index(reverse("admin:auth_user_changelist"))


def test_links_lead_only_where_the_staff_member_may_go(client, office):
    """A staff member without rights on mails reads the counts, without a link to a 403."""
    login_as(client, make_staff("neu@example.org", is_superuser=False))
    page = client.get(INDEX).content.decode()
    assert "2 E-Mails sind gescheitert" in page
    assert reverse("admin:koss_mail_changelist") not in page
    assert reverse("admin:advisory_board_meeting_change", args=[office.pk]) not in page


def test_meeting_books_that_could_not_be_built(staff_client, office):
    from advisory_board.models import BookBuild

    text = text_of(staff_client.get(INDEX))
    assert "Sitzungsmappen, die nicht erstellt werden konnten" not in text
    BookBuild.objects.create(
        meeting=office,
        name=f"board/books/{office.pk}-mitglieder-abc.pdf",
        attempts=3,
        last_error="RecursionError: maximum recursion depth exceeded",
        failed_at=timezone.now(),
    )
    # A book that is still being tried is no failure yet.
    BookBuild.objects.create(
        meeting=office, name=f"board/books/{office.pk}-redaktion-def.pdf", attempts=1
    )
    response = staff_client.get(INDEX)
    text = text_of(response)
    assert "Sitzungsmappen, die nicht erstellt werden konnten" in text
    assert "9. Sitzung am 16.01.2027 – für Mitglieder" in text
    assert "für die Redaktion" not in text
    page = response.content.decode()
    assert reverse("admin:advisory_board_meeting_change", args=[office.pk]) in page
