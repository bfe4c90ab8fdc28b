"""A prepared meeting stays internal until staff announce it with "publish and notify": no public
page, feed, calendar, sitemap, search or member page shows it before; staff see it marked
"in Vorbereitung"."""

import datetime
import importlib

import pytest
from django.apps import apps as global_apps
from django.core import mail
from django.test import Client
from django.utils import timezone

from advisory_board.models import Meeting

from ..factories import login_as, make_document, make_staff, publish_and_notify

pytestmark = pytest.mark.django_db

URL = "/verwaltung/advisory_board/meeting/"
VISITORS = ["anonymous", "member", "former_member", "other_board_member"]


@pytest.fixture
def prepared(world):
    """The 6th meeting, prepared from the world's 5th through the admin and not announced."""
    client = login_as(Client(), world["users"]["staff"])
    client.post(f"{URL}{world['meeting'].pk}/vorbereiten/")
    meeting = Meeting.objects.get(board=world["board"], number=6)
    meeting.location = "Weimar, Vorbereitungssaal"
    meeting.public_summary = "Sozialplanung im Vorbereitungssaal."
    meeting.save()
    world["people"]["member"].new_calendar_token()
    return meeting


def test_preparing_saves_a_meeting_that_is_not_announced(prepared):
    assert prepared.announced_at is None
    assert prepared not in Meeting.objects.announced()


def test_meetings_made_otherwise_count_as_announced_after_the_migration(world):
    """The migration marks every meeting that existed before as announced."""
    meeting = world["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(announced_at=None)
    migration = importlib.import_module("advisory_board.migrations.0014_meeting_announced_at")
    migration.announce_existing_meetings(global_apps, None)
    meeting.refresh_from_db()
    assert meeting.announced_at is not None


@pytest.mark.parametrize("visitor", VISITORS)
def test_a_prepared_meeting_is_on_no_public_or_member_page(login, world, prepared, visitor):
    client = login(visitor)
    link = prepared.get_absolute_url()
    for path in ["/", "/beirat/", "/beirat/kalender.ics", "/sitemap.xml", "/beirat/intern/"]:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert link not in text and "Vorbereitungssaal" not in text, path
        assert f"beirat-sitzung-{prepared.pk}" not in text, path
    assert client.get(link).status_code == 404
    assert client.get(link + "kalender.ics").status_code == 404
    search = client.get("/suche/", {"q": "Vorbereitungssaal"}).content.decode()
    assert link not in search


def test_the_personal_calendar_leaves_it_out(client, world, prepared):
    token = world["people"]["member"].calendar_token
    text = client.get(f"/beirat/kalender/{token}.ics").content.decode()
    assert f"beirat-sitzung-{world['meeting'].pk}" in text
    assert f"beirat-sitzung-{prepared.pk}" not in text


def test_members_cannot_reply_to_a_prepared_meeting(login, world, prepared):
    client = login("member")
    response = client.post(prepared.get_absolute_url() + "antwort/", {"answer": "ja"})
    assert response.status_code == 404
    assert not prepared.replies.exists()


def test_documents_of_a_prepared_meeting_stay_internal(login, world, prepared):
    """A document released by hand on a prepared meeting waits for the announcement too."""
    document = make_document(prepared, "Vorab freigegeben", visibility="oeffentlich")
    for visitor in ["anonymous", "member", "former_member", "other_board_member"]:
        client = login(visitor)
        for url in [document.get_absolute_url(), prepared.get_absolute_url() + "dokumente.zip"]:
            response = client.get(url)
            if visitor == "anonymous":
                # As for any members' address: to the login, which reveals nothing.
                assert response.status_code == 302 and "/konto/login/" in response.url
            else:
                assert response.status_code == 404
        client.logout()


def test_staff_preview_the_prepared_meeting_marked(login, world, prepared):
    client = login("staff")
    page = client.get(prepared.get_absolute_url())
    assert page.status_code == 200
    assert "in Vorbereitung" in page.content.decode()
    changelist = client.get(URL).content.decode()
    assert "in Vorbereitung" in changelist
    change = client.get(f"{URL}{prepared.pk}/change/").content.decode()
    assert "in Vorbereitung" in change


def test_the_confirmation_announces_the_meeting(login, world, prepared):
    client = login("staff")
    make_document(prepared, "Einladung zur 6. Sitzung", released=False, kind="einladung")
    page = publish_and_notify(client, prepared)
    assert "wird die Sitzung bekanntgegeben" in page.content.decode()
    prepared.refresh_from_db()
    assert prepared.announced_at is not None
    (notice,) = mail.outbox
    assert notice.attachments[0][0] == "beirat-sitzung-06.ics"
    client.logout()
    assert client.get(prepared.get_absolute_url()).status_code == 200
    assert prepared.get_absolute_url() in client.get("/beirat/").content.decode()
    assert f"beirat-sitzung-{prepared.pk}" in client.get("/beirat/kalender.ics").content.decode()


def test_a_meeting_without_documents_is_announced_by_the_confirmation(login, world, prepared):
    client = login("staff")
    page = publish_and_notify(client, prepared)
    assert page.status_code == 200 and 'value="Bekanntgeben und benachrichtigen"' in (
        page.content.decode()
    )
    prepared.refresh_from_db()
    assert prepared.announced_at is not None
    (notice,) = mail.outbox
    assert notice.to == ["mitglied@example.org"]
    assert notice.attachments[0][0].endswith(".ics")
    assert prepared.get_absolute_url() in notice.body


def test_an_announced_meeting_keeps_its_announcement(login, world):
    meeting = world["meeting"]
    announced = meeting.announced_at
    assert announced is not None
    publish_and_notify(login("staff"), meeting)
    meeting.refresh_from_db()
    assert meeting.announced_at == announced


def test_the_home_page_names_the_next_announced_meeting(client, world, prepared):
    Meeting.objects.filter(pk=world["meeting"].pk).update(
        starts_at=timezone.now() + datetime.timedelta(days=200)
    )
    Meeting.objects.filter(pk=prepared.pk).update(
        starts_at=timezone.now() + datetime.timedelta(days=10)
    )
    text = client.get("/").content.decode()
    assert world["meeting"].get_absolute_url() in text
    assert prepared.get_absolute_url() not in text


def test_the_meeting_lists_of_news_articles_leave_it_out(client, world, prepared):
    from ..factories import make_article

    article = make_article("Über die nächste Sitzung")
    article.related_meetings.set([prepared, world["meeting"]])
    text = client.get(article.get_absolute_url()).content.decode()
    assert world["meeting"].get_absolute_url() in text
    assert prepared.get_absolute_url() not in text


def test_the_staff_dashboard_marks_the_prepared_meeting(client, world, prepared):
    world["other_meeting"].delete()
    Meeting.objects.filter(pk=world["meeting"].pk).update(
        starts_at=timezone.now() + datetime.timedelta(days=200)
    )
    Meeting.objects.filter(pk=prepared.pk).update(
        starts_at=timezone.now() + datetime.timedelta(days=10)
    )
    login_as(client, make_staff("zweite@example.org"))
    text = client.get("/verwaltung/").content.decode()
    main = text[text.index("koss-dashboard") :]
    # The next meeting announced is the one with replies; the prepared one is marked.
    assert main.index("5. Sitzung") < main.index("6. Sitzung")
    assert "6. Sitzung" in main and "in Vorbereitung" in main
