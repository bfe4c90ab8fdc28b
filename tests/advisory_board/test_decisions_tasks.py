"""Decisions and tasks (Beschlüsse und Aufgaben): who sees them, their history of status, the
open tasks in the members' area and on the next meeting's agenda."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from advisory_board.models import AgendaItem, Outcome, OutcomeStatusChange

from ..factories import make_meeting, make_partner
from .conftest import VISITORS

pytestmark = pytest.mark.django_db

MEETING_ADMIN = "/verwaltung/advisory_board/meeting/"
# Who may read the decisions and tasks of the world's board, and of the other board.
SEES_OUTCOMES = {
    "anonymous": set(),
    "member": {"board"},
    "former_member": set(),
    "other_board_member": {"other_board"},
    "staff": {"board", "other_board"},
}


def make_outcome(meeting, text, **fields):
    return Outcome.objects.create(meeting=meeting, text=text, **fields)


@pytest.fixture
def outcomes(world):
    item = AgendaItem.objects.create(meeting=world["meeting"], position=2, title="Haushalt")
    return {
        "decision": make_outcome(
            world["meeting"],
            "Der Beirat empfiehlt einen Sozialstrukturatlas.",
            kind=Outcome.Kind.DECISION,
            agenda_item=item,
        ),
        "task": make_outcome(
            world["meeting"],
            "Geschäftsstelle entwirft die Gliederung.",
            agenda_item=item,
            responsible="Geschäftsstelle KOSS",
            due_on=datetime.date(2027, 1, 16),
        ),
        "done": make_outcome(
            world["meeting"], "Termine für 2027 abstimmen.", status=Outcome.Status.DONE
        ),
        "other_board": make_outcome(world["other_meeting"], "Aufgabe des anderen Beirats."),
    }


@pytest.mark.parametrize("visitor", VISITORS)
def test_meeting_page_lists_decisions_and_tasks_only_for_that_boards_members_and_staff(
    login, world, outcomes, visitor
):
    content = login(visitor).get(world["meeting"].get_absolute_url()).content.decode()
    shown = "board" in SEES_OUTCOMES[visitor]
    assert ("Beschlüsse und Aufgaben" in content) == shown
    for key in ("decision", "task", "done"):
        assert (outcomes[key].text in content) == shown, key
    assert outcomes["other_board"].text not in content


@pytest.mark.parametrize("visitor", VISITORS)
def test_members_area_shows_the_open_tasks_of_the_members_boards(login, world, outcomes, visitor):
    response = login(visitor).get(reverse("advisory_board:members"))
    if visitor == "anonymous":
        assert response.status_code == 302
        return
    content = response.content.decode()
    # Staff see the current board's tasks in the members' area.
    assert (outcomes["task"].text in content) == (visitor in {"member", "staff"})
    assert (outcomes["other_board"].text in content) == (visitor == "other_board_member")
    # Done tasks and decisions are no open tasks.
    assert outcomes["done"].text not in content
    assert outcomes["decision"].text not in content


@pytest.mark.parametrize("visitor", VISITORS)
def test_queryset_rule_matches_the_table(world, outcomes, visitor):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if visitor == "anonymous" else world["users"][visitor]
    user.second_factor_passed = True
    visible = set(Outcome.objects.visible_to(user))
    expected = set()
    if "board" in SEES_OUTCOMES[visitor]:
        expected |= {outcomes[key] for key in ("decision", "task", "done")}
    if "other_board" in SEES_OUTCOMES[visitor]:
        expected.add(outcomes["other_board"])
    assert visible == expected


def test_staff_without_the_second_factor_see_no_outcomes(world, outcomes, settings):
    settings.KOSS_REQUIRE_STAFF_2FA = True
    assert not Outcome.objects.visible_to(world["users"]["staff"]).exists()


def test_meeting_page_shows_what_became_of_each_outcome(login, world, outcomes):
    Outcome.objects.filter(pk=outcomes["done"].pk).update(
        status_changed_at=timezone.make_aware(datetime.datetime(2026, 3, 3, 12))
    )
    content = login("member").get(world["meeting"].get_absolute_url()).content.decode()
    assert "erledigt</span>, seit 3. März 2026" in content
    assert "TOP 2: Haushalt" in content
    assert "Geschäftsstelle KOSS" in content
    assert "16. Januar 2027" in content


def test_overdue_open_tasks_are_marked(login, world, outcomes):
    with time_machine.travel(datetime.datetime(2027, 2, 1, 12, tzinfo=datetime.UTC)):
        content = login("member").get(reverse("advisory_board:members")).content.decode()
    assert "(überfällig)" in content


def test_responsible_names_join_text_person_and_partner(world):
    partner = make_partner("ThASG e.V.")
    outcome = make_outcome(
        world["meeting"],
        "Stellungnahme",
        responsible="Arbeitsgruppe",
        responsible_person=world["people"]["member"],
        responsible_partner=partner,
    )
    assert outcome.responsible_names == "Arbeitsgruppe, Maria Mitglied, ThASG e.V."


def test_an_agenda_item_of_another_meeting_is_rejected(world):
    item = AgendaItem.objects.create(meeting=world["other_meeting"], position=1, title="Fremd")
    outcome = Outcome(meeting=world["meeting"], agenda_item=item, text="Falsch zugeordnet")
    with pytest.raises(ValidationError) as error:
        outcome.full_clean()
    assert "gehört zu einer anderen Sitzung" in str(error.value)


class TestStatusHistory:
    def outcome_inline(self, meeting, outcomes, changes=None):
        """The meeting's change form as the admin posts it, the outcomes with the changes."""
        data = {
            "board": meeting.board_id,
            "number": meeting.number,
            "starts_at_0": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y"),
            "starts_at_1": "14:00:00",
            "location": meeting.location,
            "status": meeting.status,
        }
        for prefix in ("agenda_items", "documents", "replies", "attendance"):
            data |= management_form(prefix, 0, 0)
        saved = sum(1 for outcome in outcomes if outcome.pk)
        data |= management_form("outcomes", len(outcomes), saved)
        for n, outcome in enumerate(outcomes):
            values = {
                "id": outcome.pk if outcome.pk else "",
                "meeting": meeting.pk,
                "agenda_item": outcome.agenda_item_id or "",
                "kind": outcome.kind,
                "text": outcome.text,
                "responsible": outcome.responsible,
                "responsible_person": "",
                "responsible_partner": "",
                "due_on": outcome.due_on.strftime("%d.%m.%Y") if outcome.due_on else "",
                "status": outcome.status,
            } | (changes or {}).get(n, {})
            data |= {f"outcomes-{n}-{key}": value for key, value in values.items()}
        return data

    def test_a_status_changed_in_the_meeting_form_is_recorded_with_who_and_when(
        self, login, world, outcomes
    ):
        client = login("staff")
        meeting = world["meeting"]
        own = [outcomes[key] for key in ("decision", "task", "done")]
        url = f"{MEETING_ADMIN}{meeting.pk}/change/"
        response = client.post(url, self.outcome_inline(meeting, own, {1: {"status": "erledigt"}}))
        assert response.status_code == 302, response.context and response.context["errors"]
        change = OutcomeStatusChange.objects.get()
        assert (change.outcome, change.old_status, change.new_status, change.changed_by) == (
            outcomes["task"],
            "offen",
            "erledigt",
            world["users"]["staff"],
        )
        outcomes["task"].refresh_from_db()
        assert outcomes["task"].status_changed_at == change.changed_at
        # Saving again without a change adds nothing.
        own = list(Outcome.objects.filter(meeting=meeting).order_by("pk"))
        client.post(url, self.outcome_inline(meeting, own))
        assert OutcomeStatusChange.objects.count() == 1

    def test_a_new_outcome_starts_its_history(self, login, world):
        meeting = world["meeting"]
        new = Outcome(meeting=meeting, text="Neue Aufgabe")
        response = login("staff").post(
            f"{MEETING_ADMIN}{meeting.pk}/change/", self.outcome_inline(meeting, [new])
        )
        assert response.status_code == 302
        change = OutcomeStatusChange.objects.get()
        assert (change.outcome.text, change.old_status, change.new_status) == (
            "Neue Aufgabe",
            "",
            "offen",
        )

    def test_the_outcome_list_and_its_actions_record_the_history(self, login, world, outcomes):
        client = login("staff")
        url = "/verwaltung/advisory_board/outcome/"
        client.post(
            url,
            {"action": "mark_in_progress", "_selected_action": [outcomes["task"].pk]},
        )
        change = OutcomeStatusChange.objects.get()
        assert (change.old_status, change.new_status) == ("offen", "in_bearbeitung")
        page = client.get(f"{url}{outcomes['task'].pk}/change/").content.decode()
        assert "in Bearbeitung" in page and "redaktion@example.org" in page

    def test_nobody_else_reaches_the_outcomes_in_the_admin(self, login, world, outcomes):
        for visitor in ("anonymous", "member", "former_member", "other_board_member"):
            client = login(visitor)
            response = client.get("/verwaltung/advisory_board/outcome/")
            assert response.status_code == 302 and "/login/" in response.url
            client.logout()


