"""Publishing documents is deliberate: a confirmation page first, and only what is confirmed is
published and announced."""

import pytest
from django.core import mail

from advisory_board.models import Document
from koss.models import Mail

from ..factories import login_as, make_document, make_meeting, publish_and_notify

pytestmark = pytest.mark.django_db

URL = "/verwaltung/advisory_board/meeting/"


@pytest.fixture
def waiting(world):
    meeting = world["meeting"]
    meeting.location = "Erfurt, Thüringer Staatskanzlei"
    meeting.save()
    return {
        "invitation": make_document(meeting, "Einladung zur 5. Sitzung", released=False),
        "draft": make_document(meeting, "Entwurf Positionspapier", released=False),
        "internal": make_document(
            meeting, "Vermerk intern", visibility="redaktion", released=False
        ),
    }


def ask(client, meeting):
    return client.post(URL, {"action": "publish_documents", "_selected_action": [meeting.pk]})


def test_the_confirmation_lists_documents_recipients_and_the_mail(client, world, waiting):
    login_as(client, world["users"]["staff"])
    page = ask(client, world["meeting"])
    assert page.status_code == 200
    text = page.content.decode()
    titles = [document.title for document in page.context["documents"]]
    assert "Einladung zur 5. Sitzung" in titles and "Entwurf Positionspapier" in titles
    assert "Vermerk intern" not in titles
    assert text.count('name="dokument"') == len(titles) and "checked" in text
    # Current members of this board only.
    assert "Maria Mitglied" in text
    assert "ehemalig@example.org" not in text and "anderer@example.org" not in text
    assert "Benachrichtigt wird 1 Mitglied:" in text
    body = page.context["body"]
    assert "(„Beirat für Sozialplanung“)" in body and "des Beirat " not in body
    assert "Erfurt, Thüringer Staatskanzlei" in body and " Uhr" in body
    assert "/kalender.ics" in body and world["meeting"].get_absolute_url() in body
    # Asking publishes nothing and sends nothing.
    assert not Document.objects.filter(pk=waiting["invitation"].pk, notified_at__isnull=False)
    assert not Mail.objects.exists() and mail.outbox == []


def test_only_what_is_confirmed_is_published_and_announced(client, world, waiting):
    login_as(client, world["users"]["staff"])
    publish_and_notify(client, world["meeting"], only=[waiting["invitation"]])
    invitation, draft = (
        Document.objects.get(pk=waiting[name].pk) for name in ("invitation", "draft")
    )
    assert invitation.published_at and invitation.notified_at
    assert draft.published_at is None and draft.notified_at is None
    (message,) = mail.outbox
    assert message.to == ["mitglied@example.org"]
    assert "Einladung zur 5. Sitzung" in message.body and "Entwurf" not in message.body
    # What was held back is offered again next time, and nothing else.
    titles = [d.title for d in ask(client, world["meeting"]).context["documents"]]
    assert "Entwurf Positionspapier" in titles and "Einladung zur 5. Sitzung" not in titles


def test_the_message_counts_in_german(client, world, waiting):
    login_as(client, world["users"]["staff"])
    publish_and_notify(client, world["meeting"])
    response = client.get(URL)
    texts = [str(m) for m in response.context["messages"]]
    assert any("Dokumente veröffentlicht, 1 Benachrichtigung wird versandt." in t for t in texts)


def test_confirming_nothing_publishes_nothing(client, world, waiting):
    login_as(client, world["users"]["staff"])
    response = client.post(
        URL,
        {
            "action": "publish_documents",
            "_selected_action": [world["meeting"].pk],
            "bestaetigt": "1",
        },
        follow=True,
    )
    assert "Kein Dokument ausgewählt" in response.content.decode()
    assert not Document.objects.filter(pk=waiting["invitation"].pk, published_at__isnull=False)
    assert mail.outbox == []


def test_one_meeting_at_a_time(client, world, waiting):
    login_as(client, world["users"]["staff"])
    other = make_meeting(world["board"], number=6)
    response = client.post(
        URL,
        {"action": "publish_documents", "_selected_action": [world["meeting"].pk, other.pk]},
        follow=True,
    )
    assert "genau eine Sitzung" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("visitor", ["anonymous", "member", "former_member", "other_board_member"])
def test_only_staff_reach_the_confirmation(client, world, waiting, visitor):
    if visitor != "anonymous":
        login_as(client, world["users"][visitor])
    response = ask(client, world["meeting"])
    assert response.status_code == 302 and "/login/" in response.url
    assert not Document.objects.filter(pk=waiting["invitation"].pk, notified_at__isnull=False)
    assert mail.outbox == []


def test_the_meeting_page_leads_to_the_confirmation_and_it_publishes(client, world, waiting):
    login_as(client, world["users"]["staff"])
    url = f"{URL}{world['meeting'].pk}/veroeffentlichen/"
    page = client.get(url)
    assert page.status_code == 200 and "Maria Mitglied" in page.content.decode()
    assert not Mail.objects.exists()
    response = client.post(
        url, {"bestaetigt": "1", "dokument": [waiting["invitation"].pk]}, follow=True
    )
    assert "1 Dokument veröffentlicht, 1 Benachrichtigung wird versandt." in (
        response.content.decode()
    )
    assert Document.objects.get(pk=waiting["invitation"].pk).notified_at
    assert Document.objects.get(pk=waiting["draft"].pk).notified_at is None


def test_save_and_publish_saves_then_asks(client, world, waiting):
    meeting = world["meeting"]
    login_as(client, world["users"]["staff"])
    form = client.get(f"{URL}{meeting.pk}/change/").context["adminform"].form
    data = {
        "board": meeting.board_id,
        "number": meeting.number,
        "starts_at_0": "20.01.2027",
        "starts_at_1": "14:00:00",
        "location": "Neuer Ort",
        "status": form.initial["status"],
        "_publish": "Sichern und veröffentlichen …",
    }
    for prefix in ("agenda_items", "documents", "outcomes", "replies", "attendance"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    response = client.post(f"{URL}{meeting.pk}/change/", data)
    assert response.status_code == 302
    assert response.url == f"{URL}{meeting.pk}/veroeffentlichen/"
    meeting.refresh_from_db()
    assert meeting.location == "Neuer Ort"
    assert not Document.objects.filter(pk=waiting["invitation"].pk, notified_at__isnull=False)
    assert mail.outbox == []


@pytest.mark.parametrize("visitor", ["anonymous", "member", "former_member", "other_board_member"])
def test_only_staff_reach_the_confirmation_of_the_meeting_page(client, world, waiting, visitor):
    if visitor != "anonymous":
        login_as(client, world["users"][visitor])
    url = f"{URL}{world['meeting'].pk}/veroeffentlichen/"
    for response in (
        client.get(url),
        client.post(url, {"bestaetigt": "1", "dokument": [waiting["invitation"].pk]}),
    ):
        assert response.status_code == 302 and "/login/" in response.url
    assert not Document.objects.filter(pk=waiting["invitation"].pk, notified_at__isnull=False)
    assert mail.outbox == []


def test_the_confirmation_of_an_unknown_meeting_is_a_404(client, world):
    login_as(client, world["users"]["staff"])
    assert client.get(f"{URL}999999/veroeffentlichen/").status_code == 404
