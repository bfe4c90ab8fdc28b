"""The lists of the partner network, the news and the portal fit 1280 px: no column is cut off
beside the filters."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from django.utils import timezone

from koss.mail import deliver
from koss.models import Mail

from ..factories import make_article, make_partner, make_topic

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
