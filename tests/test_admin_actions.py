"""Every action of every registered ModelAdmin and every view a ModelAdmin adds, plus the admin's
start page, run once as staff with the second factor, outside a test transaction.

Inside a test's transaction, code that locks (`select_for_update`) or defers to commit
(`on_commit`) behaves as it never does in production. These tests run in autocommit, as a
request does on the server: on PostgreSQL (`DATABASE_URL`, as CI runs the suite a second time)
a lock outside an atomic block fails here as it fails in production. The cases are enumerated
from `admin.site._registry`: a new action or admin view without a case below fails this module.
"""

import pytest
import reversion
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, User
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from advisory_board.emails import cast_vote
from advisory_board.models import (
    AgendaItem,
    Attendance,
    DatePoll,
    DatePollOption,
    Document,
    DownloadLog,
    Meeting,
    MinutesComment,
    Outcome,
    OutcomeStatusChange,
    Person,
    Reminder,
    Reply,
    WrittenVote,
)
from koss.models import Mail, Page, Term
from news.models import Article, PressListSend, Subscription
from partners.models import OpenDataLicence, Partner, Region

from .factories import (
    TOTP_SECRET,
    form_data,
    make_article,
    make_board,
    make_document,
    make_meeting,
    make_member,
    make_partner,
    make_topic,
    make_user,
)


def registry_request():
    """A request of staff with every right, to ask each ModelAdmin which actions it offers."""
    request = RequestFactory().get("/verwaltung/")
    request.user = User(is_active=True, is_staff=True, is_superuser=True)
    request.user.second_factor_passed = True
    return request


def label(model):
    return model._meta.label


def registered_actions():
    """(model label, action name) of every action the admin offers staff, Django's own
    "delete_selected" included."""
    request = registry_request()
    return sorted(
        (label(model), name)
        for model, model_admin in admin.site._registry.items()
        for name in model_admin.get_actions(request)
    )


def registered_views():
    """The URLs each ModelAdmin adds to Django's own (changelist, add, change, delete, history),
    by name (or pattern, where it has none), and the admin's start page."""
    added = set()
    for model_admin in admin.site._registry.values():
        own = {str(base.pattern) for base in admin.ModelAdmin.get_urls(model_admin)}
        added |= {
            pattern.name or str(pattern.pattern)
            for pattern in model_admin.get_urls()
            if str(pattern.pattern) not in own
        }
    return sorted({"index", *added})


ACTIONS = registered_actions()
VIEWS = registered_views()


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def run_action(client, model, name, objects, **data):
    return client.post(
        changelist(model),
        {"action": name, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], **data},
    )


def assert_back_to_the_list(response, model):
    assert response.status_code == 302, response.status_code
    assert response.url.startswith(changelist(model))


# --- Objects to delete: one factory per model whose admin offers "delete_selected" ---------------


def a_meeting(**fields):
    return make_meeting(make_board(), **fields)


def a_document():
    return make_document(a_meeting(), "Protokoll zum Löschen")


def a_comment():
    document = a_document()
    person = make_member(document.meeting.board)
    return MinutesComment.objects.create(document=document, person=person, text="Gut.", version=1)


def an_authenticator():
    return TOTP.activate(make_user("zweiter-faktor@example.org"), TOTP_SECRET).instance


DELETABLE = {
    "account.EmailAddress": lambda: EmailAddress.objects.create(
        user=make_user("adresse@example.org"), email="adresse@example.org"
    ),
    "advisory_board.Board": lambda: make_board("Beirat zum Löschen"),
    "advisory_board.DatePoll": lambda: a_date_poll(),
    "advisory_board.Document": a_document,
    "advisory_board.DownloadLog": lambda: DownloadLog.objects.create(
        document=a_document(), version=1
    ),
    "advisory_board.Meeting": a_meeting,
    "advisory_board.Membership": lambda: make_member(make_board()).memberships.get(),
    "advisory_board.MinutesComment": a_comment,
    "advisory_board.Outcome": lambda: Outcome.objects.create(meeting=a_meeting(), text="Weg"),
    "advisory_board.WrittenVote": lambda: a_vote(started=False),
    "advisory_board.Person": lambda: Person.objects.create(first_name="Lea", last_name="Löschen"),
    "auth.Group": lambda: Group.objects.create(name="Gruppe zum Löschen"),
    "auth.User": lambda: make_user("geht@example.org"),
    "koss.Term": lambda: Term.objects.create(
        name="Begriff zum Löschen", slug="begriff-zum-loeschen", explanation="Weg."
    ),
    "mfa.Authenticator": an_authenticator,
    "news.Article": make_article,
    "news.PressListSend": lambda: PressListSend.objects.create(article=make_article()),
    "news.Subscription": lambda: Subscription.objects.create(
        email="geht@example.org", token="weg", consent_text="…", signed_up_at=timezone.now()
    ),
    "partners.Partner": make_partner,
    "partners.Region": lambda: Region.objects.create(
        name="Landkreis zum Löschen", slug="landkreis-zum-loeschen", kind=Region.Kind.LANDKREIS
    ),
    "partners.Topic": make_topic,
    "partners.OpenDataLicence": lambda: OpenDataLicence.objects.create(
        name="Lizenz zum Löschen", attribution="KOSS"
    ),
}


