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
    # The documents' panel: a draft of minutes also waits for approval in the board's panel.
    text = text_of(response).split(" Dokumente ", 1)[1].split(" E-Mails ", 1)[0]
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
        deputy = make_member(board, last_name=f"Vertreten{number}")
        office.replies.create(
            person=deputy, answer="vertretung", deputy_name=f"Vertretung {number}"
        )
        minutes = make_document(office, f"Protokollentwurf {number}")
        minutes.comments.create(person=deputy, text="Kommentar", version=1)
        office.outcomes.create(text=f"Überfällig {number}", due_on=datetime.date(2026, 1, 1))
        make_meeting(board, number=20 + number, days_ahead=60 + number, announced_at=None)
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


@pytest.fixture
def before_the_meeting(office):
    """A deputy named in a reply, draft minutes with two comments, an overdue task and one done,
    and a member with a login (who gets reminders) besides those without one."""
    from allauth.account.models import EmailAddress

    from advisory_board.models import Outcome

    board = office.board
    office.documents.exclude(title="Protokoll der 8. Sitzung").update(kind="einladung")
    deputy = make_member(board, first_name="Paul", last_name="Platzhalter")
    office.replies.create(person=deputy, answer="vertretung", deputy_name="Vera Vertretung")
    user = make_user("wartend@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    make_member(board, user, first_name="Wilma", last_name="Wartend")
    previous = board.meetings.get(number=8)
    minutes = make_document(previous, "Protokoll der 8. Sitzung (Entwurf)")
    for text in ["Bitte TOP 2 ergänzen.", "Tippfehler auf Seite 3."]:
        minutes.comments.create(person=deputy, text=text, version=1)
    Outcome.objects.create(
        meeting=previous,
        text="Bericht zur Pflegeplanung vorlegen",
        due_on=datetime.date(2026, 11, 1),
    )
    Outcome.objects.create(
        meeting=previous,
        text="Längst erledigt",
        due_on=datetime.date(2026, 10, 1),
        status="erledigt",
    )
    Outcome.objects.create(meeting=previous, text="Noch Zeit", due_on=datetime.date(2027, 1, 1))
    return office


def test_replies_name_the_deputy(staff_client, before_the_meeting):
    text = text_of(staff_client.get(INDEX))
    assert "1 Zusage: Jana Zusage" in text
    assert "1 Vertretung: Vera Vertretung für Paul Platzhalter" in text
    assert "2 Mitglieder haben noch nicht geantwortet: Olga Offen, Wilma Wartend" in text


def test_what_must_be_done_before_the_meeting(staff_client, before_the_meeting):
    response = staff_client.get(INDEX)
    text = text_of(response)
    assert "2 Protokolle warten auf die Genehmigung" in text
    assert "Protokoll der 8. Sitzung (Entwurf) 8. Sitzung am" in text
    assert "Protokoll der 8. Sitzung 9. Sitzung am 16.01.2027 · 0 Kommentare" in text
    assert "2 Kommentare" in text
    assert "1 Aufgabe ist überfällig" in text
    assert "Bericht zur Pflegeplanung vorlegen" in text
    assert "fällig am 1. November 2026" in text
    assert "Längst erledigt" not in text and "Noch Zeit" not in text
    assert "4 Mitglieder ohne Zugang" in text
    assert "Olga Offen noch nicht eingeladen" in text
    assert "Wilma" not in text.split("Mitglieder ohne Zugang")[1]
    minutes = before_the_meeting.board.meetings.get(number=8).documents.get(
        title="Protokoll der 8. Sitzung (Entwurf)"
    )
    assert (
        reverse("admin:advisory_board_document_change", args=[minutes.pk])
        in response.content.decode()
    )


REMIND = "/verwaltung/advisory_board/meeting/{}/erinnern/"


def test_the_reminder_goes_to_members_without_a_reply(staff_client, before_the_meeting):
    from django.core import mail

    page = staff_client.get(INDEX).content.decode()
    assert f'action="{REMIND.format(before_the_meeting.pk)}"' in page
    response = staff_client.post(REMIND.format(before_the_meeting.pk), follow=True)
    (reminder,) = mail.outbox
    # Olga has no login, so no reminder; who replied gets none either.
    assert reminder.to == ["wartend@example.org"]
    assert (
        reminder.subject
        == "[KOSS-Portal] Erinnerung: Ihre Rückmeldung zur 9. Sitzung am 16.01.2027"
    )
    assert f"/beirat/sitzungen/{before_the_meeting.pk}/" in reminder.body
    assert "Guten Tag," in reminder.body and "Sie" in reminder.body
    texts = [str(m) for m in response.context["messages"]]
    assert any("Eine Erinnerung an 1 Mitglied ohne Rückmeldung wird versandt." in t for t in texts)
    assert Mail.objects.filter(recipient="wartend@example.org").exists()


def test_a_link_sends_no_reminder(staff_client, before_the_meeting):
    from django.core import mail

    assert staff_client.get(REMIND.format(before_the_meeting.pk)).status_code == 405
    assert mail.outbox == []


def test_no_reminder_for_a_meeting_that_is_not_announced(staff_client, before_the_meeting):
    from django.core import mail

    before_the_meeting.announced_at = None
    before_the_meeting.save()
    staff_client.post(REMIND.format(before_the_meeting.pk))
    assert mail.outbox == []


@pytest.mark.parametrize("visitor", ["anonymous", "member", "former_member", "other_board_member"])
def test_only_staff_send_reminders(client, before_the_meeting, visitor):
    from django.core import mail

    if visitor != "anonymous":
        user = make_user(f"{visitor}@example.org")
        if visitor == "member":
            make_member(before_the_meeting.board, user)
        elif visitor == "former_member":
            make_member(before_the_meeting.board, user, ends_on=datetime.date(2016, 1, 1))
        else:
            make_member(make_board("Anderer Beirat"), user)
        login_as(client, user)
    response = client.post(REMIND.format(before_the_meeting.pk))
    assert response.status_code == 302 and "/login/" in response.url
    assert mail.outbox == []


def test_staff_without_the_second_factor_send_no_reminder(client, before_the_meeting, settings):
    from django.core import mail

    settings.KOSS_REQUIRE_STAFF_2FA = True
    client.force_login(make_staff())
    assert client.post(REMIND.format(before_the_meeting.pk)).status_code == 302
    assert mail.outbox == []


def test_staff_without_the_right_get_no_button_and_a_refusal(client, before_the_meeting):
    from django.contrib.auth.models import Permission
    from django.core import mail

    user = make_staff("nur-lesen@example.org", is_superuser=False)
    user.user_permissions.set(Permission.objects.filter(codename="view_meeting"))
    login_as(client, user)
    assert REMIND.format(before_the_meeting.pk) not in client.get(INDEX).content.decode()
    assert client.post(REMIND.format(before_the_meeting.pk)).status_code == 403
    assert mail.outbox == []


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
    failed = text[text.index("Sitzungsmappen, die nicht erstellt") : text.index("einzeln herunter")]
    assert "9. Sitzung am 16.01.2027 – für Mitglieder" in failed
    assert "für die Redaktion" not in failed
    page = response.content.decode()
    assert reverse("admin:advisory_board_meeting_change", args=[office.pk]) in page
