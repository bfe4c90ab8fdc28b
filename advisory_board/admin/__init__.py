"""The Beirat in the back office, one module per part of its life (as in models/); importing
them registers their ModelAdmins."""

from . import documents, meetings, outcomes, people, polls, votes  # noqa: F401
