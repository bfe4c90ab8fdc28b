"""Press releases by mail, with double opt-in: sign-up, confirmation, one send per article through
the mail queue, one-click unsubscribe (RFC 8058), and the deletion of unconfirmed sign-ups."""

import datetime
import re
import secrets
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from koss.models import Mail
from news.forms import CONSENT_TEXT, new_form_token
from news.models import Article, PressListSend, Subscription
from news.press_list import send_article, send_due_articles

from ..factories import make_article

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("news:press_signup")
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.KOSS_BASE_URL = "https://koss.example.org"


def sign_up(client, email="presse@example.org", kinds=("pressemitteilung",), **extra):
    data = {"email": email, "kinds": list(kinds), "consent": "on", "token": new_form_token()}
    return client.post(SIGNUP_URL, {**data, **extra}, REMOTE_ADDR="203.0.113.7")


def link_in(message, name):
    path = reverse(f"news:{name}", args=["TOKEN"]).replace("TOKEN/", "")
    return re.search(rf"https://koss\.example\.org{re.escape(path)}[\w-]+/", message.body)[0]


def subscriber(email, confirmed=True, **fields):
    return Subscription.objects.create(
        email=email,
        token=secrets.token_urlsafe(16),
        consent_text="Ich möchte …",
        signed_up_at=timezone.now(),
        confirmed_at=timezone.now() if confirmed else None,
        **fields,
    )


def test_double_opt_in_keeps_proof_of_both_steps(client):
    client = Client(enforce_csrf_checks=True)
    response = sign_up(client, kinds=("pressemitteilung", "veranstaltung"))
    assertContains(response, "Bitte bestätigen Sie Ihre Anmeldung")
    assert not response.cookies
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.signed_up_from == "203.0.113.7"
    assert subscription.consent_text == str(CONSENT_TEXT)
    assert (subscription.press_releases, subscription.events, subscription.news) == (
        True,
        True,
        False,
    )
    [message] = mail.outbox
    assert message.to == ["presse@example.org"]
    assert message.subject == "[KOSS-Portal] Bitte bestätigen Sie Ihre Anmeldung zur Presseliste"
    confirm_url = link_in(message, "press_confirm")
    path = confirm_url.removeprefix("https://koss.example.org")

    # Following the link (or a mail scanner doing so) subscribes nobody yet.
    assertContains(client.get(path), "Anmeldung bestätigen")
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None

    response = client.post(path, REMOTE_ADDR="198.51.100.4")
    assertContains(response, "Anmeldung bestätigt")
    assert not response.cookies
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert subscription.confirmed_from == "198.51.100.4"
    assert list(Subscription.objects.receiving(Article.Kind.EVENT)) == [subscription]
    assert list(Subscription.objects.receiving(Article.Kind.NEWS)) == []


def test_at_most_one_confirmation_mail_per_address_and_day(client):
    with time_machine.travel(NOW, tick=False):
        sign_up(client)
        sign_up(client, email="PRESSE@example.org ")
        assert len(mail.outbox) == 1
    with time_machine.travel(NOW + DAY + datetime.timedelta(minutes=1), tick=False):
        sign_up(client)
    assert len(mail.outbox) == 2
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "keine-adresse"}, "Bitte gültige E-Mail-Adresse eingeben."),
        ({"kinds": []}, "Bitte wählen Sie mindestens eine Art von Beiträgen."),
        ({"consent": ""}, "Bitte stimmen Sie zu, damit wir Ihnen schreiben dürfen."),
        (
            {"token": "gefälscht"},
            "Das Formular ist abgelaufen. Bitte senden Sie es noch einmal ab.",
        ),
    ],
)
def test_bad_input_gets_a_german_message_and_keeps_the_entries(client, changes, message):
    response = sign_up(client, **{"email": "presse@example.org", **changes})
    assert response.status_code == 400
    assertContains(response, message, status_code=400)
    if "email" not in changes:
        assertContains(response, 'value="presse@example.org"', status_code=400)
    assert not Subscription.objects.exists() and not mail.outbox


def test_an_old_form_token_has_expired(client):
    with time_machine.travel(NOW - 3 * DAY, tick=False):
        token = new_form_token()
    with time_machine.travel(NOW, tick=False):
        response = sign_up(client, token=token)
    assertContains(response, "Das Formular ist abgelaufen", status_code=400)


