"""E-mails to board members. Each is stored in the surrounding transaction, one per recipient,
and delivered by a background task once it has committed (EMAIL_BACKEND)."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from koss.core.links import mail_subject, public_url
from koss.core.rights import check_may_manage

from .calendars import meetings_calendar
from .models import Membership


def invite_person(request, person):
    """Give the person a login (if needed) and e-mail a link to set their password. Refused
    (koss.core.rights.AccountOutranksActor) for a login with rights the inviting person lacks."""
    User = get_user_model()
    email = person.email.strip().lower()
    user = person.user
    if user is None:
        user = User.objects.filter(email__iexact=email).first() or User(username=email, email=email)
    # The link logs in whoever holds the account: only for accounts without rights beyond the
    # inviting person's own.
    check_may_manage(request.user, user)
    if person.user is None:
        if user.pk is None:
            user.set_unusable_password()
            user.save()
        person.user = user
        person.save(update_fields=["user"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    membership = Membership.objects.current().filter(person=person).select_related("board").first()
    context = {
        "person": person,
        "inviter": request.user.get_full_name(),
        "board": membership.board if membership else None,
        "set_password_url": public_url(path),
        "contact_email": settings.KOSS_CONTACT_EMAIL,
        "site_url": public_url(""),
    }
    message = get_adapter(request).render_mail("account/email/invitation", email, context)
    message.send()


def notice_recipients(meeting):
    """The people a notice about the meeting's documents goes to: the board's current members
    with an active login, one each, ordered by name."""
    people = {}
    memberships = (
        Membership.objects.current()
        .filter(board=meeting.board, person__user__is_active=True)
        .select_related("person__user")
        .order_by("person__last_name", "person__first_name")
    )
    for membership in memberships:
        person = membership.person
        address = person.email or person.user.email
        if address:
            people.setdefault(address.lower(), person)
    return people


def notice(meeting, documents):
    """Subject and text of the notice about new documents, as every member receives it."""
    context = {
        "meeting": meeting,
        "links": [(document, public_url(document.get_absolute_url())) for document in documents],
        "meeting_url": public_url(meeting.get_absolute_url()),
        "calendar_url": public_url(reverse("advisory_board:meeting_calendar", args=[meeting.pk])),
        "calendar_filename": calendar_filename(meeting),
    }
    subject = mail_subject(
        render_to_string("advisory_board/email/new_documents_subject.txt", context).strip()
    )
    body = render_to_string("advisory_board/email/new_documents_message.txt", context)
    return subject, body


def calendar_filename(meeting):
    return f"beirat-sitzung-{meeting.number:02d}.ics"


def calendar_attachment(meeting):
    """The meeting as an iCalendar file: name, content and type of the notice's attachment."""
    calendar = meetings_calendar(None, [meeting], str(meeting), with_agenda=True)
    return (
        calendar_filename(meeting),
        calendar.to_ical().decode(),
        "text/calendar",
    )


def notify_new_documents(request, meeting, documents):
    """One e-mail per current member of the meeting's board, listing the new documents, with
    the meeting as a calendar entry."""
    subject, body = notice(meeting, documents)
    attachment = calendar_attachment(meeting)
    recipients = notice_recipients(meeting)
    for address in recipients:
        message = EmailMessage(subject, body, None, [address])
        message.attach(*attachment)
        message.send()
    return len(recipients)
