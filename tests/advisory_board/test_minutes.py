"""Minutes with a lifecycle: a draft shared with the board's current members, who comment on it;
approved at a later meeting, after which comments are closed and the meeting's public summary
shows."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from advisory_board.models import AgendaItem, Document, MinutesComment

from ..factories import make_document, make_meeting
from .conftest import VISITORS

pytestmark = pytest.mark.django_db

SUMMARY = "Der Beirat beriet über die Pflegestrukturplanung."
DRAFT = "Entwurf – noch nicht genehmigt"
# Who may read a draft of the minutes of the world's board, and the comments on it.
SEES_DRAFT = {"member", "staff"}


@pytest.fixture
def held(world):
    """A held meeting of the world's board with a draft of its minutes, up for approval under an
    agenda item of the next meeting (the world's meeting)."""
    meeting = make_meeting(
        world["board"], number=4, days_ahead=-20, status="stattgefunden", public_summary=SUMMARY
    )
    item = AgendaItem.objects.create(
        meeting=world["meeting"], position=2, title="Genehmigung des Protokolls"
    )
    draft = make_document(meeting, "Protokoll der 4. Sitzung", approval_item=item)
    comment = MinutesComment.objects.create(
        document=draft,
        person=world["people"]["member"],
        text="Bitte TOP 3 ergänzen: Vertraulicher Hinweis.",
        version=1,
    )
    return {"meeting": meeting, "item": item, "draft": draft, "comment": comment}


def approve(draft, on=None):
    draft.approved_on = on or timezone.localdate()
    draft.save()


def comment_url(document):
    return reverse("advisory_board:minutes_comment", args=[document.pk])


def user_of(world, visitor):
    if visitor == "anonymous":
        return AnonymousUser()
    user = world["users"][visitor]
    user.second_factor_passed = True
    return user


class TestWhoSeesADraft:
    @pytest.mark.parametrize("visitor", VISITORS)
    @pytest.mark.parametrize("visibility", ["mitglieder", "oeffentlich"])
    def test_a_draft_is_for_current_members_and_staff_even_when_marked_public(
        self, world, held, visitor, visibility
    ):
        Document.objects.filter(pk=held["draft"].pk).update(visibility=visibility)
        visible = Document.objects.visible_to(user_of(world, visitor))
        assert visible.filter(pk=held["draft"].pk).exists() == (visitor in SEES_DRAFT)

    @pytest.mark.parametrize("visitor", VISITORS)
    def test_approved_public_minutes_are_public(self, world, held, visitor):
        held["draft"].visibility = "oeffentlich"
        approve(held["draft"])
        assert (
            Document.objects.visible_to(user_of(world, visitor))
            .filter(pk=held["draft"].pk)
            .exists()
        )

    @pytest.mark.parametrize("visitor", VISITORS)
    def test_comments_are_for_current_members_and_staff_only(self, world, held, visitor):
        # Even on public, approved minutes the comments stay among the board.
        held["draft"].visibility = "oeffentlich"
        approve(held["draft"])
        comments = MinutesComment.objects.visible_to(user_of(world, visitor))
        assert comments.filter(pk=held["comment"].pk).exists() == (visitor in SEES_DRAFT)

    @pytest.mark.parametrize("visitor", VISITORS)
    def test_meeting_page_shows_draft_and_comments_by_the_rule(self, login, held, visitor):
        content = login(visitor).get(held["meeting"].get_absolute_url()).content.decode()
        sees = visitor in SEES_DRAFT
        assert ("Protokoll der 4. Sitzung" in content) == sees
        assert (DRAFT in content) == sees
        assert ("Vertraulicher Hinweis" in content) == sees
        # Only a member writes comments; staff read them.
        assert (comment_url(held["draft"]) in content) == (visitor == "member")

    @pytest.mark.parametrize("visitor", VISITORS)
    def test_the_approval_item_links_the_minutes_for_those_who_may_read_them(
        self, login, world, held, visitor
    ):
        content = login(visitor).get(world["meeting"].get_absolute_url()).content.decode()
        assert (held["draft"].get_absolute_url() in content) == (visitor in SEES_DRAFT)

    @pytest.mark.parametrize("visitor", VISITORS)
    def test_members_area_lists_drafts_for_comment_by_the_rule(self, login, held, visitor):
        response = login(visitor).get(reverse("advisory_board:members"))
        if visitor == "anonymous":
            assert response.status_code == 302
            return
        assert ("Protokoll der 4. Sitzung" in response.content.decode()) == (visitor in SEES_DRAFT)


class TestComments:
    @pytest.mark.parametrize("visitor", VISITORS)
    def test_only_current_members_of_the_board_comment(self, login, world, held, visitor):
        response = login(visitor).post(comment_url(held["draft"]), {"text": "Einverstanden."})
        saved = MinutesComment.objects.filter(text="Einverstanden.")
        if visitor == "member":
            assert response.status_code == 302
            assert response.url == held["meeting"].get_absolute_url() + "#protokoll"
            comment = saved.get()
            assert (comment.person, comment.version) == (world["people"]["member"], 1)
        elif visitor == "anonymous":
            assert response.status_code == 302 and "/konto/login/" in response.url
            assert not saved.exists()
        else:
            # Staff read comments but are nobody's voice on the board.
            assert response.status_code == 404
            assert not saved.exists()

    def test_a_member_sees_the_comment_with_name_date_and_version(self, login, held):
        client = login("member")
        response = client.post(
            comment_url(held["draft"]), {"text": "Seite 2: <b>Tippfehler</b>."}, follow=True
        )
        content = response.content.decode()
        assert "Danke! Ihr Kommentar zum Protokollentwurf ist gespeichert." in content
        assert "Seite 2: &lt;b&gt;Tippfehler&lt;/b&gt;." in content
        assert "Maria Mitglied" in content
        assert "zu Fassung 1" in content
        assert "2 Kommentare" in content

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "Bitte schreiben Sie Ihren Kommentar, bevor Sie ihn senden."),
            ("   ", "Bitte schreiben Sie Ihren Kommentar, bevor Sie ihn senden."),
            ("x" * 4001, "Ihr Kommentar ist zu lang: höchstens 4000 Zeichen, Sie haben 4001"),
            ("a\x00b", "Nullzeichen sind nicht erlaubt."),
        ],
    )
    def test_bad_input_gets_a_german_message_and_saves_nothing(self, login, held, text, message):
        response = login("member").post(comment_url(held["draft"]), {"text": text})
        assert response.status_code == 400
        content = response.content.decode()
        assert message in content
        assert MinutesComment.objects.count() == 1
        if text.strip() and "\x00" not in text:
            # Nothing the member wrote is lost: the text is back in the form.
            assert f"{text}</textarea>" in content

    def test_comments_close_once_the_minutes_are_approved(self, login, held):
        approve(held["draft"])
        client = login("member")
        response = client.post(comment_url(held["draft"]), {"text": "Noch etwas."}, follow=True)
        content = response.content.decode()
        assert "Dieses Protokoll ist bereits genehmigt. Kommentare sind nicht mehr möglich." in (
            content
        )
        assert not MinutesComment.objects.filter(text="Noch etwas.").exists()
        # The page offers no form any more, and says why.
        assert comment_url(held["draft"]) not in content
        assert "Das Protokoll ist genehmigt. Kommentare sind nicht mehr möglich." in content

    def test_only_minutes_take_comments(self, login, world):
        other = make_document(world["meeting"], "Einladung", kind="einladung")
        response = login("member").post(comment_url(other), {"text": "Hallo"})
        assert response.status_code == 404
        assert not MinutesComment.objects.exists()

    def test_unreleased_minutes_take_no_comments(self, login, world):
        hidden = make_document(world["meeting"], "Protokoll in Arbeit", released=False)
        assert login("member").post(comment_url(hidden), {"text": "Hallo"}).status_code == 404

    def test_get_leads_to_the_draft_and_its_comments(self, login, held):
        response = login("member").get(comment_url(held["draft"]))
        assert response.status_code == 302
        assert response.url == held["draft"].meeting.get_absolute_url() + "#protokoll"

    def test_put_is_not_allowed(self, login, held):
        assert login("member").put(comment_url(held["draft"])).status_code == 405

    def test_posting_without_the_csrf_token_is_refused(self, world, held):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(world["users"]["member"])
        assert client.post(comment_url(held["draft"]), {"text": "Hallo"}).status_code == 403
        assert MinutesComment.objects.count() == 1


