"""The Beirat's models, one module per part of its life, lower parts imported by higher ones:
people (boards, terms, persons, memberships) < meetings (agenda items) < replies (replies,
attendance), documents (versions, comments on minutes, downloads) < books (builds of the meeting
book), outcomes (decisions and tasks) < votes (written votes between meetings), and polls (date
polls, reminders, read status). This package only re-exports, so imports, the app label and
migrations stay as they are.
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
    AgendaItemQuerySet,
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
    PersonQuerySet,
    Term,
    current_member,
    current_person,
)
from .polls import (
    DatePoll,
    DatePollAnswer,
    DatePollOption,
    DatePollQuerySet,
    Reminder,
    read_status,
)
from .replies import Attendance, AttendanceQuerySet, Reply, ReplyQuerySet
from .votes import Ballot, VoteDocument, WrittenVote, WrittenVoteQuerySet

__all__ = [
    "NUMBER_OR_DATE",
    "VISIT_GAP",
    "VISIT_RESOLUTION",
    "AgendaItem",
    "AgendaItemQuerySet",
    "Attendance",
    "AttendanceQuerySet",
    "Audience",
    "Ballot",
    "Board",
    "BoardQuerySet",
    "BookBuild",
    "BookBuildQuerySet",
    "DatePoll",
    "DatePollAnswer",
    "DatePollOption",
    "DatePollQuerySet",
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
    "PersonQuerySet",
    "Reminder",
    "Reply",
    "ReplyQuerySet",
    "Term",
    "VoteDocument",
    "WrittenVote",
    "WrittenVoteQuerySet",
    "current_member",
    "current_person",
    "read_status",
]
