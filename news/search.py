"""What the site search finds of the news: articles and their attachments."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from koss.core.search import Source, register

from .models import Article, Attachment


class ArticleSource(Source):
    model = Article
    same_for_everyone = True

    def queryset(self, user):
        return Article.objects.published()

    def label_for(self, obj):
        return obj.get_kind_display()


class AttachmentSource(Source):
    model = Attachment
    same_for_everyone = True

    def queryset(self, user):
        # Exists, not article__in: SQLite would list every published article before it reads the
        # few attachments the search index names.
        published = Article.objects.published().filter(pk=OuterRef("article_id"))
        return Attachment.objects.filter(Exists(published)).select_related("article")

    def title(self, obj):
        return f"{obj.title} ({obj.article.title})"


register(
    ArticleSource(
        _("Beitrag"),
        (("title", "A"), ("teaser", "B"), ("body", "C")),
        ("teaser", "body"),
        html_fields=("body",),
        key="beitrag",
        heading=_("Beiträge"),
        counted=ngettext_lazy("%(count)d Beitrag", "%(count)d Beiträge", "count"),
        similar_field="title",
    )
)
register(
    AttachmentSource(
        "",
        (("title", "A"), ("text", "C")),
        ("text",),
        key="anhang",
        heading=_("Anhänge"),
        counted=ngettext_lazy("%(count)d Anhang", "%(count)d Anhänge", "count"),
        similar_field="title",
    )
)
