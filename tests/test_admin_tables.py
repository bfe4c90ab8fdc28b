"""The admin's pages for screen readers: a change list's row is headed by its link to the object,
and a page staff may only read is no form without a button to send it."""

import pytest
from django.urls import reverse

from news.models import PressListSend

from .factories import login_staff, make_article, make_partner, make_staff

pytestmark = pytest.mark.django_db


def test_a_change_list_row_is_headed_by_its_first_cell(client):
    make_partner("Liga Erfurt")
    login_staff(client, make_staff())
    html = client.get(reverse("admin:partners_partner_changelist")).content.decode()
    assert html.count('<th scope="row" class="field-name">') == 1
    assert '<th class="field-name">' not in html


def test_a_page_staff_may_only_read_is_no_form(client):
    send = PressListSend.objects.create(article=make_article("Beirat tagt"), recipients=3)
    login_staff(client, make_staff())
    html = client.get(reverse("admin:news_presslistsend_change", args=[send.pk])).content.decode()
    assert 'id="presslistsend_form"' in html
    assert '<form method="post" id="presslistsend_form"' not in html
    assert "Beirat tagt" in html
