"""Written votes (Umlaufbeschluss): who sees and casts what, the rules that decide, the reminder
and the close on a frozen clock, the decision on the next agenda, the mails, the members' area,
the admin, and constant query counts."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from advisory_board.emails import cast_vote, close_due_votes
from advisory_board.models import AgendaItem, Ballot, Outcome, VoteDocument, WrittenVote
from advisory_board.models.votes import REPORT_TITLE
from koss.models import Mail

from ..factories import make_board, make_meeting, make_member, make_user
from .conftest import VISITORS

pytestmark = pytest.mark.django_db

YES, NO, ABSTAIN = Ballot.Choice.YES, Ballot.Choice.NO, Ballot.Choice.ABSTAIN
ADMIN = "/verwaltung/advisory_board/writtenvote/"
# Every visitor of the access matrix, and staff whose session lacks the second factor.
ALL_VISITORS = [*VISITORS, "staff_without_2fa"]


def make_vote(board, *, started=True, days=7, **fields):
    fields.setdefault("title", "Stellungnahme zum Landesprogramm")
    fields.setdefault("motion", "Der Beirat gibt die anliegende Stellungnahme ab.")
    vote = WrittenVote.objects.create(
        board=board, deadline=timezone.now() + datetime.timedelta(days=days), **fields
    )
    if started:
        vote.started_at = timezone.now()
        vote.save(update_fields=["started_at"])
    return vote


def vote_mails(kind, vote=None):
    subjects = {
        "started": "bitte bis",
        "reminder": "Erinnerung: Umlaufbeschluss",
        "result": "Ergebnis des Umlaufbeschlusses",
    }
    mails = Mail.objects.filter(subject__contains=subjects[kind])
    return mails.filter(subject__contains=vote.title) if vote else mails


@pytest.fixture
def voters(world):
    """The world's board with a second member who logs in and a third without a login, so that
    the member's vote alone does not end the vote."""
    board = world["board"]
    return {
        "colleague": make_member(
            board, make_user("kollegin@example.org"), first_name="Clara", last_name="Kollegin"
        ),
        "offline": make_member(board, first_name="Otto", last_name="Ohnezugang"),
    }


@pytest.fixture
def votes(world, voters):
    """A vote in each state, of the world's board."""
    board = world["board"]
    closed = make_vote(board, title="Ausgewertete Vorlage")
    cast_vote(closed, world["people"]["member"], NO)
    cast_vote(closed, voters["colleague"], YES)
    with time_machine.travel(closed.deadline + datetime.timedelta(minutes=1)):
        close_due_votes()
    published = make_vote(board, title="Veröffentlichte Vorlage")
    cast_vote(published, world["people"]["member"], NO)
    with time_machine.travel(published.deadline + datetime.timedelta(minutes=1)):
        close_due_votes()
    published.publish()
    open_vote = make_vote(board, title="Laufende Vorlage")
    VoteDocument.objects.create(
        vote=open_vote,
        title="Entwurf der Stellungnahme",
        file=ContentFile(b"%PDF-1.4 Entwurf", name="entwurf.pdf"),
    )
    return {
        "draft": make_vote(board, started=False, title="Vorlage im Entwurf"),
        "open": open_vote,
        "closed": WrittenVote.objects.get(pk=closed.pk),
        "published": WrittenVote.objects.get(pk=published.pk),
    }


@pytest.fixture
def visit(client, world, settings):
    settings.KOSS_REQUIRE_STAFF_2FA = True

    def as_visitor(visitor):
        from ..factories import login_as

        if visitor == "staff_without_2fa":
            client.force_login(world["users"]["staff"])
        elif visitor != "anonymous":
            login_as(client, world["users"][visitor])
        return client

    return as_visitor


def assert_members_only(response, visitor, path):
    """How an address of the members' part answers whoever may not see it."""
    if visitor == "anonymous":
        assert (response.status_code, response.url) == (302, f"/konto/login/?next={path}")
    elif visitor == "staff_without_2fa":
        assert response.status_code == 302
        assert response.url.startswith(reverse("mfa_reauthenticate"))
    else:
        assert response.status_code == 404


