"""Mails between the meetings: the date poll and its result, the automatic reminder to reply
before a meeting and the reminder to open its invitation. Each is stored in the surrounding
transaction, one per recipient, and delivered by the task worker (EMAIL_BACKEND)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from koss.core.links import mail_subject, public_url

from .emails import board_recipients, send_reply_reminder, without_reply
from .models import Meeting, Reminder, read_status


def send_to_each(addresses, template, context):
    """One mail per address, rendered from templates/advisory_board/polls/email/<template>."""
    context = {**context, "site_url": public_url("")}
    prefix = f"advisory_board/polls/email/{template}"
    subject = mail_subject(render_to_string(f"{prefix}_subject.txt", context).strip())
    body = render_to_string(f"{prefix}_message.txt", context)
    for address in addresses:
        EmailMessage(subject, body, None, [address]).send()
    return len(addresses)


def invite_to_poll(poll):
    """Ask every member of the poll's board for their dates. Returns how many are queued."""
    context = {
        "poll": poll,
        "options": list(poll.options.all()),
        "poll_url": public_url(poll.get_absolute_url()),
    }
    return send_to_each(board_recipients(poll.board_id), "poll_invitation", context)


def announce_chosen_date(poll):
    """Tell every member of the board which date was chosen. The meeting itself is announced
    later, with its documents: the link leads to the poll, which names the date."""
    context = {
        "poll": poll,
        "option": poll.chosen_option,
        "poll_url": public_url(poll.get_absolute_url()),
    }
    return send_to_each(board_recipients(poll.board_id), "date_chosen", context)


def remind_to_open_invitation(meeting):
    """Remind the members who have not opened the meeting's invitation (in any way), with its
    link; each reminder is recorded. Returns how many are queued."""
    documents, rows = read_status(meeting)
    invitations = [document for document in documents if document.is_invitation]
    if not invitations:
        return 0
    unopened = {row.person.pk for row in rows if not row.opened_invitation}
    recipients = {
        address: person
        for address, person in board_recipients(meeting.board_id).items()
        if person.pk in unopened
    }
    Reminder.objects.bulk_create(
        Reminder(meeting=meeting, person=person, kind=Reminder.Kind.INVITATION)
        for person in recipients.values()
    )
    context = {
        "meeting": meeting,
        "links": [(document, public_url(document.get_absolute_url())) for document in invitations],
        "meeting_url": public_url(meeting.get_absolute_url()),
    }
    return send_to_each(recipients, "invitation_reminder", context)


def meetings_due_for_reminder(now=None):
    """Announced meetings that begin within KOSS_REPLY_REMINDER_DAYS days and were announced
    at least a day ago (the notice itself asks for the reply); none when the setting is 0."""
    days = settings.KOSS_REPLY_REMINDER_DAYS
    if days <= 0:
        return Meeting.objects.none()
    now = now or timezone.now()
    return (
        Meeting.objects.announced()
        .upcoming()
        .filter(
            starts_at__lte=now + datetime.timedelta(days=days),
            announced_at__lte=now - datetime.timedelta(days=1),
        )
        .select_related("board")
    )


def send_due_reply_reminders():
    """The automatic reminder: once to each member who has not replied to a meeting due
    (meetings_due_for_reminder). The meeting is locked while its reminders are recorded and
    queued, so two overlapping runs send each of them once. Returns how many are queued."""
    sent = 0
    for meeting in meetings_due_for_reminder():
        with transaction.atomic():
            Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
            reminded = set(
                Reminder.objects.automatic()
                .filter(meeting=meeting)
                .values_list("person", flat=True)
            )
            waiting = {
                address: person
                for address, person in without_reply(meeting).items()
                if person.pk not in reminded
            }
            Reminder.objects.bulk_create(
                Reminder(meeting=meeting, person=person, kind=Reminder.Kind.REPLY_AUTOMATIC)
                for person in waiting.values()
            )
            send_reply_reminder(meeting, waiting)
            sent += len(waiting)
    return sent
