"""Every mail the portal sends is kept, one per recipient, and delivered by a background task.

`QueuedEmailBackend` is Django's EMAIL_BACKEND: whoever calls send_mail() (allauth, the admin
actions) stores a `Mail` per recipient and enqueues its delivery, in the caller's transaction.
No request talks to the mail server. `deliver` hands the message to KOSS_MAIL_DELIVERY_BACKEND
(SMTP in production), records the outcome, and while the server fails tries again after growing
pauses; a delivered mail is never sent twice. `manage.py deliver_mail` enqueues what is due but
has no task any more, e.g. after a worker was killed. Attachments are stored with the mail,
so that every attempt sends them.

A mail rendered from one of LOGIN_LINK_TEMPLATES carries a link or code that logs its recipient
in. It is marked as such when queued, the admin never shows its text, and once delivered its
text is replaced by a note: neither the back office nor a backup holds a live login link.
Until then the worker needs it, and a failed one can be sent again.
"""

import base64
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from .models import Mail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8

# The templates (allauth's prefixes and the invitation) whose mails carry a login link or code.
LOGIN_LINK_TEMPLATES = frozenset(
    {
        "account/email/password_reset_key",
        "account/email/password_reset_code",
        "account/email/email_confirmation",
        "account/email/email_confirmation_signup",
        "account/email/login_code",
        "account/email/invitation",
    }
)
# The attribute on an EmailMessage that marks it as carrying a login link (mark_login_link).
LOGIN_LINK_ATTRIBUTE = "koss_login_link"


def mark_login_link(message, template_prefix):
    """Mark the message rendered from the template as carrying a login link, if it does."""
    if template_prefix in LOGIN_LINK_TEMPLATES:
        setattr(message, LOGIN_LINK_ATTRIBUTE, True)
    return message


def scrubbed(mail):
    """The delivered mail without its login link: what staff need stays (recipient, subject,
    state, attempts, error)."""
    mail.body = gettext(
        "Der Text enthielt einen Anmeldelink und wurde nach der Zustellung gelöscht."
    )
    mail.html_body = ""
    return mail


def pause_after(attempts):
    """1, 2, 4 … minutes between attempts (KOSS_MAIL_RETRY_SECONDS the first), at most an hour:
    about two hours in all."""
    first = settings.KOSS_MAIL_RETRY_SECONDS
    return datetime.timedelta(seconds=min(first * 2 ** (attempts - 1), 3600))


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        with transaction.atomic():
            for message in email_messages:
                attachments = stored_attachments(message)
                html = next(
                    (
                        content
                        for content, mimetype in getattr(message, "alternatives", [])
                        if mimetype == "text/html"
                    ),
                    "",
                )
                for recipient in message.recipients():
                    mail = Mail.objects.create(
                        recipient=recipient,
                        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
                        subject=message.subject,
                        body=message.body,
                        html_body=html,
                        headers=dict(message.extra_headers),
                        attachments=attachments,
                        carries_login_link=getattr(message, LOGIN_LINK_ATTRIBUTE, False),
                    )
                    deliver.enqueue(mail.pk)
                    count += 1
        return count


def stored_attachments(message):
    """The message's attachments as the Mail keeps them. A prepared MIME part is refused: it
    cannot be stored as it is, and sending the mail without it would lose it quietly."""
    stored = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise ValueError("Mails with prepared MIME attachments cannot be queued.")
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        stored.append(
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(content).decode("ascii"),
            }
        )
    return stored


def as_message(mail, connection):
    message = EmailMultiAlternatives(
        mail.subject,
        mail.body,
        mail.from_email,
        [mail.recipient],
        headers=mail.headers,
        connection=connection,
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    for attachment in mail.attachments:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return message


@task()
def deliver(mail_id):
    with transaction.atomic():
        mail = (
            Mail.objects.select_for_update().filter(pk=mail_id, status=Mail.Status.PENDING).first()
        )
        if mail is None:
            return  # delivered or given up already
        now = timezone.now()
        mail.attempts += 1
        try:
            connection = get_connection(settings.KOSS_MAIL_DELIVERY_BACKEND)
            as_message(mail, connection).send()
        except Exception as error:  # any failure of the mail server: try again later
            mail.last_error = f"{type(error).__name__}: {error}"[:1000]
            if mail.attempts >= MAX_ATTEMPTS:
                mail.status, mail.next_attempt_at = Mail.Status.FAILED, None
                logger.error("Mail %s to %s given up: %s", mail.pk, mail.recipient, error)
            else:
                mail.next_attempt_at = now + pause_after(mail.attempts)
                transaction.on_commit(lambda: enqueue_later(mail))
            mail.save()
            return
        mail.status, mail.sent_at, mail.next_attempt_at = Mail.Status.SENT, now, None
        if mail.carries_login_link:
            scrubbed(mail)
        mail.save()


def enqueue_later(mail):
    """Another attempt at the mail's next_attempt_at; a backend that cannot defer leaves it to
    `manage.py deliver_mail`."""
    if deliver.get_backend().supports_defer:
        deliver.using(run_after=mail.next_attempt_at).enqueue(mail.pk)


def enqueue_due(now=None):
    """Enqueue the delivery of every pending mail that is due. A mail that still has its task is
    delivered once all the same: the task finds it delivered and does nothing."""
    now = now or timezone.now()
    due = Mail.objects.filter(status=Mail.Status.PENDING).exclude(next_attempt_at__gt=now)
    ids = list(due.values_list("pk", flat=True))
    for mail_id in ids:
        deliver.enqueue(mail_id)
    return len(ids)