TOO_MANY = "Sie haben in kurzer Zeit sehr viele Kommentare geschrieben."


class TestCommentRateLimit:
    """Comments are limited per person (KOSS_MINUTES_COMMENT_RATE, by default 10 in 10 minutes),
    counted by allauth's rate limits in the cache that also counts failed logins."""

    def post_comments(self, client, draft, count, text="Anmerkung {n}"):
        return [client.post(comment_url(draft), {"text": text.format(n=n)}) for n in range(count)]

    def test_a_burst_of_long_comments_is_stopped_after_the_limit(self, login, held):
        client = login("member")
        long_text = "{n} " + "x" * 3_900
        responses = self.post_comments(client, held["draft"], 20, long_text)
        assert [response.status_code for response in responses] == [302] * 10 + [429] * 10
        # The one of the fixture and ten new ones.
        assert MinutesComment.objects.count() == 11

    def test_over_the_limit_the_form_says_why_keeps_the_text_and_saves_nothing(self, login, held):
        client = login("member")
        self.post_comments(client, held["draft"], 10)
        response = client.post(comment_url(held["draft"]), {"text": "Noch ein <Gedanke>."})
        assert response.status_code == 429
        content = response.content.decode()
        assert TOO_MANY in content
        assert "Noch ein &lt;Gedanke&gt;.</textarea>" in content
        assert not MinutesComment.objects.filter(text="Noch ein <Gedanke>.").exists()

    def test_the_limit_is_per_person_and_passes(self, login, world, held):
        from ..factories import login_as, make_member, make_user

        client = login("member")
        self.post_comments(client, held["draft"], 10)
        assert self.post_comments(client, held["draft"], 1)[0].status_code == 429
        colleague = make_user("kollegin@example.org")
        make_member(world["board"], colleague)
        login_as(client, colleague)
        assert self.post_comments(client, held["draft"], 1)[0].status_code == 302
        login_as(client, world["users"]["member"])
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
            assert self.post_comments(client, held["draft"], 1)[0].status_code == 302

    def test_the_limit_is_a_setting(self, login, held, settings):
        settings.ACCOUNT_RATE_LIMITS = {
            **settings.ACCOUNT_RATE_LIMITS,
            "minutes_comment": "2/h/user",
        }
        responses = self.post_comments(login("member"), held["draft"], 3)
        assert [response.status_code for response in responses] == [302, 302, 429]

    @pytest.mark.parametrize("visitor", ["former_member", "other_board_member", "staff"])
    def test_who_may_not_comment_gets_nothing_in_for_any_number_of_tries(
        self, login, held, visitor
    ):
        responses = self.post_comments(login(visitor), held["draft"], 12)
        assert {response.status_code for response in responses} == {404}
        assert MinutesComment.objects.count() == 1

    def test_the_setting_comes_from_the_environment_and_refuses_a_malformed_rate(
        self, settings, monkeypatch
    ):
        import runpy
        from pathlib import Path

        from django.core.exceptions import ImproperlyConfigured

        path = str(Path(settings.BASE_DIR) / "koss" / "settings.py")
        monkeypatch.delenv("KOSS_MINUTES_COMMENT_RATE", raising=False)
        assert runpy.run_path(path)["ACCOUNT_RATE_LIMITS"]["minutes_comment"] == "10/10m/user"
        monkeypatch.setenv("KOSS_MINUTES_COMMENT_RATE", "5/h/user")
        assert runpy.run_path(path)["ACCOUNT_RATE_LIMITS"]["minutes_comment"] == "5/h/user"
        monkeypatch.setenv("KOSS_MINUTES_COMMENT_RATE", "viele")
        with pytest.raises(ImproperlyConfigured):
            runpy.run_path(path)


