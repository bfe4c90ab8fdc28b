from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from koss.core.links import public_url

from .models import Article

FEED_LENGTH = 20

# Every article is published by KOSS; Atom requires an author for each entry (RFC 4287, 4.1.1,
# 4.1.2), RSS names it as dc:creator.
PUBLISHER = _("KOSS – Kompetenzzentrum Strategische Sozialplanung")


class LatestArticlesFeed(Feed):
    """The feeds are served with their own types (application/rss+xml, application/atom+xml),
    for feed readers; a person who wants to subscribe finds the page "Abonnieren"
    (news:subscribe), linked from the news list and the footer."""

    title = _("KOSS Thüringen – Aktuelles und Pressemitteilungen")
    url_name = "news:rss"
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

    # Every address from KOSS_BASE_URL, never from the request's Host (Django's syndication leaves
    # an absolute address as it is).
    def link(self):
        return public_url(reverse("news:list"))

    def feed_url(self):
        return public_url(reverse(self.url_name))

    def item_link(self, item):
        return public_url(item.get_absolute_url())

    def items(self):
        return Article.objects.published().defer("body", "search_vector")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.teaser

    def item_author_name(self, item):
        return PUBLISHER

    def item_author_link(self, item):
        return public_url("/")

    def item_pubdate(self, item):
        # In the portal's time zone, so that the date a reader shows is the German one.
        return timezone.localtime(item.publish_at)

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_categories(self, item):
        return [item.get_kind_display()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    url_name = "news:atom"
    subtitle = LatestArticlesFeed.description
    # The feed's own author too, so the feed stays valid whatever its entries carry.
    author_name = PUBLISHER