# --- Access ---------------------------------------------------------------------------------------

# Who sees a vote's page in each state: its board's members once it runs, staff always, everyone
# the published result.
SEES_PAGE = {
    "draft": {"staff"},
    "open": {"member", "staff"},
    "closed": {"member", "staff"},
    "published": set(ALL_VISITORS),
}


@pytest.mark.parametrize("state", list(SEES_PAGE))
@pytest.mark.parametrize("visitor", ALL_VISITORS)
def test_vote_page_follows_the_access_matrix(visit, votes, visitor, state):
    path = votes[state].get_absolute_url()
    response = visit(visitor).get(path)
    if visitor not in SEES_PAGE[state]:
        assert_members_only(response, visitor, path)
        return
    assert response.status_code == 200
    content = response.content.decode()
    assert votes[state].title in content
    insider = visitor in {"member", "staff"}
    # Who voted how: for the board's members and staff, never public.
    assert ("Maria Mitglied: <strong>Nein</strong>" in content) == (
        insider and state in {"closed", "published"}
    )
    if insider:
        assert "no-store" in response["Cache-Control"]
    if state == "published" and not insider:
        assert "abgelehnt" in content
        assert "nicht öffentlich" in content


@pytest.mark.parametrize("visitor", ALL_VISITORS)
def test_only_current_members_of_the_board_cast_a_vote(visit, world, votes, visitor):
    vote = votes["open"]
    path = reverse("advisory_board:vote_cast", args=[vote.pk])
    response = visit(visitor).post(path, {"choice": YES})
    if visitor == "member":
        assert response.status_code == 302
        assert response.url == vote.get_absolute_url() + "#abstimmen"
        assert vote.current_ballots().get().person == world["people"]["member"]
        return
    assert not vote.ballots.exists()
    if visitor == "staff":
        assert response.status_code == 404  # staff see the vote, but are no member
    else:
        assert_members_only(response, visitor, path)


@pytest.mark.parametrize("visitor", ALL_VISITORS)
def test_a_link_to_the_ballot_leads_members_to_the_form(visit, votes, visitor):
    vote = votes["open"]
    path = reverse("advisory_board:vote_cast", args=[vote.pk])
    response = visit(visitor).get(path)
    if visitor in {"member", "staff"}:
        assert (response.status_code, response.url) == (302, vote.get_absolute_url() + "#abstimmen")
    else:
        assert_members_only(response, visitor, path)


@pytest.mark.parametrize("visitor", ALL_VISITORS)
def test_documents_of_a_vote_are_for_the_boards_members_and_staff(visit, votes, visitor):
    document = votes["open"].documents.get()
    path = document.get_absolute_url()
    response = visit(visitor).get(path)
    if visitor in {"member", "staff"}:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 Entwurf"
        assert "no-store" in response["Cache-Control"]
    else:
        assert_members_only(response, visitor, path)


def test_a_published_vote_keeps_its_documents_internal(visit, votes):
    document = VoteDocument.objects.create(
        vote=votes["published"],
        title="Anlage",
        file=ContentFile(b"%PDF-1.4 Anlage", name="anlage.pdf"),
    )
    path = document.get_absolute_url()
    assert_members_only(visit("anonymous").get(path), "anonymous", path)


def test_guessed_addresses_reveal_nothing(client, votes):
    missing = reverse("advisory_board:vote", args=[999_999])
    hidden = votes["draft"].get_absolute_url()
    for path in (missing, hidden):
        assert client.get(path).url == f"/konto/login/?next={path}"


# --- Casting ---------------------------------------------------------------------------------------


