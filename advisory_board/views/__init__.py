"""The board's views: pages, files, calendars, date polls and written votes."""

from .calendars import meeting_calendar, personal_calendar, public_calendar
from .files import document_download, document_version, meeting_book_download, meeting_zip
from .pages import (
    board_index,
    calendar_token,
    meeting_detail,
    meeting_reply,
    members_area,
    minutes_comment,
)
from .polls import date_poll
from .votes import vote_cast, vote_detail, vote_document

__all__ = [
    "board_index",
    "calendar_token",
    "date_poll",
    "document_download",
    "document_version",
    "meeting_book_download",
    "meeting_calendar",
    "meeting_detail",
    "meeting_reply",
    "meeting_zip",
    "members_area",
    "minutes_comment",
    "personal_calendar",
    "public_calendar",
    "vote_cast",
    "vote_detail",
    "vote_document",
]
