"""The Beirat's models, one module per part of its life, lower parts imported by higher ones:
people (boards, terms, persons, memberships) < meetings (agenda, replies, attendance) <
documents (versions, comments on minutes, downloads, meeting books) and outcomes (decisions
and tasks). This package only re-exports, so imports, the app label and migrations stay.
"""

from .documents import (
    BookBuild,
    BookBuildQuerySet,
    Document,
    DocumentQuerySet,
    DocumentVersion,
    DownloadLog,
    MinutesComment,
    MinutesCommentQuerySet,
)
from .meetings import (
    NUMBER_OR_DATE,
    AgendaItem,
    Attendance,
    AttendanceQuerySet,
    Meeting,
    MeetingQuerySet,
    Reply,
    ReplyQuerySet,
)
from .outcomes import Outcome, OutcomeQuerySet, OutcomeStatusChange
from .people import Board, Membership, MembershipQuerySet, Person, Term

__all__ = [
    "NUMBER_OR_DATE",
    "AgendaItem",
    "Attendance",
    "AttendanceQuerySet",
    "Board",
    "BookBuild",
    "BookBuildQuerySet",
    "Document",
    "DocumentQuerySet",
    "DocumentVersion",
    "DownloadLog",
    "Meeting",
    "MeetingQuerySet",
    "Membership",
    "MembershipQuerySet",
    "MinutesComment",
    "MinutesCommentQuerySet",
    "Outcome",
    "OutcomeQuerySet",
    "OutcomeStatusChange",
    "Person",
    "Reply",
    "ReplyQuerySet",
    "Term",
]