class TestApproval:
    def test_approved_minutes_are_marked_with_the_date_and_the_meeting(self, login, world, held):
        client = login("member")
        assert DRAFT in client.get(held["meeting"].get_absolute_url()).content.decode()
        approve(held["draft"], on=datetime.date(2026, 11, 30))
        content = client.get(held["meeting"].get_absolute_url()).content.decode()
        assert "genehmigt am 30. November 2026" in content
        assert DRAFT not in content
        assert "genehmigt in der 5. Sitzung" in content and "TOP 2" in content
        # The approval item of the next meeting says so too, as does the members' area.
        for url in (world["meeting"].get_absolute_url(), reverse("advisory_board:members")):
            assert "genehmigt am 30. November 2026" in client.get(url).content.decode()

    @pytest.mark.parametrize("visitor", VISITORS)
    def test_public_summary_shows_once_the_minutes_are_approved(self, login, held, visitor):
        client = login(visitor)
        url = held["meeting"].get_absolute_url()
        content = client.get(url).content.decode()
        assert SUMMARY not in content
        assert "erscheint, sobald das Protokoll genehmigt ist" in content
        approve(held["draft"])
        content = client.get(url).content.decode()
        assert SUMMARY in content
        assert "erscheint, sobald das Protokoll genehmigt ist" not in content

    def test_the_board_page_and_the_public_calendar_follow_the_same_rule(self, client, held):
        board_page = reverse("advisory_board:index")
        calendar = reverse("advisory_board:calendar")
        assert SUMMARY not in client.get(board_page).content.decode()
        assert "Pflegestrukturplanung" not in client.get(calendar).content.decode()
        approve(held["draft"])
        assert SUMMARY in client.get(board_page).content.decode()
        assert "Pflegestrukturplanung" in client.get(calendar).content.decode()

    def test_the_search_and_the_meeting_calendar_follow_the_same_rule(self, client, held):
        def found_meetings():
            response = client.get(reverse("search"), {"q": "Pflegestrukturplanung"})
            return [result.url for result in response.context["results"]]

        meeting_url = held["meeting"].get_absolute_url()
        calendar = reverse("advisory_board:meeting_calendar", args=[held["meeting"].pk])
        assert meeting_url not in found_meetings()
        assert "Pflegestrukturplanung" not in client.get(calendar).content.decode()
        approve(held["draft"])
        assert meeting_url in found_meetings()
        assert "Pflegestrukturplanung" in client.get(calendar).content.decode()

    def test_planned_meetings_show_their_summary_as_an_announcement(self, client, world):
        world["meeting"].public_summary = "Die Sitzung befasst sich mit dem Haushalt."
        world["meeting"].save()
        content = client.get(world["meeting"].get_absolute_url()).content.decode()
        assert "Die Sitzung befasst sich mit dem Haushalt." in content

    def test_earlier_drafts_stay_as_versions_for_staff(self, login, held):
        draft = held["draft"]
        draft.file = ContentFile(b"%PDF-1.4 Entwurf 2", name="entwurf-2.pdf")
        draft.save()
        approve(draft)
        assert list(draft.versions.values_list("version", flat=True)) == [1]
        version_url = reverse("advisory_board:document_version", args=[draft.pk, 1])
        assert (
            version_url in login("staff").get(held["meeting"].get_absolute_url()).content.decode()
        )

    def test_members_do_not_get_links_to_earlier_drafts(self, login, held):
        draft = held["draft"]
        draft.file = ContentFile(b"%PDF-1.4 Entwurf 2", name="entwurf-2.pdf")
        draft.save()
        content = login("member").get(held["meeting"].get_absolute_url()).content.decode()
        assert reverse("advisory_board:document_version", args=[draft.pk, 1]) not in content
        assert "Fassung 2" in content


