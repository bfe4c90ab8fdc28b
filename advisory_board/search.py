"""What the site search finds of the board: meetings, and the documents the searcher may read."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from koss.core.search import Source, register

from .models import Document, Meeting


class MeetingSource(Source):
    model = Meeting
    same_for_everyone = True

    def queryset(self, user):
        # A held meeting's summary is found once its minutes are approved, as it is shown.
        return (
            Meeting.objects.announced()
            .with_public_summary()
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
            return ""
        return obj.get_visibility_display()


register(
    MeetingSource(
        "",
        (("public_summary", "B"), ("location", "C")),
        ("public_summary",),
        key="sitzung",
        heading=_("Sitzungen"),
        counted=ngettext_lazy("%(count)d Beiratssitzung", "%(count)d Beiratssitzungen", "count"),
    )
)
register(
    DocumentSource(
        "",
        (("title", "A"), ("text", "C")),
        ("text",),
        key="dokument",
        heading=_("Dokumente"),
        counted=ngettext_lazy("%(count)d Beiratsdokument", "%(count)d Beiratsdokumente", "count"),
        similar_field="title",
    )
)
