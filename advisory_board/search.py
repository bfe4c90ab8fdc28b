"""What the site search finds of the board: meetings, and the documents the searcher may read."""

from django.utils.translation import gettext_lazy as _

from koss.core.search import Source, register

from .models import Document, Meeting


class MeetingSource(Source):
    model = Meeting

    def queryset(self, user):
        # A held meeting's summary is found once its minutes are approved, as it is shown.
        return (
            Meeting.objects.with_public_summary()
            .filter(summary_is_public=True)
            .select_related("board")
        )

    def title(self, obj):
        return f"{obj.board.name}: {obj}"


class DocumentSource(Source):
    model = Document

    def queryset(self, user):
        return Document.objects.visible_to(user).select_related("meeting")

    def title(self, obj):
        return f"{obj.title} ({obj.meeting})"

    def label_for(self, obj):
        if obj.visibility == Document.Visibility.PUBLIC:
            return _("Beiratsdokument")
        return _("Beiratsdokument (%(visibility)s)") % {"visibility": obj.get_visibility_display()}


register(
    MeetingSource(
        _("Beiratssitzung"),
        (("public_summary", "B"), ("location", "C")),
        ("public_summary",),
    )
)
register(DocumentSource(_("Beiratsdokument"), (("title", "A"), ("text", "C")), ("text",)))