def a_date_poll(board=None):
    poll = DatePoll.objects.create(
        board=board or make_board(),
        title="Termin der 8. Sitzung",
        answer_until=timezone.localdate() + timezone.timedelta(days=7),
    )
    for weeks in (8, 9):
        DatePollOption.objects.create(
            poll=poll, starts_at=timezone.now() + timezone.timedelta(weeks=weeks)
        )
    return poll


def a_vote(started=True, **fields):
    vote = WrittenVote.objects.create(
        board=make_board(),
        title="Umlauf",
        motion="Der Beirat beschließt.",
        started_at=timezone.now() if started else None,
        **fields,
    )
    return vote


def delete_selected(client, model):
    obj = DELETABLE[label(model)]()
    confirmation = run_action(client, model, "delete_selected", [obj])
    assert confirmation.status_code == 200
    assert "Sind Sie sicher" in confirmation.content.decode()
    assert model._default_manager.filter(pk=obj.pk).exists()
    response = run_action(client, model, "delete_selected", [obj], post="yes")
    assert_back_to_the_list(response, model)
    assert not model._default_manager.filter(pk=obj.pk).exists()


# --- The custom actions, each with what it changes ------------------------------------------------

CASES = {}


def case(model_label, name):
    def register(function):
        CASES[(model_label, name)] = function
        return function

    return register


@case("account.EmailAddress", "make_verified")
def make_verified(client, staff):
    address = EmailAddress.objects.create(
        user=make_user("neu@example.org"), email="neu@example.org"
    )
    assert_back_to_the_list(
        run_action(client, EmailAddress, "make_verified", [address]), EmailAddress
    )
    address.refresh_from_db()
    assert address.verified


@case("advisory_board.Document", "approve_minutes")
def approve_minutes(client, staff):
    draft = make_document(a_meeting(days_ahead=-10, status="stattgefunden"), "Protokoll")
    assert_back_to_the_list(run_action(client, Document, "approve_minutes", [draft]), Document)
    draft.refresh_from_db()
    assert draft.approved_on == timezone.localdate()


@case("advisory_board.Meeting", "prepare_meeting")
def prepare_meeting(client, staff):
    meeting = a_meeting(number=3, days_ahead=-10)
    AgendaItem.objects.create(meeting=meeting, position=1, title="Begrüßung")
    response = run_action(client, Meeting, "prepare_meeting", [meeting])
    prepared = Meeting.objects.get(board=meeting.board, number=4)
    assert response.status_code == 302
    assert response.url == reverse("admin:advisory_board_meeting_change", args=[prepared.pk])
    assert list(prepared.agenda_items.values_list("title", flat=True)) == ["Begrüßung"]


def meeting_with_a_waiting_document():
    meeting = a_meeting()
    make_member(meeting.board, make_user("mitglied@example.org"))
    document = make_document(meeting, "Einladung", kind="einladung", released=False)
    return meeting, document


def assert_published_and_notified(document):
    document.refresh_from_db()
    assert document.published_at is not None and document.notified_at is not None
    assert [message.to for message in mail.outbox] == [["mitglied@example.org"]]


@case("advisory_board.Meeting", "publish_documents")
def publish_documents(client, staff):
    meeting, document = meeting_with_a_waiting_document()
    confirmation = run_action(client, Meeting, "publish_documents", [meeting])
    assert confirmation.status_code == 200
    assert "Einladung" in confirmation.content.decode()
    response = run_action(
        client, Meeting, "publish_documents", [meeting], bestaetigt="1", dokument=[document.pk]
    )
    assert_back_to_the_list(response, Meeting)
    assert_published_and_notified(document)


@case("advisory_board.Meeting", "prefill_attendance")
def prefill_attendance(client, staff):
    meeting = a_meeting(days_ahead=-1, status="stattgefunden")
    person = make_member(meeting.board)
    Reply.objects.create(meeting=meeting, person=person, answer=Reply.Answer.YES)
    assert_back_to_the_list(run_action(client, Meeting, "prefill_attendance", [meeting]), Meeting)
    entry = Attendance.objects.get(meeting=meeting)
    assert (entry.person, entry.status) == (person, Attendance.Status.PRESENT)