class TestApprovalRules:
    def test_an_approval_item_of_an_earlier_meeting_is_rejected(self, world, held):
        earlier = make_meeting(world["board"], number=3, days_ahead=-100)
        item = AgendaItem.objects.create(meeting=earlier, position=1, title="Genehmigung")
        held["draft"].approval_item = item
        with pytest.raises(ValidationError) as error:
            held["draft"].full_clean()
        assert "approval_item" in error.value.message_dict

    def test_an_approval_item_of_another_board_is_rejected(self, world, held):
        item = AgendaItem.objects.create(meeting=world["other_meeting"], position=1, title="X")
        held["draft"].approval_item = item
        with pytest.raises(ValidationError) as error:
            held["draft"].full_clean()
        assert "approval_item" in error.value.message_dict

    def test_minutes_are_not_approved_before_their_meeting(self, held):
        held["draft"].approved_on = timezone.localdate(held["meeting"].starts_at) - (
            datetime.timedelta(days=1)
        )
        with pytest.raises(ValidationError) as error:
            held["draft"].full_clean()
        assert "approved_on" in error.value.message_dict

    def test_minutes_are_not_approved_before_the_meeting_that_approves_them(self, world, held):
        # Held, but the approving meeting (the world's meeting) began only yesterday.
        world["meeting"].starts_at = timezone.now() - datetime.timedelta(days=1)
        world["meeting"].save()
        held["draft"].approved_on = timezone.localdate(world["meeting"].starts_at) - (
            datetime.timedelta(days=1)
        )
        with pytest.raises(ValidationError) as error:
            held["draft"].full_clean()
        day = date_format(timezone.localdate(world["meeting"].starts_at))
        assert error.value.message_dict["approved_on"] == [
            "Ein Protokoll kann nicht vor der Sitzung genehmigt werden, in der es zur "
            f"Genehmigung steht ({day})."
        ]
        held["draft"].approved_on = timezone.localdate(world["meeting"].starts_at)
        held["draft"].full_clean()

    def test_minutes_are_not_approved_ahead_of_time(self, held):
        held["draft"].approved_on = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(ValidationError) as error:
            held["draft"].full_clean()
        assert "approved_on" in error.value.message_dict

    def test_only_minutes_are_approved(self, world):
        invitation = make_document(world["meeting"], "Einladung", kind="einladung")
        invitation.approved_on = timezone.localdate()
        with pytest.raises(ValidationError) as error:
            invitation.full_clean()
        assert error.value.message_dict["approved_on"] == ["Nur ein Protokoll wird genehmigt."]

    def test_approved_minutes_are_not_replaced(self, held):
        approve(held["draft"])
        held["draft"].file = ContentFile(b"%PDF-1.4 neu", name="neu.pdf")
        with pytest.raises(ValidationError) as error:
            held["draft"].full_clean()
        assert "file" in error.value.message_dict


def test_demo_content_has_approved_minutes_and_one_draft_with_comments(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    for _ in range(2):  # and stays so when loaded again
        call_command("load_demo_content", verbosity=0)
    minutes = Document.objects.filter(
        kind="protokoll", meeting__board__is_current=True
    ).select_related("meeting", "approval_item__meeting")
    drafts = [document for document in minutes if document.approved_on is None]
    assert [document.meeting.number for document in drafts] == [8]
    (draft,) = drafts
    assert draft.approval_item.meeting.number == 9
    assert draft.approval_item.title == "Genehmigung des Protokolls der vorigen Sitzung"
    assert draft.version == 2 and draft.comments.count() == 2
    for document in minutes:
        if document.approved_on:
            assert document.approval_item.meeting.number == document.meeting.number + 1
            assert document.approved_on == timezone.localdate(
                document.approval_item.meeting.starts_at
            )
