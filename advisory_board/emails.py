"""E-mails to board members. Each is stored in the surrounding transaction, one per recipient,
and delivered by a background task once it has committed (EMAIL_BACKEND)."""

import dataclasses

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koss.core.links import mail_subject, public_url
from koss.core.rights import check_may_manage

from .calendars import meetings_calendar
from .models import Meeting, Membership, Person, Reply, WrittenVote


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


@dataclasses.dataclass
class Missed:
    """Somebody of the board a notice does not reach, and why."""

    name: str
    reason: str
    # A current member without a login, with an address: staff may invite them.
    person: Person | None = None
    can_invite: bool = False


@dataclasses.dataclass
class Coverage:
    recipients: dict  # address -> Person, ordered by name
    missed: list


def notice_coverage(meeting):
    """Who a notice about the meeting reaches and who it misses, with the reason: the board's
    current members with an active login and an address get it, one mail per address. Missed
    are members without a login or address, whose login is blocked or whose address another
    member shares, whose membership has not begun or has ended, and deputies named in replies."""
    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(board=meeting.board_id)
        .select_related("person__user")
        .order_by("person__last_name", "person__first_name", "-starts_on")
    )
    current, later, ended = {}, {}, {}
    for membership in memberships:
        person = membership.person
        if membership.starts_on > today:
            later.setdefault(person.pk, membership)
        elif membership.ends_on is not None and membership.ends_on < today:
            ended.setdefault(person.pk, membership)
        else:
            current.setdefault(person.pk, membership)
    recipients, missed = {}, []
    for membership in current.values():
        person = membership.person
        user = person.user
        address = (person.email or (user.email if user else "")).lower()
        if user is None:
            if person.email:
                missed.append(Missed(str(person), _("hat noch keinen Zugang"), person, True))
            else:
                missed.append(
                    Missed(
                        str(person),
                        _("hat noch keinen Zugang und keine E-Mail-Adresse für eine Einladung"),
                        person,
                    )
                )
        elif not user.is_active:
            missed.append(Missed(str(person), _("Zugang ist gesperrt"), person))
        elif not address:
            missed.append(Missed(str(person), _("hat keine E-Mail-Adresse"), person))
        elif address in recipients:
            missed.append(
                Missed(
                    str(person),
                    _("teilt die E-Mail-Adresse %(address)s mit %(other)s, die die E-Mail erhält")
                    % {"address": address, "other": recipients[address]},
                    person,
                )
            )
        else:
            recipients[address] = person
    for membership in later.values():
        if membership.person_id not in current:
            missed.append(
                Missed(
                    str(membership.person),
                    _("Mitgliedschaft beginnt erst am %(date)s")
                    % {"date": date_format(membership.starts_on)},
                    membership.person,
                )
            )
    for membership in ended.values():
        if membership.person_id not in current and membership.person_id not in later:
            missed.append(
                Missed(
                    str(membership.person),
                    _("Mitgliedschaft endete am %(date)s")
                    % {"date": date_format(membership.ends_on)},
                    membership.person,
                )
            )
    # A meeting not saved yet stands for its board (board_recipients) and has no replies.
    deputies = (
        meeting.replies.filter(answer=Reply.Answer.DEPUTY).select_related("person")
        if meeting.pk
        else []
    )
    for reply in deputies:
        missed.append(
            Missed(
                reply.deputy_name,
                _("Vertretung für %(member)s: erhält keine E-Mail, nur das Mitglied")
                % {"member": reply.person},
            )
        )
    return Coverage(recipients, missed)


def notice_recipients(meeting):
    """The people a notice about the meeting's documents goes to: the board's current members
    with an active login, one each per address, ordered by name."""
    return notice_coverage(meeting).recipients


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
    return f"{meeting.file_stem}.ics"


def calendar_attachment(meeting):
    """The meeting as an iCalendar file: name, content and type of the notice's attachment."""
    calendar = meetings_calendar(None, [meeting], str(meeting), with_agenda=True)
    return (
        calendar_filename(meeting),
        calendar.to_ical().decode(),
        "text/calendar",
    )