@case("advisory_board.Meeting", "put_open_tasks_on_agenda")
def put_open_tasks_on_agenda(client, staff):
    board = make_board()
    earlier = make_meeting(board, number=1, days_ahead=-90, status="stattgefunden")
    Outcome.objects.create(meeting=earlier, text="Bericht schreiben")
    meeting = make_meeting(board, number=2)
    response = run_action(client, Meeting, "put_open_tasks_on_agenda", [meeting])
    assert_back_to_the_list(response, Meeting)
    assert "Bericht schreiben" in meeting.agenda_items.get().description


def status_action(name, status, kind=Outcome.Kind.TASK):
    def run(client, staff):
        meeting = a_meeting(days_ahead=-10, status="stattgefunden")
        outcomes = [
            Outcome.objects.create(meeting=meeting, kind=kind, text=text)
            for text in ("Eins", "Zwei")
        ]
        assert_back_to_the_list(run_action(client, Outcome, name, outcomes), Outcome)
        assert set(Outcome.objects.values_list("status", flat=True)) == {status}
        history = OutcomeStatusChange.objects.values_list("new_status", "changed_by")
        assert sorted(history) == [(status, staff.pk), (status, staff.pk)]

    return run


case("advisory_board.Outcome", "mark_in_progress")(
    status_action("mark_in_progress", Outcome.Status.IN_PROGRESS)
)
case("advisory_board.Outcome", "mark_done")(status_action("mark_done", Outcome.Status.DONE))
case("advisory_board.Outcome", "mark_implemented")(
    status_action("mark_implemented", Outcome.Status.IMPLEMENTED, kind=Outcome.Kind.DECISION)
)


@case("advisory_board.Person", "send_invitation")
def send_invitation(client, staff):
    person = Person.objects.create(
        first_name="Ina", last_name="Eingeladen", email="ina@example.org"
    )
    assert_back_to_the_list(run_action(client, Person, "send_invitation", [person]), Person)
    assert Mail.objects.filter(recipient="ina@example.org", status=Mail.Status.SENT).count() == 1
    assert [message.to for message in mail.outbox] == [["ina@example.org"]]


@case("koss.Mail", "deliver_again")
def deliver_again(client, staff):
    failed = Mail.objects.create(
        recipient="zurueck@example.org",
        from_email="koss@example.org",
        subject="Erneut",
        body="Text",
        status=Mail.Status.FAILED,
        attempts=8,
    )
    assert_back_to_the_list(run_action(client, Mail, "deliver_again", [failed]), Mail)
    failed.refresh_from_db()
    assert failed.status == Mail.Status.SENT
    assert [message.to for message in mail.outbox] == [["zurueck@example.org"]]


@case("news.Article", "publish_now")
def publish_now(client, staff):
    draft = make_article(status=Article.Status.DRAFT)
    Subscription.objects.create(
        email="presse@example.org",
        token="presse",
        consent_text="…",
        signed_up_at=timezone.now(),
        confirmed_at=timezone.now(),
        news=True,
    )
    assert_back_to_the_list(run_action(client, Article, "publish_now", [draft]), Article)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    # Once committed, the article went to the press list, once.
    assert PressListSend.objects.get(article=draft).recipients == 1
    assert [m.to for m in mail.outbox if draft.title in m.subject] == [["presse@example.org"]]


@case("advisory_board.WrittenVote", "publish_results")
def publish_results(client, staff):
    counted = a_vote()
    cast_vote(counted, make_member(counted.board), "ja")  # the only member: counted at once
    running = a_vote()
    make_member(running.board)
    response = run_action(client, WrittenVote, "publish_results", [counted, running])
    assert_back_to_the_list(response, WrittenVote)
    assert WrittenVote.objects.get(pk=counted.pk).is_published
    assert WrittenVote.objects.get(pk=running.pk).published_at is None


@case("partners.Partner", "publish")
def publish_partner(client, staff):
    partner = make_partner(is_published=False)
    assert_back_to_the_list(run_action(client, Partner, "publish", [partner]), Partner)
    partner.refresh_from_db()
    assert partner.is_published


@case("partners.Partner", "unpublish")
def unpublish_partner(client, staff):
    partner = make_partner(is_published=True)
    assert_back_to_the_list(run_action(client, Partner, "unpublish", [partner]), Partner)
    partner.refresh_from_db()
    assert not partner.is_published


