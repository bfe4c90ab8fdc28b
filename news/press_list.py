"""The press list: articles by e-mail to those who asked for them, with double opt-in.

A sign-up stores the address, the kinds chosen and the wording agreed to, and sends a
confirmation mail (at most one per address and day); only following its link subscribes. Every
published article goes once to the confirmed subscribers of its kind: a `PressListSend` with
the article as its unique key is written in the same transaction as the mails, so of two
workers only one sends. Each mail carries a personal unsubscribe link and the headers of
RFC 8058 (one click in the mail client). Unconfirmed sign-ups are deleted after seven days
(`manage.py prune_press_list`).
"""

import datetime
import secrets

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koss.core.links import mail_subject, public_url

from .models import Article, PressListSend, Subscription

CONFIRMATION_INTERVAL = datetime.timedelta(days=1)
UNCONFIRMED_KEPT = datetime.timedelta(days=7)
# An article is sent when it becomes public, not when an old one is filed with a past date.
SEND_WINDOW = datetime.timedelta(days=2)


def client_address(request):
    """The client's address as the login limits take it (behind KOSS_TRUSTED_PROXY_COUNT)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # An unreadable address is no reason to lose a sign-up.
        return None


def sign_up(request, email, kinds, consent_text):
    """Record a sign-up (again) and send the confirmation mail, at most once a day per
    address. A confirmed subscription only takes the new choice of kinds."""
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(email=email).first()
        if (
            subscription is not None
            and subscription.confirmed_at
            and not subscription.unsubscribed_at
        ):
            return subscription
        if subscription is None:
            subscription = Subscription(email=email)
        elif subscription.unsubscribed_at:
            subscription.confirmed_at = subscription.confirmed_from = None
            subscription.unsubscribed_at = None
        for kind, field in Subscription.KIND_FIELDS.items():
            setattr(subscription, field, kind in kinds)
        subscription.token = secrets.token_urlsafe(32)
        subscription.consent_text = consent_text
        subscription.signed_up_at = now
        subscription.signed_up_from = client_address(request)
        recently_sent = subscription.confirmation_sent_at and (
            now - subscription.confirmation_sent_at < CONFIRMATION_INTERVAL
        )
        if not recently_sent:
            subscription.confirmation_sent_at = now
        subscription.save()
        if not recently_sent:
            send_confirmation(subscription)
    return subscription


def send_confirmation(subscription):
    context = {
        "subscription": subscription,
        "confirm_url": public_url(reverse("news:press_confirm", args=[subscription.token])),
        "site_url": public_url(""),
    }
    EmailMessage(
        subject=mail_subject(_("Bitte bestätigen Sie Ihre Anmeldung zur Presseliste")),
        body=render_to_string("news/email/press_list_confirm.txt", context),
        to=[subscription.email],
    ).send()


def confirm(request, subscription):
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.confirmed_from = client_address(request)
        subscription.save(update_fields=["confirmed_at", "confirmed_from"])


def unsubscribe(subscription):
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])


def due_articles():
    """Published articles that became public lately and have not been sent."""
    return Article.objects.published().filter(
        publish_at__gte=timezone.now() - SEND_WINDOW, press_list_send__isnull=True
    )


def send_due_articles():
    """Send every due article to its subscribers; returns how many articles were sent."""
    sent = 0
    for article in due_articles().order_by("publish_at", "pk"):
        sent += send_article(article)
    return sent


def send_article(article):
    """Send the article once: the first to write its PressListSend sends, a second worker's
    insert fails on the unique article and sends nothing."""
    try:
        with transaction.atomic():
            record = PressListSend.objects.create(article=article)
            subscribers = list(Subscription.objects.receiving(article.kind).order_by("pk"))
            messages = [article_mail(article, subscriber) for subscriber in subscribers]
            get_connection().send_messages(messages)
            record.recipients = len(messages)
            record.save(update_fields=["recipients"])
    except IntegrityError:
        return 0
    return 1


def article_mail(article, subscription):
    unsubscribe_url = public_url(reverse("news:press_unsubscribe", args=[subscription.token]))
    context = {
        "article": article,
        "article_url": public_url(article.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    return EmailMessage(
        subject=mail_subject(f"{article.get_kind_display()}: {article.title}"),
        body=render_to_string("news/email/press_list_article.txt", context),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def prune_unconfirmed():
    """Delete sign-ups not confirmed within seven days; returns how many."""
    deleted, _by_model = Subscription.objects.unconfirmed_since(
        timezone.now() - UNCONFIRMED_KEPT
    ).delete()
    return deleted
