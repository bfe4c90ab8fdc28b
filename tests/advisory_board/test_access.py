"""The access matrix: anonymous, member, former member, member of another board, staff ×
documents of every visibility, the meeting page, the ZIP, the members' area and the calendars."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from advisory_board.models import Document, DownloadLog

from .conftest import VISIBLE, VISITORS

pytestmark = pytest.mark.django_db


# The rule holds wherever the files are: on the local disk and in object storage.
@pytest.mark.usefixtures("storage_backend")
@pytest.mark.parametrize("visitor", VISITORS)
def test_document_downloads_follow_the_rule(login, world, visitor):
    client = login(visitor)
    for key, document in world["documents"].items():
        response = client.get(document.get_absolute_url())
        if key in VISIBLE[visitor]:
            assert response.status_code == 200, key
            assert response["Content-Disposition"].startswith("attachment")
            assert response["Content-Type"] == "application/pdf"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "no-store" in response["Cache-Control"]
            assert b"".join(response.streaming_content).startswith(
                b"%PDF-1.4 " + document.title.encode()
            )
        elif visitor == "anonymous":
            # Whoever may see it after logging in gets there by logging in.
            assert response.status_code == 302, key
            assert response.url == login_url(document.get_absolute_url())
        else:
            assert response.status_code == 404, key


def login_url(path):
    return f"/konto/login/?next={path}"


@pytest.mark.parametrize("visitor", VISITORS)
def test_queryset_rule_matches_the_table(world, visitor):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if visitor == "anonymous" else world["users"][visitor]
    # As a request marks its user after the second factor in that session.
    user.second_factor_passed = True
    visible = set(Document.objects.visible_to(user).values_list("pk", flat=True))
    expected = {world["documents"][key].pk for key in VISIBLE[visitor]}
    assert visible == expected


def test_staff_without_the_second_factor_see_what_anonymous_visitors_see(world, settings):
    settings.KOSS_REQUIRE_STAFF_2FA = True
    visible = set(Document.objects.visible_to(world["users"]["staff"]).values_list("pk", flat=True))
    assert visible == {world["documents"][key].pk for key in VISIBLE["anonymous"]}


@pytest.mark.parametrize("visitor", VISITORS)
def test_meeting_page_shows_public_part_to_all_and_the_rest_by_the_rule(login, world, visitor):
    response = login(visitor).get(world["meeting"].get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "5. Sitzung des Beirats" in content
    for key in ("public", "members", "staff", "unreleased"):
        title = world["documents"][key].title
        assert (title in content) == (key in VISIBLE[visitor]), key


@pytest.mark.usefixtures("storage_backend")
@pytest.mark.parametrize("visitor", VISITORS)
def test_zip_contains_exactly_the_visible_documents(login, world, visitor):
    response = login(visitor).get(reverse("advisory_board:zip", args=[world["meeting"].pk]))
    expected = {world["documents"][key] for key in VISIBLE[visitor] if key != "other_board"}
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(document.download_name for document in expected)
    assert DownloadLog.objects.filter(via_zip=True).count() == len(expected)


def test_zip_without_visible_documents_sends_visitors_to_the_login(client, world):
    path = reverse("advisory_board:zip", args=[world["other_meeting"].pk])
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == login_url(path)


@pytest.mark.parametrize("visitor", ["former_member", "other_board_member"])
def test_zip_without_visible_documents_is_404_for_those_logged_in(login, world, visitor):
    meeting = world["other_meeting" if visitor == "former_member" else "meeting"]
    if visitor == "other_board_member":
        # Nothing of this meeting for them, not even the public document.
        Document.objects.filter(meeting=meeting, visibility="oeffentlich").delete()
    response = login(visitor).get(reverse("advisory_board:zip", args=[meeting.pk]))
    assert response.status_code == 404


def test_downloads_are_logged_with_user_and_version(login, world):
    document = world["documents"]["members"]
    login("member").get(document.get_absolute_url())
    log = DownloadLog.objects.get()
    assert (log.document, log.user, log.version, log.via_zip) == (
        document,
        world["users"]["member"],
        1,
        False,
    )


def test_guessing_ids_reveals_nothing_to_visitors(client, world):
    """Every address of a document sends a visitor to the login, whether it exists or not."""
    forbidden_path = world["documents"]["members"].get_absolute_url()
    missing_path = reverse("advisory_board:document", args=[999_999])
    forbidden, missing = client.get(forbidden_path), client.get(missing_path)
    assert (forbidden.status_code, forbidden.url) == (302, login_url(forbidden_path))
    assert (missing.status_code, missing.url) == (302, login_url(missing_path))
    assert forbidden.content == missing.content == b""


def test_guessing_ids_reveals_nothing(login, world):
    client = login("former_member")
    forbidden = client.get(world["documents"]["members"].get_absolute_url())
    missing = client.get(reverse("advisory_board:document", args=[999_999]))
    assert forbidden.status_code == missing.status_code == 404
    # The pages differ only in the requested address they echo (canonical link) and in the
    # masked CSRF token of the logout button, which differs on every page.
    document_path = world["documents"]["members"].get_absolute_url().encode()
    missing_path = reverse("advisory_board:document", args=[999_999]).encode()
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", forbidden.content.replace(document_path, b"")) == token.sub(
        b"", missing.content.replace(missing_path, b"")
    )


class TestMembersArea:
    def test_anonymous_is_sent_to_login(self, client, world):
        response = client.get(reverse("advisory_board:members"))
        assert response.status_code == 302
        assert response.url == "/konto/login/?next=/beirat/intern/"

    def test_member_sees_next_meeting_and_new_documents(self, login, world):
        content = login("member").get(reverse("advisory_board:members")).content.decode()
        assert "5. Sitzung" in content
        assert "Sie haben noch nicht geantwortet" in content
        assert "Protokoll für Mitglieder" in content
        assert "Vermerk der Redaktion" not in content
        assert "Protokoll des anderen Beirats" not in content

    @pytest.mark.parametrize("visitor", ["former_member", "other_board_member"])
    def test_others_see_no_member_documents_of_this_board(self, login, world, visitor):
        response = login(visitor).get(reverse("advisory_board:members"))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Protokoll für Mitglieder" not in content
        if visitor == "former_member":
            assert "Ihre Mitgliedschaft im Beirat ist beendet" in content

    def test_staff_see_the_current_board(self, login, world):
        content = login("staff").get(reverse("advisory_board:members")).content.decode()
        assert "Vermerk der Redaktion" in content

    def test_documents_are_new_only_until_the_next_visit(self, login, world):
        import datetime

        import time_machine
        from django.utils import timezone

        client = login("member")
        url = reverse("advisory_board:members")
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
            assert "Protokoll für Mitglieder" in client.get(url).content.decode()
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
            content = client.get(url).content.decode()
            assert "Seit Ihrem letzten Besuch gibt es keine neuen Dokumente" in content
            # A new version makes the document new again.
            from django.core.files.base import ContentFile

            document = world["documents"]["members"]
            document.file = ContentFile(b"%PDF-1.4 neu", name="neu.pdf")
            document.save()
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=4)):
            content = client.get(url).content.decode()
            assert "Protokoll für Mitglieder" in content

    def test_a_visit_lasts_while_pages_follow_within_30_minutes(self, login, world):
        import datetime

        import time_machine
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        client = login("member")
        url = reverse("advisory_board:members")
        start = timezone.now() + datetime.timedelta(minutes=1)
        for minutes in (0, 20, 40, 60):
            with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
                assert "Protokoll für Mitglieder" in client.get(url).content.decode()
        # Moments later, in the same visit: the page is read without a write.
        moments_later = start + datetime.timedelta(minutes=60, seconds=5)
        with (
            time_machine.travel(moments_later, tick=False),
            CaptureQueriesContext(connection) as queries,
        ):
            assert "Protokoll für Mitglieder" in client.get(url).content.decode()
        assert not [q for q in queries if q["sql"].startswith("UPDATE")]


class TestReplies:
    def url(self, world):
        return reverse("advisory_board:reply", args=[world["meeting"].pk])

    def test_member_replies_and_changes_the_answer(self, login, world):
        from advisory_board.models import Reply

        client = login("member")
        response = client.post(self.url(world), {"answer": "ja"})
        assert response.status_code == 302
        assert Reply.objects.get().answer == "ja"
        client.post(self.url(world), {"answer": "nein"})
        assert Reply.objects.get().answer == "nein"
        content = client.get(world["meeting"].get_absolute_url()).content.decode()
        assert "Sie haben abgesagt." in content

    @pytest.mark.parametrize("visitor", ["former_member", "other_board_member"])
    def test_non_members_cannot_reply(self, login, world, visitor):
        from advisory_board.models import Reply

        assert login(visitor).post(self.url(world), {"answer": "ja"}).status_code == 404
        assert not Reply.objects.exists()

    def test_anonymous_is_sent_to_login(self, client, world):
        response = client.post(self.url(world), {"answer": "ja"})
        assert response.status_code == 302 and "/konto/login/" in response.url

    @pytest.mark.parametrize("value", ["", "vielleicht", "ja' OR 1=1 --", "\x00"])
    def test_bad_answer_changes_nothing(self, login, world, value):
        from advisory_board.models import Reply

        client = login("member")
        response = client.post(self.url(world), {"answer": value}, follow=True)
        assert "Bitte wählen Sie, ob Sie teilnehmen." in response.content.decode()
        assert not Reply.objects.exists()

    def test_get_leads_members_to_the_reply_on_the_meeting_page(self, login, world):
        response = login("member").get(self.url(world))
        assert response.status_code == 302
        assert response.url == world["meeting"].get_absolute_url() + "#reply-heading"

    @pytest.mark.parametrize("visitor", ["former_member", "other_board_member"])
    def test_get_is_404_for_non_members(self, login, world, visitor):
        assert login(visitor).get(self.url(world)).status_code == 404

    def test_put_is_not_allowed(self, login, world):
        assert login("member").put(self.url(world)).status_code == 405

    def test_past_meetings_take_no_replies(self, login, world):
        from advisory_board.models import Reply

        from ..factories import make_meeting

        past = make_meeting(world["board"], days_ahead=-3)
        response = login("member").post(
            reverse("advisory_board:reply", args=[past.pk]), {"answer": "ja"}, follow=True
        )
        assert "keine Rückmeldungen mehr möglich" in response.content.decode()
        assert not Reply.objects.exists()


class TestCalendars:
    def test_public_feed_lists_meetings_without_agenda(self, client, world):
        from advisory_board.models import AgendaItem

        AgendaItem.objects.create(meeting=world["meeting"], position=1, title="Vertraulicher Punkt")
        response = client.get(reverse("advisory_board:calendar"))
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        text = response.content.decode()
        assert "BEGIN:VEVENT" in text and "5. Sitzung" in text
        assert "Vertraulicher Punkt" not in text

    def test_personal_feed_with_agenda_for_members_and_revocable(self, login, world):
        from icalendar import Calendar

        from advisory_board.models import AgendaItem

        AgendaItem.objects.create(meeting=world["meeting"], position=1, title="Vertraulicher Punkt")
        client = login("member")
        client.post(reverse("advisory_board:calendar_token"), {"action": "erzeugen"})
        person = world["people"]["member"]
        person.refresh_from_db()
        url = reverse("advisory_board:personal_calendar", args=[person.calendar_token])
        client.logout()
        calendar = Calendar.from_ical(client.get(url).content)
        events = calendar.walk("VEVENT")
        assert len(events) == 1
        assert "Vertraulicher Punkt" in str(events[0]["description"])

        login("member").post(reverse("advisory_board:calendar_token"), {"action": "widerrufen"})
        client.logout()
        assert client.get(url).status_code == 404

    def test_wrong_token_and_former_members_token_are_404(self, client, world):
        person = world["people"]["former_member"]
        token = person.new_calendar_token()
        assert (
            client.get(reverse("advisory_board:personal_calendar", args=[token])).status_code == 404
        )
        assert (
            client.get(reverse("advisory_board:personal_calendar", args=["falsch"])).status_code
            == 404
        )

    @pytest.mark.parametrize("visitor", ["anonymous", "former_member"])
    def test_only_members_manage_a_calendar_token(self, login, world, visitor):
        response = login(visitor).post(
            reverse("advisory_board:calendar_token"), {"action": "erzeugen"}
        )
        assert response.status_code in {302, 404}
        if response.status_code == 302:
            assert "/konto/login/" in response.url


class TestPublicBoardPage:
    def test_shows_members_with_consent_only(self, client, world):
        from ..factories import make_member

        make_member(
            world["board"], first_name="Ohne", last_name="Einwilligung", public_consent=False
        )
        content = client.get(reverse("advisory_board:index")).content.decode()
        assert "Maria Mitglied" in content
        assert "Ohne Einwilligung" not in content
        # Former members are not listed as members.
        assert "Ehemalig" not in content

    def test_organisation_links_to_its_published_partner_page(self, client, world):
        from advisory_board.models import Membership

        from ..factories import make_partner

        partner = make_partner("ThASG e.V.", slug="thasg")
        Membership.objects.filter(person=world["people"]["member"]).update(
            organisation="ThASG e.V.", partner=partner
        )
        assert (
            f'href="{partner.get_absolute_url()}"'
            in client.get(reverse("advisory_board:index")).content.decode()
        )

    @pytest.mark.parametrize("visitor", VISITORS)
    def test_board_page_for_everyone(self, login, world, visitor):
        assert login(visitor).get(reverse("advisory_board:index")).status_code == 200

    def test_unknown_meeting_is_404(self, client, world):
        assert client.get("/beirat/sitzungen/999999/").status_code == 404


@pytest.mark.parametrize("visitor", VISITORS)
def test_meeting_calendar_file_holds_public_information_only(login, world, visitor):
    from advisory_board.models import AgendaItem

    AgendaItem.objects.create(meeting=world["meeting"], position=1, title="Vertraulicher Punkt")
    response = login(visitor).get(
        reverse("advisory_board:meeting_calendar", args=[world["meeting"].pk])
    )
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert "BEGIN:VEVENT" in text and "Vertraulicher Punkt" not in text


@pytest.mark.parametrize("visitor", VISITORS)
def test_public_calendar_for_everyone(login, world, visitor):
    assert login(visitor).get(reverse("advisory_board:calendar")).status_code == 200