def management_form(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


class TestOpenTasksOnTheAgenda:
    def run_action(self, client, meeting):
        return client.post(
            MEETING_ADMIN,
            {"action": "put_open_tasks_on_agenda", "_selected_action": [meeting.pk]},
            follow=True,
        )

    def test_a_planned_meeting_gets_an_item_with_the_boards_open_tasks(self, login, world):
        earlier = make_meeting(world["board"], days_ahead=-90, status="stattgefunden")
        item = AgendaItem.objects.create(meeting=earlier, position=3, title="Atlas")
        make_outcome(earlier, "Gliederung entwerfen", agenda_item=item, responsible="KOSS")
        make_outcome(earlier, "Im Gange", status=Outcome.Status.IN_PROGRESS)
        make_outcome(earlier, "Schon erledigt", status=Outcome.Status.DONE)
        make_outcome(earlier, "Nur ein Beschluss", kind=Outcome.Kind.DECISION)
        make_outcome(world["other_meeting"], "Aufgabe des anderen Beirats")
        AgendaItem.objects.create(meeting=world["meeting"], position=1, title="Begrüßung")
        client = login("staff")

        response = self.run_action(client, world["meeting"])

        assert "2 offene Aufgaben stehen unter TOP 2" in response.content.decode()
        item = world["meeting"].agenda_items.get(position=2)
        assert item.title == "Offene Aufgaben aus früheren Sitzungen"
        assert (
            f"Gliederung entwerfen – verantwortlich: KOSS – offen (aus der {earlier.number}. Sitzung, TOP 3)"
            in item.description
        )
        assert "Im Gange" in item.description
        for absent in ("Schon erledigt", "Nur ein Beschluss", "anderen Beirats"):
            assert absent not in item.description
        # Once more: the item is brought up to date, not added twice.
        Outcome.objects.filter(text="Im Gange").update(status=Outcome.Status.DONE)
        self.run_action(client, world["meeting"])
        item = world["meeting"].agenda_items.get(title="Offene Aufgaben aus früheren Sitzungen")
        assert "Im Gange" not in item.description
        assert world["meeting"].agenda_items.count() == 2

    def test_a_held_meeting_is_left_alone(self, login, world):
        held = make_meeting(world["board"], days_ahead=-3, status="stattgefunden")
        earlier = make_meeting(world["board"], days_ahead=-90, status="stattgefunden")
        make_outcome(earlier, "Offen")
        response = self.run_action(login("staff"), held)
        assert "nur geplante Sitzungen" in response.content.decode()
        assert not held.agenda_items.exists()

    def test_without_open_tasks_nothing_is_added(self, login, world):
        response = self.run_action(login("staff"), world["meeting"])
        assert "Es gibt keine offenen Aufgaben" in response.content.decode()
        assert not world["meeting"].agenda_items.exists()


def fill_tasks(meeting, count):
    partner = make_partner("Verantwortlicher Partner")
    person = meeting.board.memberships.first().person
    items = [
        AgendaItem.objects.create(meeting=meeting, position=n, title=f"Punkt {n}")
        for n in range(1, 6)
    ]
    Outcome.objects.bulk_create(
        Outcome(
            meeting=meeting,
            agenda_item=items[n % 5],
            text=f"Aufgabe Nummer {n}",
            responsible_person=person,
            responsible_partner=partner,
            due_on=datetime.date(2027, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(count)
    )


@pytest.mark.parametrize("tasks", [10, 100])
def test_members_area_queries_stay_the_same_as_tasks_grow(
    login, world, django_assert_num_queries, tasks
):
    fill_tasks(world["meeting"], tasks)
    client = login("member")
    # Session and user, the open written votes, person and boards, open date polls, next meeting
    # with the reply, agenda, open tasks, new documents, drafts of minutes open for comments, past
    # meetings, and the visit being recorded.
    with django_assert_num_queries(12):
        content = client.get(reverse("advisory_board:members")).content.decode()
    assert content.count("Aufgabe Nummer ") == tasks


@pytest.mark.parametrize("tasks", [10, 100])
def test_meeting_page_queries_stay_the_same_as_tasks_grow(
    login, world, django_assert_num_queries, tasks
):
    fill_tasks(world["meeting"], tasks)
    client = login("member")
    # Session and user, person and boards, the meeting with the reply, the visit being
    # recorded, documents, agenda, the comments on the minutes, news, decisions and tasks
    # (attendance is read from the meeting's day on: not for this planned meeting).
    with django_assert_num_queries(10):
        content = client.get(world["meeting"].get_absolute_url()).content.decode()
    assert content.count("Aufgabe Nummer ") == tasks


class TestStatusFitsTheKind:
    def test_a_new_decision_is_taken_not_open(self, world):
        decision = Outcome(meeting=world["meeting"], kind=Outcome.Kind.DECISION, text="Gilt.")
        decision.full_clean()
        decision.save()
        assert decision.status == Outcome.Status.TAKEN
        assert make_outcome(world["meeting"], "Zu tun").status == Outcome.Status.OPEN

    @pytest.mark.parametrize("status", ["offen", "in_bearbeitung", "erledigt", "entfallen"])
    def test_a_decision_refuses_the_statuses_of_a_task(self, world, status):
        decision = make_outcome(world["meeting"], "Gilt.", kind=Outcome.Kind.DECISION)
        decision.status = status
        with pytest.raises(ValidationError) as error:
            decision.full_clean()
        assert "Ein Beschluss ist gefasst, umgesetzt oder aufgehoben" in str(error.value)

    @pytest.mark.parametrize("status", ["gefasst", "umgesetzt", "aufgehoben"])
    def test_a_task_refuses_the_statuses_of_a_decision(self, world, status):
        task = Outcome(meeting=world["meeting"], text="Zu tun", status=status)
        with pytest.raises(ValidationError) as error:
            task.full_clean()
        assert "Eine Aufgabe ist offen, in Bearbeitung, erledigt oder entfallen" in str(error.value)

    def test_a_decision_has_no_responsible_and_no_due_date(self, world):
        decision = Outcome(
            meeting=world["meeting"],
            kind=Outcome.Kind.DECISION,
            text="Gilt.",
            responsible="Geschäftsstelle",
            due_on=datetime.date(2027, 1, 1),
        )
        with pytest.raises(ValidationError) as error:
            decision.full_clean()
        assert set(error.value.message_dict) == {"responsible", "due_on"}
        assert "Ein Beschluss hat keine Verantwortlichen" in str(error.value)
        assert "Ein Beschluss hat kein Fälligkeitsdatum" in str(error.value)

    @pytest.mark.parametrize(
        "fields",
        [
            ("responsible", "responsible_person"),
            ("responsible_person", "responsible_partner"),
            ("responsible", "responsible_partner"),
        ],
    )
    def test_a_task_has_one_responsible_party(self, world, fields):
        values = {
            "responsible": "Geschäftsstelle KOSS",
            "responsible_person": world["people"]["member"],
            "responsible_partner": make_partner("ThASG e.V."),
        }
        task = Outcome(
            meeting=world["meeting"], text="Zu tun", **{name: values[name] for name in fields}
        )
        with pytest.raises(ValidationError) as error:
            task.full_clean()
        assert "Bitte nennen Sie nur eine verantwortliche Stelle" in str(error.value)
        for name in values:
            single = Outcome(meeting=world["meeting"], text="Zu tun", **{name: values[name]})
            single.full_clean()

    def test_the_bulk_actions_leave_decisions_alone(self, login, world, outcomes):
        client = login("staff")
        response = client.post(
            "/verwaltung/advisory_board/outcome/",
            {
                "action": "mark_done",
                "_selected_action": [outcomes["task"].pk, outcomes["decision"].pk],
            },
            follow=True,
        )
        outcomes["decision"].refresh_from_db()
        outcomes["task"].refresh_from_db()
        assert outcomes["decision"].status == Outcome.Status.TAKEN
        assert outcomes["task"].status == Outcome.Status.DONE
        assert "1 Beschluss nicht geändert: Der Stand „erledigt“ gilt nur für Aufgaben." in (
            response.content.decode()
        )

    def test_a_decision_can_be_marked_implemented(self, login, world, outcomes):
        login("staff").post(
            "/verwaltung/advisory_board/outcome/",
            {"action": "mark_implemented", "_selected_action": [outcomes["decision"].pk]},
        )
        change = OutcomeStatusChange.objects.get()
        assert (change.outcome, change.old_status, change.new_status) == (
            outcomes["decision"],
            "gefasst",
            "umgesetzt",
        )


class TestTheFormFitsTheKind:
    URL = "/verwaltung/advisory_board/outcome/"

    def test_the_list_offers_to_add_a_decision_or_a_task(self, login, world):
        content = login("staff").get(self.URL).content.decode()
        assert f'href="{self.URL}add/?kind=beschluss"' in content
        assert f'href="{self.URL}add/?kind=aufgabe"' in content
        assert "Beschluss hinzufügen" in content and "Aufgabe hinzufügen" in content

    def test_a_decision_form_has_no_responsible_and_no_due_date(self, login, world):
        response = login("staff").get(f"{self.URL}add/?kind=beschluss")
        form = response.context["adminform"].form
        assert "Beschluss hinzufügen" in response.content.decode()
        assert form.initial["kind"] == "beschluss"
        assert form.initial["status"] == "gefasst"
        assert [value for value, _label in form.fields["status"].choices] == [
            "gefasst",
            "umgesetzt",
            "aufgehoben",
        ]
        for absent in ("responsible", "responsible_person", "responsible_partner", "due_on"):
            assert absent not in form.fields

    def test_a_task_form_groups_who_is_responsible(self, login, world):
        response = login("staff").get(f"{self.URL}add/?kind=aufgabe")
        assert "Aufgabe hinzufügen" in response.content.decode()
        fieldsets = dict(
            response.context["adminform"].model_admin.get_fieldsets(response.wsgi_request)
        )
        assert fieldsets["Verantwortlich"]["fields"] == [
            "responsible_person",
            "responsible_partner",
            "responsible",
        ]
        assert (
            "eine Person des Beirats, eine Partnerorganisation oder ein freier Text"
            in (fieldsets["Verantwortlich"]["description"])
        )
        assert response.context["adminform"].form.initial["status"] == "offen"

    def test_a_decision_is_added_as_taken(self, login, world):
        response = login("staff").post(
            f"{self.URL}add/?kind=beschluss",
            {
                "meeting": world["meeting"].pk,
                "kind": "beschluss",
                "text": "Der Beirat empfiehlt einen Atlas.",
                "status": "gefasst",
                **management_form("status_changes", 0, 0),
            },
        )
        assert response.status_code == 302, response.context["errors"]
        outcome = Outcome.objects.get()
        assert (outcome.kind, outcome.status) == ("beschluss", "gefasst")

    def test_two_responsible_parties_are_refused_in_german(self, login, world):
        response = login("staff").post(
            f"{self.URL}add/?kind=aufgabe",
            {
                "meeting": world["meeting"].pk,
                "kind": "aufgabe",
                "text": "Gliederung entwerfen",
                "responsible": "Geschäftsstelle",
                "responsible_person": world["people"]["member"].pk,
                "status": "offen",
                **management_form("status_changes", 0, 0),
            },
        )
        assert response.status_code == 200
        assert "Bitte nennen Sie nur eine verantwortliche Stelle" in response.content.decode()
        assert not Outcome.objects.exists()

    def test_the_list_names_the_meeting_briefly(self, login, world, outcomes):
        world["meeting"].starts_at = timezone.make_aware(datetime.datetime(2027, 1, 16, 10))
        world["meeting"].save()
        content = login("staff").get(self.URL).content.decode()
        assert f"{world['meeting'].number}. Sitzung, 16.01.2027" in content


def test_the_migration_gives_decisions_their_own_statuses_and_back(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("advisory_board.migrations.0016_outcome_status_fits_kind")
    meeting = world["meeting"]
    old = {"offen": "gefasst", "erledigt": "umgesetzt", "entfallen": "aufgehoben"}
    decisions = [
        make_outcome(meeting, status, kind=Outcome.Kind.DECISION, status="gefasst")
        for status in old
    ]
    # As they were before: a decision with the statuses of a task and a history of them.
    for decision in decisions:
        Outcome.objects.filter(pk=decision.pk).update(status=decision.text)
        decision.status_changes.create(old_status="", new_status=decision.text)
    task = make_outcome(meeting, "Zu tun", status="erledigt")
    task.status_changes.create(old_status="offen", new_status="erledigt")

    migration.forwards(apps, None)
    for decision in decisions:
        decision.refresh_from_db()
        assert decision.status == old[decision.text]
        assert decision.status_changes.get().new_status == old[decision.text]
    task.refresh_from_db()
    assert task.status == "erledigt"
    assert task.status_changes.get().new_status == "erledigt"

    migration.backwards(apps, None)
    assert {d.text: d.status for d in Outcome.objects.filter(kind="beschluss")} == {
        status: status for status in old
    }