def test_a_member_votes_once_and_may_change_until_the_deadline(visit, world, votes):
    vote, member = votes["open"], world["people"]["member"]
    client = visit("member")
    path = reverse("advisory_board:vote_cast", args=[vote.pk])
    client.post(path, {"choice": YES})
    response = client.post(path, {"choice": NO}, follow=True)
    assert "Ihre Stimme „Nein“ ist gespeichert" in response.content.decode()
    current = vote.current_ballots().get(person=member)
    assert current.choice == NO
    # The first vote is kept with who and when, no longer counted.
    assert list(vote.ballots.values_list("choice", "is_current").order_by("cast_at", "pk")) == [
        (YES, False),
        (NO, True),
    ]
    assert current.cast_by == world["users"]["member"]


def test_members_see_that_they_voted_never_a_running_tally(visit, world, voters, votes):
    vote = votes["open"]
    cast_vote(vote, voters["colleague"], NO)
    client = visit("member")
    client.post(reverse("advisory_board:vote_cast", args=[vote.pk]), {"choice": YES})
    content = client.get(vote.get_absolute_url()).content.decode()
    assert "mit „Ja“ abgestimmt" in content
    assert "Clara" not in content and "Nein 1" not in content and "Ja 1" not in content
    assert "erst nach dem Ende der Abstimmung" in content
    # Staff see who has voted, not how.
    staff_page = visit("staff").get(vote.get_absolute_url()).content.decode()
    assert "Clara Kollegin" in staff_page and "Maria Mitglied" in staff_page
    assert "<strong>Nein</strong>" not in staff_page and "<strong>Ja</strong>" not in staff_page


def test_a_vote_after_the_deadline_is_refused_and_changes_nothing(visit, world, votes):
    # A minute to go: the session of the login is still valid after the deadline.
    vote = make_vote(world["board"], days=1 / 24 / 60)
    cast_vote(vote, world["people"]["member"], YES)
    client = visit("member")
    with time_machine.travel(vote.deadline + datetime.timedelta(seconds=1)):
        response = client.post(
            reverse("advisory_board:vote_cast", args=[vote.pk]), {"choice": NO}, follow=True
        )
    assert "Die Abstimmung ist beendet" in response.content.decode()
    assert vote.current_ballots().get().choice == YES
    assert vote.ballots.count() == 1


def test_a_former_member_can_no_longer_vote(world, voters, votes):
    vote = votes["open"]
    membership = voters["colleague"].memberships.get()
    membership.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    membership.save()
    with pytest.raises(ValidationError, match="nicht stimmberechtigt"):
        cast_vote(vote, voters["colleague"], YES)
    assert not vote.ballots.exists()


def test_a_member_of_another_board_cannot_vote(world, votes):
    with pytest.raises(ValidationError):
        cast_vote(votes["open"], world["people"]["other_board_member"], YES)


def test_a_deputy_votes_only_where_the_vote_allows_it(visit, world, votes):
    vote, member = votes["open"], world["people"]["member"]
    client = visit("member")
    page = client.get(vote.get_absolute_url()).content.decode()
    assert 'name="deputy_name"' not in page
    with pytest.raises(ValidationError, match="keine Vertretung"):
        cast_vote(vote, member, YES, deputy_name="Vera Vertreterin")
    vote.deputies_may_vote = True
    vote.save()
    assert 'name="deputy_name"' in client.get(vote.get_absolute_url()).content.decode()
    client.post(
        reverse("advisory_board:vote_cast", args=[vote.pk]),
        {"choice": YES, "deputy_name": "Vera Vertreterin"},
    )
    assert vote.current_ballots().get(person=member).deputy_name == "Vera Vertreterin"


def test_abstention_only_where_offered_with_a_german_message(visit, votes):
    vote = votes["open"]
    vote.allows_abstention = False
    vote.save()
    client = visit("member")
    assert 'value="enthaltung"' not in client.get(vote.get_absolute_url()).content.decode()
    response = client.post(reverse("advisory_board:vote_cast", args=[vote.pk]), {"choice": ABSTAIN})
    assert response.status_code == 400
    assert "Bitte wählen Sie eine der angebotenen Stimmen." in response.content.decode()
    response = client.post(reverse("advisory_board:vote_cast", args=[vote.pk]), {})
    assert "Bitte wählen Sie Ihre Stimme." in response.content.decode()
    assert not vote.ballots.exists()


