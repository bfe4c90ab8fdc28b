"""What the admin's start page shows the Redaktion: what waits for them, each with its link."""

import dataclasses
import functools

from django.db.models import Count, Q

from advisory_board.models import BookBuild, Document, Meeting, Membership, Person
from news.models import Article

from .models import Mail

# Longer lists end with a link to the whole list in the admin.
LISTED = 8


@dataclasses.dataclass
class Listing:
    items: list
    count: int

    @property
    def more(self):
        return self.count - len(self.items)


def listing(queryset):
    return Listing(list(queryset[:LISTED]), queryset.count())


@dataclasses.dataclass
class NextMeeting:
    meeting: Meeting
    attending: list
    declined: list
    waiting: list


def next_meeting():
    """The next planned meeting, who replied yes or no, and which current members not yet."""
    meeting = Meeting.objects.upcoming().select_related("board").first()
    if meeting is None:
        return None
    replies = list(meeting.replies.select_related("person").order_by("person"))
    members = Membership.objects.current().filter(board=meeting.board_id)
    waiting = Person.objects.filter(memberships__in=members).exclude(replies__meeting=meeting)
    return NextMeeting(
        meeting=meeting,
        attending=[reply.person for reply in replies if reply.coming],
        declined=[reply.person for reply in replies if not reply.coming],
        waiting=list(waiting.distinct()),
    )


def mail_counts():
    return Mail.objects.aggregate(
        pending=Count("pk", filter=Q(status=Mail.Status.PENDING)),
        failed=Count("pk", filter=Q(status=Mail.Status.FAILED)),
    )


def staff_dashboard():
    only = ["title", "slug", "status", "publish_at"]
    return {
        "next_meeting": next_meeting(),
        "unreleased_documents": listing(
            Document.objects.unreleased()
            .select_related("meeting")
            .order_by("meeting__starts_at", "pk")
        ),
        "mails": mail_counts(),
        "drafts": listing(Article.objects.drafts().only(*only).order_by("-updated_at")),
        "scheduled": listing(Article.objects.scheduled().only(*only).order_by("publish_at")),
        "mail_status": Mail.Status,
        # Meeting books given up after their last attempt (templates/admin/index.html).
        "failed_books": listing(BookBuild.objects.failed().select_related("meeting")),
    }


def with_staff_dashboard(index):
    """The admin's index view, with the dashboard in its context (templates/admin/index.html).

    The admin checks staff rights (and koss.accounts the second factor) before the view runs.
    """

    @functools.wraps(index)
    def view(request, extra_context=None):
        return index(request, {"dashboard": staff_dashboard(), **(extra_context or {})})

    return view