def test_an_article_goes_once_to_the_subscribers_of_its_kind_through_the_queue():
    press = subscriber("presse@example.org")
    subscriber("events@example.org", press_releases=False, events=True)
    subscriber("wartet@example.org", confirmed=False)
    subscriber("weg@example.org", unsubscribed_at=timezone.now())
    article = make_article("Sozialbericht vorgestellt", kind=Article.Kind.PRESS_RELEASE)

    assert send_due_articles() == 1
    assert send_due_articles() == 0
    assert send_article(article) == 0
    record = PressListSend.objects.get()
    assert (record.article, record.recipients) == (article, 1)
    [queued] = Mail.objects.all()
    assert queued.recipient == "presse@example.org"
    assert queued.subject == "[KOSS-Portal] Pressemitteilung: Sozialbericht vorgestellt"
    unsubscribe_url = f"https://koss.example.org/aktuelles/presseliste/abmelden/{press.token}/"
    assert queued.headers == {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert unsubscribe_url in queued.body
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://koss.example.org/aktuelles/" in message.body


def test_a_scheduled_article_is_sent_when_its_time_arrives():
    subscriber("presse@example.org")
    with time_machine.travel(NOW, tick=False):
        make_article("Geplant", kind=Article.Kind.PRESS_RELEASE, publish_at=NOW + DAY)
        make_article("Entwurf", kind=Article.Kind.PRESS_RELEASE, status=Article.Status.DRAFT)
        make_article("Archiv", kind=Article.Kind.PRESS_RELEASE, publish_at=NOW - 30 * DAY)
        call_command("send_press_list", verbosity=0)
        assert not mail.outbox
    with time_machine.travel(NOW + DAY + datetime.timedelta(minutes=5), tick=False):
        call_command("send_press_list", verbosity=0)
    assert [message.subject for message in mail.outbox] == [
        "[KOSS-Portal] Pressemitteilung: Geplant"
    ]


def test_one_click_unsubscribe_as_a_mail_client_posts_it():
    """RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to the header's address,
    without cookies or a CSRF token; the address is unsubscribed at once."""
    press = subscriber("presse@example.org")
    path = reverse("news:press_unsubscribe", args=[press.token])
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not response.cookies
    press.refresh_from_db()
    assert press.unsubscribed_at is not None
    assert list(Subscription.objects.receiving(Article.Kind.PRESS_RELEASE)) == []


def test_unsubscribe_link_opened_in_a_browser_shows_a_button_first(client):
    press = subscriber("presse@example.org")
    response = client.get(reverse("news:press_unsubscribe", args=[press.token]))
    assertContains(response, '<button type="submit" class="button">Abmelden</button>', html=True)
    press.refresh_from_db()
    assert press.unsubscribed_at is None


def test_unknown_tokens_find_nothing(client):
    for name in ("press_confirm", "press_unsubscribe"):
        assert client.get(reverse(f"news:{name}", args=["geraten"])).status_code == 404
        assert client.post(reverse(f"news:{name}", args=["geraten"])).status_code == 404


def test_unconfirmed_sign_ups_are_deleted_after_seven_days():
    with time_machine.travel(NOW, tick=False):
        subscriber("alt@example.org", confirmed=False)
        subscriber("bestaetigt@example.org")
    with time_machine.travel(NOW + 3 * DAY, tick=False):
        subscriber("neu@example.org", confirmed=False)
    with time_machine.travel(NOW + 7 * DAY + datetime.timedelta(minutes=1), tick=False):
        call_command("prune_press_list", verbosity=0)
    assert set(Subscription.objects.values_list("email", flat=True)) == {
        "bestaetigt@example.org",
        "neu@example.org",
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections in autocommit")
def test_two_workers_send_an_article_once():
    for number in range(3):
        subscriber(f"presse{number}@example.org")
    article = make_article("Einmal", kind=Article.Kind.PRESS_RELEASE)
    barrier, results = threading.Barrier(2), []

    def worker():
        try:
            barrier.wait()
            results.append(send_article(article))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert PressListSend.objects.get().recipients == 3
    assert Mail.objects.count() == 3


@pytest.mark.parametrize("step", ["signup", "confirm", "unsubscribe"])
def test_press_list_pages_for_every_visitor(matrix_client, step):
    if step == "signup":
        response = sign_up(matrix_client, email=f"{matrix_client.visitor}@presse.example.org")
        assertContains(response, "Bitte bestätigen Sie Ihre Anmeldung")
    else:
        press = subscriber("presse@example.org", confirmed=step == "unsubscribe")
        name = "press_confirm" if step == "confirm" else "press_unsubscribe"
        response = matrix_client.get(reverse(f"news:{name}", args=[press.token]))
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    if matrix_client.visitor == "anonymous":
        assert not response.cookies