# --- Rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "yes", "no", "abstain", "electorate", "result"),
    [
        ("mehrheit", 3, 2, 5, 12, "angenommen"),
        ("mehrheit", 2, 2, 0, 12, "abgelehnt"),
        ("mehrheit", 1, 0, 0, 12, "angenommen"),
        ("beschlussfaehigkeit", 3, 1, 1, 10, "angenommen"),
        ("beschlussfaehigkeit", 3, 1, 0, 10, "nicht_beschlussfaehig"),
        ("beschlussfaehigkeit", 2, 3, 0, 10, "abgelehnt"),
        ("einstimmig", 5, 0, 0, 5, "angenommen"),
        ("einstimmig", 4, 0, 1, 5, "abgelehnt"),
        ("einstimmig", 4, 0, 0, 5, "abgelehnt"),
        ("einstimmig", 0, 0, 0, 0, "abgelehnt"),
    ],
)
def test_the_rule_decides(rule, yes, no, abstain, electorate, result):
    assert WrittenVote(rule=rule).decide(yes, no, abstain, electorate) == result


def test_a_ballot_of_someone_who_left_before_the_close_does_not_count(world, voters, votes):
    vote = votes["open"]
    cast_vote(vote, voters["colleague"], YES)
    membership = voters["colleague"].memberships.get()
    membership.ends_on = timezone.localdate()
    membership.save()
    with time_machine.travel(vote.deadline + datetime.timedelta(days=1)):
        close_due_votes()
    vote.refresh_from_db()
    assert (vote.yes_count, vote.electorate, vote.result) == (0, 2, "abgelehnt")


# --- The steps on a frozen clock ------------------------------------------------------------------


def test_reminder_goes_two_days_before_the_deadline_to_those_who_have_not_voted(
    world, voters, votes
):
    vote = votes["open"]
    cast_vote(vote, voters["colleague"], YES)
    with time_machine.travel(vote.deadline - datetime.timedelta(days=2, minutes=1), tick=False):
        call_command("close_written_votes", stdout=io.StringIO())
    assert not vote_mails("reminder").exists()
    with time_machine.travel(vote.deadline - datetime.timedelta(days=2), tick=False):
        call_command("close_written_votes", stdout=io.StringIO())
        call_command("close_written_votes", stdout=io.StringIO())
    # The member with a login who has not voted; the colleague voted, Otto has no login.
    assert list(vote_mails("reminder").values_list("recipient", flat=True)) == [
        "mitglied@example.org"
    ]
    mail = vote_mails("reminder").get()
    assert (
        f"http://testserver{vote.get_absolute_url()}" in mail.body
        or vote.get_absolute_url() in mail.body
    )
    assert "liegt uns von Ihnen noch keine Stimme vor" in mail.body


def test_the_deadline_closes_the_vote_once_and_records_the_decision(world, voters, votes):
    vote = votes["open"]
    cast_vote(vote, world["people"]["member"], YES)
    cast_vote(vote, voters["colleague"], ABSTAIN)
    next_meeting = world["meeting"]
    assert next_meeting.starts_at > vote.deadline
    with time_machine.travel(vote.deadline - datetime.timedelta(seconds=1), tick=False):
        assert close_due_votes() == 0
    with time_machine.travel(vote.deadline, tick=False):
        call_command("close_written_votes", stdout=io.StringIO())
        call_command("close_written_votes", stdout=io.StringIO())
    vote.refresh_from_db()
    assert vote.closed_at == vote.deadline
    assert (vote.yes_count, vote.no_count, vote.abstain_count, vote.electorate) == (1, 0, 1, 3)
    assert vote.result == WrittenVote.Result.ADOPTED
    outcome = Outcome.objects.get(written_vote=vote)
    assert (outcome.meeting, outcome.kind, outcome.status) == (next_meeting, "beschluss", "gefasst")
    assert "angenommen – Ja 1, Nein 0, Enthaltung 1; 3 stimmberechtigt" in outcome.text
    item = AgendaItem.objects.get(meeting=next_meeting, title=REPORT_TITLE)
    assert outcome.agenda_item == item and vote.title in item.description
    # One result mail per member with a login, once.
    assert sorted(vote_mails("result", vote).values_list("recipient", flat=True)) == [
        "kollegin@example.org",
        "mitglied@example.org",
    ]


