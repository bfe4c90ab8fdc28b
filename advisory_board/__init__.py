"""The Beirat für Sozialplanung: a reader's guide, in the order of a board's life.

- Who belongs: `models/people.py` (boards, terms, persons, memberships, the audiences, the
  current member behind a login); the back office in `admin/people.py`, invitations in
  `emails.py`.
- A meeting is prepared and announced: `models/meetings.py` (meetings, agenda items, the one
  public rule `Meeting.objects.announced()`), `admin/meetings.py` (the meeting page, "Nächste
  Sitzung vorbereiten"), `admin/notices.py` with `emails.py` (the confirmation, the notice, who it
  misses, the reply reminder).
- Members reply and attend: `models/replies.py`; the pages they use are in `views/pages.py`.
- Between the meetings: `models/polls.py` (date polls, reminders sent, the read status),
  `admin/polls.py`, `views/polls.py`, the mails in `poll_emails.py`, the open polls of the
  members' area in `templatetags/date_polls.py`.
- Documents and minutes: `models/documents.py` (`Document.objects.visible_to(user)`, the one rule
  for who reads what; versions, comments on draft minutes, downloads), `admin/documents.py`, and
  the files in `views/files.py`, `archives.py` (the ZIP) and `meeting_book.py` (the book, its
  builds in `models/books.py`), both stored through `koss.core.storage.BuiltFiles`.
- What a meeting decides: `models/outcomes.py`, `admin/outcomes.py`.
- What the board decides in writing between meetings (Umlaufbeschluss): `models/votes.py` (the
  vote, its ballots and documents, the one rule `WrittenVote.objects.visible_to(user)`),
  `admin/votes.py`, `views/votes.py`, the mails and the steps that send them in `emails.py`,
  `manage.py close_written_votes`, and the open votes of the members' area through
  `templatetags/written_votes.py`.
- Around it: `calendars.py` and `views/calendars.py` (iCalendar), `search.py` (what the site
  search finds), `sitemaps.py`, `overview.py` (what the staff dashboard shows of the board),
  `demo.py` (the demo content).
- Beyond the site: `oparl/` (the public data in OParl 1.1 for council information systems:
  `objects.py` which rows and how each reads, `views.py` the endpoint at /oparl/v1.1/).
"""
