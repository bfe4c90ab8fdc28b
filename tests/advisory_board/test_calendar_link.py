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


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("erzeugen", "Ihr persönlicher Kalender-Link ist bereit."),
        ("widerrufen", "Der Kalender-Link ist widerrufen"),
    ],
)
def test_after_the_button_the_page_opens_at_the_address_with_the_message(
    login, world, action, message
):
    client = login("member")
    response = client.post(reverse("advisory_board:calendar_token"), {"action": action})
    assert response.status_code == 302
    assert response.url == URL + "#kalender"
    content = client.get(URL).content.decode()
    section = content[content.index('<section id="kalender"') :]
    section = section[: section.index("</section>")]
    # The section takes the focus and is described by the message beside the address, which
    # is not said a second time on top.
    assert section.startswith(
        '<section id="kalender" aria-labelledby="calendar-heading" tabindex="-1"'
        ' aria-describedby="calendar-message">'
    )
    assert f'id="calendar-message">{message}' in section
    assert content.count(message) == 1
    # Shown once: the next page is without it.
    assert message not in client.get(URL).content.decode()