def test_the_vote_closes_once_everyone_has_voted(world, voters, votes):
    vote = votes["open"]
    voters["offline"].memberships.update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    cast_vote(vote, world["people"]["member"], YES)
    assert not WrittenVote.objects.get(pk=vote.pk).is_closed
    cast_vote(vote, voters["colleague"], YES)
    vote.refresh_from_db()
    assert vote.is_closed and vote.result == "angenommen"
    assert vote_mails("result", vote).count() == 2


def test_the_meeting_page_reports_the_decision_with_a_link_to_the_vote(visit, world, votes):
    meeting = votes["closed"].outcome.meeting
    content = visit("member").get(meeting.get_absolute_url()).content.decode()
    assert str(REPORT_TITLE) in content
    assert votes["closed"].get_absolute_url() in content
    assert "Ausgewertete Vorlage" in content


def test_without_a_next_meeting_the_decision_waits_for_one(world):
    board = make_board("Neuer Beirat")
    member = make_member(board, make_user())
    vote = make_vote(board)
    cast_vote(vote, member, YES)
    vote.refresh_from_db()
    assert vote.is_closed and vote.outcome is None
    assert WrittenVote.record_pending_outcomes() == 0
    meeting = make_meeting(board, number=1)
    assert WrittenVote.record_pending_outcomes() == 1
    assert WrittenVote.record_pending_outcomes() == 0
    assert WrittenVote.objects.get(pk=vote.pk).outcome.meeting == meeting


# --- Members' area --------------------------------------------------------------------------------


def test_members_area_shows_open_votes_first_with_their_deadline(visit, world, votes):
    other = make_vote(world["other_meeting"].board, title="Vorlage des anderen Beirats")
    client = visit("member")
    content = client.get(reverse("advisory_board:members")).content.decode()
    assert "Offene Abstimmung" in content and "Laufende Vorlage" in content
    deadline = timezone.localtime(votes["open"].deadline)
    assert f"abstimmen bis {date_format(deadline, 'l, j. F Y')}" in content
    assert "Sie haben noch nicht abgestimmt." in content
    # First on the page, before the next meeting.
    assert content.index("Laufende Vorlage") < content.index("Nächste Sitzung")
    for title in ("Vorlage im Entwurf", "Ausgewertete Vorlage", other.title):
        assert title not in content
    cast_vote(votes["open"], world["people"]["member"], YES)
    assert "Sie haben abgestimmt." in client.get(reverse("advisory_board:members")).content.decode()


@pytest.mark.parametrize("visitor", ["former_member", "other_board_member"])
def test_members_area_of_others_shows_no_vote_of_the_board(visit, votes, visitor):
    content = visit(visitor).get(reverse("advisory_board:members")).content.decode()
    assert "Laufende Vorlage" not in content


# --- Admin ----------------------------------------------------------------------------------------


def start_form(board, **changes):
    deadline = timezone.localtime(timezone.now() + datetime.timedelta(days=10))
    return {
        "board": board.pk,
        "title": "Neue Vorlage",
        "motion": "Der Beirat beschließt.",
        "rule": "mehrheit",
        "allows_abstention": "on",
        "deadline_0": deadline.strftime("%d.%m.%Y"),
        "deadline_1": "12:00",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "_start": "1",
        **changes,
    }


