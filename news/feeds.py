from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Article

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    title = _("KOSS Thüringen – Aktuelles und Pressemitteilungen")
    link = reverse_lazy("news:list")
    description = _(
        "Neuigkeiten und Pressemitteilungen des Kompetenzzentrums Strategische Sozialplanung der "
        "LIGA der Freien Wohlfahrtspflege in Thüringen."
    )
    language = "de"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The generator writes hundreds of small pieces; the server should send one.
        response.content = response.content
        return response

    def items(self):
        return Article.objects.published().defer("body", "search_vector")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.teaser

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_categories(self, item):
        return [item.get_kind_display()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
