"""The lists of the partner network, the news, the board's decisions and tasks and the portal fit 1280 px: no column is cut off
beside the filters."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from django.utils import timezone

from koss.mail import deliver
from koss.models import Mail

from ..factories import (
    make_article,
    make_board,
    make_meeting,
    make_member,
    make_partner,
    make_topic,
)

pytestmark = pytest.mark.django_db(transaction=True)

LISTS = [
    "partners_partner",
    "partners_region",
    "partners_topic",
    "news_article",
    "koss_page",
    "koss_mail",
    "koss_taskresult",
    "admin_logentry",
    "advisory_board_outcome",
]


@pytest.fixture
def rows(settings):
    partner = make_partner(
        "Thüringer Ministerium für Arbeit, Soziales, Gesundheit, Frauen und Familie",
        short_name="TMASGFF",
        kind="planungsgemeinschaft",
        topics=[make_topic("Integrierte Teilhabeplanung (ITP)")],
    )
    article = make_article(
        "Beirat für Sozialplanung berät über die integrierte Sozialplanung in den Landkreisen",
        kind="pressemitteilung",
        publish_at=timezone.now() + datetime.timedelta(days=3),
    )
    mail = Mail.objects.create(
        recipient="christine.lieberknecht@example.org",
        from_email="portal@example.org",
        subject="Neue Dokumente zur 9. Sitzung des Beirats für Sozialplanung am 16. Januar 2027",
        body="Guten Tag",
        status=Mail.Status.FAILED,
        attempts=5,
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deliver.enqueue(mail.pk)
    from django.contrib.auth import get_user_model

    board = make_board("Beirat für Sozialplanung beim Thüringer Ministerium für Soziales")
    person = make_member(board, first_name="Christine", last_name="Lieberknecht-Oberhauser")
    meeting = make_meeting(
        board,
        number=9,
        location="Thüringer Staatskanzlei, Regierungsstraße 73, 99084 Erfurt",
        starts_at=timezone.make_aware(datetime.datetime(2027, 1, 16, 10)),
    )
    meeting.outcomes.create(
        text="Die Geschäftsstelle entwirft die Gliederung des Sozialstrukturatlas Thüringen "
        "und stimmt sie mit den Planungskoordinatorinnen der Landkreise ab.",
        responsible_partner=partner,
        due_on=datetime.date(2027, 3, 31),
    )
    make_board("Beirat für Teilhabeplanung der Landkreise und kreisfreien Städte Thüringens")
    meeting.outcomes.create(
        text="Ergebnisse der Fachtagung zusammenfassen",
        responsible_person=person,
        due_on=datetime.date(2027, 2, 28),
        status="in_bearbeitung",
    )
    meeting.outcomes.create(
        kind="beschluss",
        text="Der Beirat empfiehlt dem Land, die integrierte Sozialplanung in allen Landkreisen "
        "und kreisfreien Städten dauerhaft zu fördern.",
        status="umgesetzt",
    )
    LogEntry.objects.log_actions(
        get_user_model().objects.get().pk, [partner, article], CHANGE, change_message="Titel"
    )


@pytest.mark.parametrize("changelist", LISTS)
def test_the_list_fits_1280_px(live_server, staff_page, rows, changelist):
    staff_page.goto(live_server.url + reverse(f"admin:{changelist}_changelist"))
    table = staff_page.locator("#result_list")
    assert table.count() == 1
    overflow = staff_page.evaluate(
        """() => {
            const results = document.querySelector('.results')
            return {
                page: document.documentElement.scrollWidth,
                list: results.scrollWidth - results.clientWidth,
            }
        }"""
    )
    assert overflow == {"page": 1280, "list": 0}
