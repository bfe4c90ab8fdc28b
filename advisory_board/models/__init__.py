"""The Beirat's models, one module per part of its life, lower parts imported by higher ones:
people (boards, terms, persons, memberships) < meetings (agenda items) < replies (replies,
attendance), documents (versions, comments on minutes, downloads) < books (builds of the meeting
book), outcomes (decisions and tasks) < votes (written votes between meetings). This package only re-exports, so imports, the app label
and migrations stay as they are.
"""

from .books import BookBuild, BookBuildQuerySet
from .documents import (
    Document,
    DocumentQuerySet,
    DocumentVersion,
    DownloadLog,
    DownloadLogQuerySet,
    MinutesComment,
    MinutesCommentQuerySet,
)
from .meetings import (
    NUMBER_OR_DATE,
    AgendaItem,
    Meeting,
    MeetingQuerySet,
)
from .outcomes import Outcome, OutcomeQuerySet, OutcomeStatusChange
from .people import (
    VISIT_GAP,
    VISIT_RESOLUTION,
    Audience,
    Board,
    BoardQuerySet,
    Membership,
    MembershipQuerySet,
    Person,
    Term,
    current_member,
    current_person,
)
from .replies import Attendance, AttendanceQuerySet, Reply, ReplyQuerySet
from .votes import Ballot, VoteDocument, WrittenVote, WrittenVoteQuerySet

__all__ = [
    "NUMBER_OR_DATE",
    "VISIT_GAP",
    "VISIT_RESOLUTION",
    "AgendaItem",
    "Attendance",
    "AttendanceQuerySet",
    "Audience",
    "Ballot",
    "Board",
    "BoardQuerySet",
    "BookBuild",
    "BookBuildQuerySet",
    "Document",
    "DocumentQuerySet",
    "DocumentVersion",
    "DownloadLog",
    "DownloadLogQuerySet",
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
    "VoteDocument",
    "WrittenVote",
    "WrittenVoteQuerySet",
    "current_member",
    "current_person",
]