def board_recipients(board_id):
    """The people a mail to the whole board goes to, by the rule of notices: its current members
    with an active login, one each per address ({address: person}), ordered by name."""
    return notice_coverage(Meeting(board_id=board_id)).recipients


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


def remind_to_reply(meeting):
    """A reminder to each current member who gets the meeting's notices and has not replied yet,
    with the link to the meeting page where they reply. Returns how many are queued."""
    waiting = without_reply(meeting)
    send_reply_reminder(meeting, waiting)
    return len(waiting)


def without_reply(meeting):
    """The recipients of the meeting's notices who have not replied yet: {address: person}."""
    replied = set(meeting.replies.values_list("person_id", flat=True))
    return {
        address: person
        for address, person in notice_recipients(meeting).items()
        if person.pk not in replied
    }


def send_reply_reminder(meeting, addresses):
    """Queue the reminder to reply to each of the addresses."""
    context = {
        "meeting": meeting,
        "meeting_url": public_url(meeting.get_absolute_url()),
        "site_url": public_url(""),
    }
    subject = mail_subject(
        render_to_string("advisory_board/email/reply_reminder_subject.txt", context).strip()
    )
    body = render_to_string("advisory_board/email/reply_reminder_message.txt", context)
    for address in addresses:
        EmailMessage(subject, body, None, [address]).send()


# --- Written votes -------------------------------------------------------------------------------
# The steps of a written vote (models/votes.py) with their mails, each queued in the step's
# transaction: whoever starts, casts or closes calls these.


def start_vote(vote):
    """Open the vote and mail every current member the link; False if it ran already."""
    return vote.start(notify_vote_started)


def cast_vote(vote, person, choice, **kwargs):
    """The person's vote (WrittenVote.cast); the result mail if it was the last one missing."""
    return vote.cast(person, choice, on_close=notify_vote_result, **kwargs)


def close_due_votes(now=None):
    """Count the votes whose deadline has passed and mail their results; how many."""
    return WrittenVote.close_due(notify_vote_result, now)


def remind_due_votes(now=None):
    """Remind, once per vote, those who have not voted two days before the deadline."""
    return WrittenVote.remind_due(remind_to_vote, now)


def vote_recipients(vote, now=None):
    """The board's current members with an active login and an address, one each per address,
    ordered by name: whom the mails of a written vote reach (as a meeting's notices)."""
    day = timezone.localdate(now or timezone.now())
    memberships = (
        Membership.objects.current(on=day)
        .filter(board_id=vote.board_id, person__user__is_active=True)
        .select_related("person__user")
        .order_by("person__last_name", "person__first_name")
    )
    recipients = {}
    for membership in memberships:
        person = membership.person
        address = (person.email or person.user.email).lower()
        if address:
            recipients.setdefault(address, person)
    return recipients


def send_vote_mail(vote, template, recipients, **context):
    """One mail per address from templates/advisory_board/votes/email/<template>_*.txt."""
    context |= {
        "vote": vote,
        "vote_url": public_url(vote.get_absolute_url()),
        "site_url": public_url(""),
    }
    subject = mail_subject(
        render_to_string(f"advisory_board/votes/email/{template}_subject.txt", context).strip()
    )
    body = render_to_string(f"advisory_board/votes/email/{template}_message.txt", context)
    for address in recipients:
        EmailMessage(subject, body, None, [address]).send()
    return len(recipients)


def notify_vote_started(vote):
    """The call to vote, to every current member; how many mails are queued."""
    return send_vote_mail(vote, "started", vote_recipients(vote))


def remind_to_vote(vote, now=None):
    """A reminder to each current member who has not voted yet; how many are queued."""
    voted = set(vote.current_ballots().values_list("person_id", flat=True))
    waiting = [
        address for address, person in vote_recipients(vote, now).items() if person.pk not in voted
    ]
    return send_vote_mail(vote, "reminder", waiting)


def notify_vote_result(vote):
    """The result, to every current member; how many mails are queued."""
    return send_vote_mail(vote, "result", vote_recipients(vote, vote.closed_at))