def test_staff_start_a_vote_and_every_current_member_gets_the_mail(visit, world, voters):
    client = visit("staff")
    form = client.get(ADMIN + "add/").content.decode()
    assert "Sichern und Abstimmung starten" in form
    response = client.post(ADMIN + "add/", start_form(world["board"]))
    vote = WrittenVote.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:advisory_board_writtenvote_change", args=[vote.pk])
    assert vote.is_started and vote.created_by == world["users"]["staff"]
    assert sorted(vote_mails("started").values_list("recipient", flat=True)) == [
        "kollegin@example.org",
        "mitglied@example.org",
    ]
    mail = vote_mails("started").first()
    assert mail.subject.startswith("[KOSS-Portal] Umlaufbeschluss „Neue Vorlage“")
    assert vote.get_absolute_url() in mail.body
    page = client.get(response.url).content.decode()
    assert "Otto Ohnezugang" in page  # who the mail misses
    # Started, the vote stays as the members received it; a second start sends nothing.
    assert 'name="motion"' not in page
    client.post(response.url, {"_start": "1"})
    assert vote_mails("started").count() == 2


def test_a_deadline_in_the_past_is_refused_in_german(visit, world):
    past = timezone.localtime(timezone.now() - datetime.timedelta(days=1))
    response = visit("staff").post(
        ADMIN + "add/", start_form(world["board"], deadline_0=past.strftime("%d.%m.%Y"))
    )
    assert response.status_code == 200
    assert "Die Frist muss in der Zukunft liegen." in response.content.decode()
    assert not WrittenVote.objects.exists()


def test_staff_publish_only_counted_results(visit, votes):
    client = visit("staff")
    client.post(
        ADMIN,
        {"action": "publish_results", "_selected_action": [votes["closed"].pk, votes["open"].pk]},
    )
    assert WrittenVote.objects.get(pk=votes["closed"].pk).is_published
    assert WrittenVote.objects.get(pk=votes["open"].pk).published_at is None


def test_staff_see_every_ballot_with_who_and_when_once_counted(visit, votes):
    content = (
        visit("staff")
        .get(reverse("admin:advisory_board_writtenvote_change", args=[votes["closed"].pk]))
        .content.decode()
    )
    assert re.search(r"Maria Mitglied: Nein – \d", content)
    assert re.search(r"Clara Kollegin: Ja – \d", content)


# --- Query counts ---------------------------------------------------------------------------------


def add_members_and_votes(board, count):
    for number in range(count):
        person = make_member(board, make_user())
        vote = make_vote(board, title=f"Weitere Vorlage {number}")
        cast_vote(vote, person, YES)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_query_counts_stay_constant_as_votes_and_members_grow(visit, world, votes):
    member = visit("member")
    pages = {
        "members_area": reverse("advisory_board:members"),
        "vote_open": votes["open"].get_absolute_url(),
        "vote_closed": votes["closed"].get_absolute_url(),
    }
    for path in pages.values():
        member.get(path)  # the visit is recorded once; later pages of it read only
    counts = {name: count_queries(member, path) for name, path in pages.items()}
    add_members_and_votes(world["board"], 6)
    for _number in range(6):
        votes["closed"].ballots.create(person=make_member(world["board"]), choice=YES)
    assert {name: count_queries(member, path) for name, path in pages.items()} == counts
    staff = visit("staff")
    admin_pages = {
        "admin_list": ADMIN,
        "admin_vote": reverse("admin:advisory_board_writtenvote_change", args=[votes["closed"].pk]),
        "staff_vote": votes["open"].get_absolute_url(),
    }
    for path in admin_pages.values():
        staff.get(path)  # what Django keeps per process (content types) is read once
    staff_counts = {name: count_queries(staff, path) for name, path in admin_pages.items()}
    add_members_and_votes(world["board"], 4)
    for _number in range(4):
        votes["closed"].ballots.create(person=make_member(world["board"]), choice=NO)
        votes["open"].ballots.create(person=make_member(world["board"]), choice=NO)
    assert {name: count_queries(staff, path) for name, path in admin_pages.items()} == staff_counts
    print("query counts", counts, staff_counts)
