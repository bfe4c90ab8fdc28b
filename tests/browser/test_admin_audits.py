"""The back office for staff who use a keyboard or a screen reader: axe-core finds nothing on the
admin pages of the three staff journeys (the meeting cycle, a press release, a partner), with the
demo content's inlines, date and time fields, autocomplete fields and the rich-text editor."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse

from advisory_board.models import Board, Document, Meeting, MinutesComment, Outcome, Person
from news.models import Article
from partners.models import Partner, Topic

from ..factories import login_staff, make_staff


def admin(name, *args):
    return reverse(f"admin:{name}", args=args)


def meeting_cycle():
    planned = Meeting.objects.get(number=9)
    held = Meeting.objects.get(number=8)
    minutes = Document.objects.filter(meeting=held, kind=Document.Kind.MINUTES).first()
    person = Person.objects.filter(memberships__isnull=False).first()
    return [
        admin("index"),
        admin("app_list", "advisory_board"),
        admin("advisory_board_meeting_changelist"),
        admin("advisory_board_meeting_add"),
        admin("advisory_board_meeting_change", planned.pk),
        # With replies, attendance, decisions and tasks.
        admin("advisory_board_meeting_change", held.pk),
        admin("advisory_board_meeting_publish", planned.pk),
        admin("advisory_board_document_changelist"),
        admin("advisory_board_document_add"),
        admin("advisory_board_document_change", minutes.pk),
        admin("advisory_board_outcome_changelist"),
        admin("advisory_board_outcome_change", Outcome.objects.first().pk),
        admin("advisory_board_minutescomment_changelist"),
        admin("advisory_board_minutescomment_change", MinutesComment.objects.first().pk),
        admin("advisory_board_person_changelist"),
        admin("advisory_board_person_change", person.pk),
        admin("advisory_board_membership_changelist"),
        admin("advisory_board_board_change", Board.objects.first().pk),
    ]


def press_release():
    release = Article.objects.filter(kind="pressemitteilung").first()
    return [
        admin("app_list", "news"),
        admin("news_article_changelist"),
        admin("news_article_changelist") + "?kind=pressemitteilung",
        admin("news_article_add"),
        admin("news_article_change", release.pk),
    ]


def partner():
    return [
        admin("app_list", "partners"),
        admin("partners_partner_changelist"),
        admin("partners_partner_add"),
        admin("partners_partner_change", Partner.objects.get(slug="liga-thueringen").pk),
        admin("partners_topic_changelist"),
        admin("partners_topic_change", Topic.objects.first().pk),
        admin("partners_region_changelist"),
    ]


@pytest.fixture(scope="module")
def auditor(_demo_site, django_db_blocker):
    """Staff who passed the second factor, beside the demo content of the module."""
    with django_db_blocker.unblock():
        return make_staff("pruefung@example.org")


@pytest.fixture
def staff_with_demo_content(demo_live_server, auditor, page):
    client = login_staff(Client(), auditor)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": demo_live_server.url,
            }
        ]
    )
    return page


@pytest.mark.parametrize("journey", [meeting_cycle, press_release, partner])
def test_admin_pages_of_the_staff_journeys_have_no_axe_violations(
    demo_live_server, staff_with_demo_content, journey
):
    page = staff_with_demo_content
    paths = journey()
    reports = []
    for path in paths:
        response = page.goto(f"{demo_live_server.url}{path}")
        assert response.status == 200, path
        assert page.locator("#content").count() == 1, path
        # axe's preload of the stylesheets inserts them as inline styles, which the admin's
        # Content-Security-Policy refuses (and the page fixture reports); every rule still runs.
        results = Axe().run(page, options={"preload": False})
        if results.violations_count:
            reports.append(f"{path}: {results.generate_report()}")
    assert reports == [], "\n".join(reports)