# --- The views the admin adds -----------------------------------------------------------------

VIEW_CASES = {}


def view_case(name):
    def register(function):
        VIEW_CASES[name] = function
        return function

    return register


@view_case("index")
def index(client, staff):
    meeting = a_meeting()
    make_document(meeting, "Noch nicht freigegeben", released=False)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert str(meeting) in content and "Noch nicht freigegeben" in content


@view_case("advisory_board_meeting_prepare")
def meeting_prepare(client, staff):
    meeting = a_meeting(number=7, days_ahead=-10)
    url = reverse("admin:advisory_board_meeting_prepare", args=[meeting.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    prepared = Meeting.objects.get(board=meeting.board, number=8)
    assert response.status_code == 302
    assert response.url == reverse("admin:advisory_board_meeting_change", args=[prepared.pk])


@view_case("advisory_board_meeting_publish")
def meeting_publish(client, staff):
    meeting, document = meeting_with_a_waiting_document()
    url = reverse("admin:advisory_board_meeting_publish", args=[meeting.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "Einladung" in confirmation.content.decode()
    response = client.post(url, {"bestaetigt": "1", "dokument": [document.pk]})
    assert_back_to_the_list(response, Meeting)
    assert_published_and_notified(document)


@view_case("advisory_board_meeting_invite")
def meeting_invite(client, staff):
    meeting, document = meeting_with_a_waiting_document()
    without_login = make_member(meeting.board)
    Person.objects.filter(pk=without_login.pk).update(email="ohne-zugang@example.org")
    url = reverse("admin:advisory_board_meeting_invite", args=[meeting.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"einladen": without_login.pk, "dokument": [document.pk]})
    assert response.status_code == 302
    assert response.url.startswith(
        reverse("admin:advisory_board_meeting_publish", args=[meeting.pk])
    )
    assert [message.to for message in mail.outbox] == [["ohne-zugang@example.org"]]
    assert Mail.objects.filter(recipient="ohne-zugang@example.org").exists()
    document.refresh_from_db()
    assert document.published_at is None


@view_case("advisory_board_meeting_remind")
def meeting_remind(client, staff):
    meeting = a_meeting(days_ahead=10)
    make_member(meeting.board, make_user("wartet@example.org"))
    replied = make_member(meeting.board, make_user("antwortete@example.org"))
    Reply.objects.create(meeting=meeting, person=replied, answer=Reply.Answer.YES)
    url = reverse("admin:advisory_board_meeting_remind", args=[meeting.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert [message.to for message in mail.outbox] == [["wartet@example.org"]]
    assert Mail.objects.filter(recipient="wartet@example.org").exists()


@view_case("advisory_board_datepoll_results")
def datepoll_results(client, staff):
    poll = a_date_poll()
    person = make_member(poll.board, make_user("antwortet@example.org"))
    poll.answer(person, {option.pk: "passt" for option in poll.options.all()})
    response = client.get(reverse("admin:advisory_board_datepoll_results", args=[poll.pk]))
    assert response.status_code == 200
    assert str(person) in response.content.decode()


@view_case("advisory_board_datepoll_choose")
def datepoll_choose(client, staff):
    meeting = a_meeting(number=7, days_ahead=-10)
    make_member(meeting.board, make_user("mitglied@example.org"))
    poll = a_date_poll(meeting.board)
    option = poll.options.last()
    url = reverse("admin:advisory_board_datepoll_choose", args=[poll.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"termin": option.pk})
    prepared = Meeting.objects.get(board=meeting.board, number=8)
    assert response.url == reverse("admin:advisory_board_meeting_change", args=[prepared.pk])
    assert prepared.starts_at == option.starts_at
    assert [message.to for message in mail.outbox] == [["mitglied@example.org"]]


@view_case("advisory_board_meeting_read_status")
def meeting_read_status(client, staff):
    meeting = a_meeting()
    user = make_user("liest@example.org")
    make_member(meeting.board, user, last_name="Leserin")
    document = make_document(meeting, "Einladung", kind="einladung")
    DownloadLog.objects.record([document], user, via_book=True)
    url = reverse("admin:advisory_board_meeting_read_status", args=[meeting.pk])
    content = client.get(url).content.decode()
    assert "Leserin" in content and "Sitzungsmappe" in content


@view_case("advisory_board_meeting_remind_invitation")
def meeting_remind_invitation(client, staff):
    meeting = a_meeting(days_ahead=10)
    make_member(meeting.board, make_user("ungelesen@example.org"))
    reader = make_user("gelesen@example.org")
    make_member(meeting.board, reader)
    document = make_document(meeting, "Einladung", kind="einladung")
    DownloadLog.objects.record([document], reader)
    url = reverse("admin:advisory_board_meeting_remind_invitation", args=[meeting.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.url == reverse("admin:advisory_board_meeting_read_status", args=[meeting.pk])
    assert [message.to for message in mail.outbox] == [["ungelesen@example.org"]]
    assert Reminder.objects.get().kind == Reminder.Kind.INVITATION


@view_case("auth_user_password_change")
def user_password_change(client, staff):
    user = make_user("passwort@example.org")
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    assert client.get(url).status_code == 200
    new = "ein-neues-langes-Passwort-2026"
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


# --- The history of content: compare, restore, recover (koss.core.history) ----------------------

HISTORY_SUBJECTS = {
    # Outside a test transaction the migrations' pages are gone: one is made again.
    "koss_page": lambda: Page.objects.get_or_create(
        slug="ueber-uns", defaults={"title": "Über uns", "body": "<p>Text.</p>"}
    )[0],
    "partners_partner": make_partner,
    "news_article": make_article,
    "advisory_board_meeting": a_meeting,
    "advisory_board_document": a_document,
    "advisory_board_person": lambda: make_member(make_board()),
}


def recorded(obj, user):
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.add_to_revision(obj)
    return Version.objects.get_for_object(obj).first()


def history_cases(prefix, make):
    @view_case(f"{prefix}_compare")
    def compare(client, staff):
        obj = make()
        older, newer = recorded(obj, staff), recorded(obj, staff)
        url = reverse(f"admin:{prefix}_compare", args=[obj.pk])
        response = client.get(url, {"a": older.pk, "b": newer.pk})
        assert response.status_code == 200
        assert "Die beiden Fassungen unterscheiden sich nicht." in response.content.decode()

    @view_case(f"{prefix}_revision")
    def revision(client, staff):
        obj = make()
        version = recorded(obj, staff)
        url = reverse(f"admin:{prefix}_revision", args=[obj.pk, version.pk])
        response = client.post(url, form_data(client.get(url)))
        assert response.status_code == 302
        assert Version.objects.get_for_object(obj).count() == 2

    @view_case(f"{prefix}_recoverlist")
    def recoverlist(client, staff):
        obj = make()
        recorded(obj, staff)
        response = client.get(reverse(f"admin:{prefix}_recoverlist"))
        # The site's pages are never deleted, so there is nothing to recover.
        assert response.status_code == (403 if prefix == "koss_page" else 200)

    @view_case(f"{prefix}_recover")
    def recover(client, staff):
        obj = make()
        version = recorded(obj, staff)
        model, pk = type(obj), obj.pk
        if prefix == "koss_page":
            url = reverse(f"admin:{prefix}_recover", args=[version.pk])
            assert client.get(url).status_code == 403
            return
        obj.delete()
        url = reverse(f"admin:{prefix}_recover", args=[version.pk])
        response = client.post(url, form_data(client.get(url)))
        assert response.status_code == 302
        assert model.objects.filter(pk=pk).exists()


for _prefix, _make in HISTORY_SUBJECTS.items():
    history_cases(_prefix, _make)


# --- The layer --------------------------------------------------------------------------------


def models_by_label():
    return {label(model): model for model in admin.site._registry}


@pytest.fixture
def autocommit(transactional_db):
    """The requests run as on the server: no transaction around them but what the code opens."""
    assert connection.get_autocommit() and not connection.in_atomic_block


def test_every_registered_action_has_a_case():
    """A new action in the admin needs a case here; a case of an action that went needs to go."""
    covered = set(CASES) | {(model, "delete_selected") for model in DELETABLE}
    assert set(ACTIONS) == covered


def test_every_view_the_admin_adds_has_a_case():
    assert set(VIEWS) == set(VIEW_CASES)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("model_label", "name"), ACTIONS, ids=[f"{m}.{n}" for m, n in ACTIONS])
def test_action_runs_outside_a_test_transaction(
    autocommit, staff_client, staff_user, model_label, name
):
    model = models_by_label()[model_label]
    if name == "delete_selected":
        assert model_label in DELETABLE, f"{model_label}: no object to delete in DELETABLE"
        delete_selected(staff_client, model)
        return
    assert (model_label, name) in CASES, f"{model_label}: action {name!r} has no case"
    CASES[(model_label, name)](staff_client, staff_user)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", VIEWS)
def test_admin_view_runs_outside_a_test_transaction(autocommit, staff_client, staff_user, name):
    assert name in VIEW_CASES, f"admin view {name!r} has no case"
    VIEW_CASES[name](staff_client, staff_user)
