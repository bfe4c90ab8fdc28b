import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from news.models import Article

from ..factories import current_totp_code, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

BERLIN = ZoneInfo("Europe/Berlin")


def test_staff_schedule_an_article_and_visitors_see_it_only_after_its_time(live_server, browser):
    make_staff()
    publish_at = (timezone.now() + datetime.timedelta(hours=1)).astimezone(BERLIN)

    staff = browser.new_context(locale="de-DE").new_page()
    staff.goto(f"{live_server.url}/verwaltung/news/article/add/")
    # The admin login is allauth's, with the second factor.
    staff.fill("#id_login", "redaktion@example.org")
    staff.fill("#id_password", "correct-horse-battery")
    staff.get_by_role("button", name="Anmelden").click()
    staff.locator("#id_code").fill(current_totp_code())
    staff.locator("#id_code").press("Enter")
    staff.wait_for_url("**/verwaltung/news/article/add/")

    staff.locator("#id_kind").select_option(label="Pressemitteilung")
    staff.locator("#id_title").press_sequentially("Beirat tagt zum fünften Mal")
    expect(staff.locator("#id_slug")).to_have_value("beirat-tagt-zum-fuenften-mal")
    staff.locator("#id_teaser").fill("Die fünfte Sitzung des Beirats steht bevor.")
    editor = staff.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    editor.press_sequentially("Der Beirat trifft sich in Erfurt.")
    staff.locator("#id_status").select_option(label="Freigegeben")
    staff.locator("#id_publish_at_0").fill(publish_at.strftime("%d.%m.%Y"))
    staff.locator("#id_publish_at_1").fill(publish_at.strftime("%H:%M:%S"))
    staff.get_by_role("button", name="Sichern", exact=True).first.click()
    expect(staff.locator(".messagelist")).to_contain_text("erfolgreich hinzugefügt")

    article = Article.objects.get()
    assert article.state_label == "Geplant"
    assert "Der Beirat trifft sich in Erfurt." in article.body

    # Staff can preview it as it will look.
    staff.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(staff.get_by_text("Status: Geplant")).to_be_visible()

    visitor = browser.new_context(locale="de-DE").new_page()
    visitor.goto(f"{live_server.url}/aktuelles/")
    expect(visitor.get_by_text("Beirat tagt zum fünften Mal")).to_have_count(0)
    assert visitor.goto(f"{live_server.url}{article.get_absolute_url()}").status == 404

    with time_machine.travel(publish_at + datetime.timedelta(minutes=1)):
        visitor.goto(f"{live_server.url}/aktuelles/")
        visitor.get_by_role("link", name="Beirat tagt zum fünften Mal").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Beirat tagt zum fünften Mal")
        expect(visitor.get_by_text("Der Beirat trifft sich in Erfurt.")).to_be_visible()
        visitor.goto(f"{live_server.url}/aktuelles/feed/")
        assert "Beirat tagt zum fünften Mal" in visitor.content()
