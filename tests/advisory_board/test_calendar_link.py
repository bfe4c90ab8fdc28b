"""The personal calendar address in the members' area: a webcal:// link that opens the calendar
app, the https address as text to copy, and instructions for the common calendar apps."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("advisory_board:members")


def test_the_address_is_the_portals_https_address_and_a_webcal_link(login, world, settings):
    settings.KOSS_BASE_URL = "https://koss.example.org"
    token = world["people"]["member"].new_calendar_token()
    content = login("member").get(URL).content.decode()
    path = reverse("advisory_board:personal_calendar", args=[token])
    assert f'href="webcal://koss.example.org{path}"' in content
    # Selectable text, not a field that cuts it off.
    assert f'<code id="calendar-url">https://koss.example.org{path}</code>' in content
    # The portal's address, not the host the request happened to name.
    assert "testserver" not in content


def test_the_copy_button_is_an_enhancement_and_the_instructions_are_there(login, world):
    world["people"]["member"].new_calendar_token()
    content = login("member").get(URL).content.decode()
    assert 'data-copy="calendar-url"' in content
    assert "hidden>Adresse kopieren</button>" in content
    assert "js/copy" in content
    for app in ("Outlook", "Apple Kalender (iPhone, iPad, Mac)", "Google Kalender"):
        assert f"<summary>{app}</summary>" in content


def test_without_a_calendar_address_there_is_no_link_and_no_script(login, world):
    content = login("member").get(URL).content.decode()
    assert "webcal://" not in content
    assert "js/copy" not in content
    assert "Kalender-Link erzeugen" in content
