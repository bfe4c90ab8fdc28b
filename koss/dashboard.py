"""What the admin's start page shows the Redaktion: what waits for them, each with its link."""

import dataclasses
import functools

from django.db.models import Count, Q

from advisory_board import overview
from advisory_board.models import BookBuild, Document
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


def mail_counts():
    return Mail.objects.aggregate(
        pending=Count("pk", filter=Q(status=Mail.Status.PENDING)),
        failed=Count("pk", filter=Q(status=Mail.Status.FAILED)),
    )


def staff_dashboard():
    only = ["title", "slug", "status", "publish_at"]
    return {
        # What the board needs before its next meeting, by the board's own rules.
        "next_meeting": overview.next_meeting(),
        "prepared_meetings": list(overview.prepared_meetings()),
        "date_polls": list(overview.undecided_date_polls()),
        "minutes": listing(overview.minutes_awaiting_approval()),
        "overdue_tasks": listing(overview.overdue_tasks()),
        "without_login": listing(overview.members_without_login()),
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
