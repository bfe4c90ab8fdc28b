from django.contrib.syndication.views import Feed
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, Stylesheet
from django.utils.translation import gettext_lazy as _
from django.utils.xmlutils import SimplerXMLGenerator

from .models import Article

FEED_LENGTH = 20


# Chromium shows a response of type application/rss+xml or application/atom+xml as plain text
# and never applies its stylesheet; as application/xml the feed is rendered. Feed readers go by
# the content, and the pages announce each feed with its own type (templates/base.html).
BROWSER_READABLE_TYPE = "application/xml; charset=utf-8"


class StyledRss201rev2Feed(Rss201rev2Feed):
    content_type = BROWSER_READABLE_TYPE


class StyledAtom1Feed(Atom1Feed):
    """Atom with the feed's stylesheets, which Django writes for RSS only."""

    content_type = BROWSER_READABLE_TYPE

    def write(self, outfile, encoding):
        # As Atom1Feed.write, with the processing instructions before the first element.
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class LatestArticlesFeed(Feed):
    feed_type = StyledRss201rev2Feed
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

    def stylesheets(self):
        """A browser opening the feed shows a German page that explains how to subscribe
        (static/feeds/feed.xsl); feed readers ignore it."""
        return [Stylesheet(static("feeds/feed.xsl"), mimetype="text/xsl", media=None)]

    def items(self):
        return Article.objects.published().defer("body", "search_vector")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.teaser

    def item_pubdate(self, item):
        # In the portal's time zone, so that the date a reader shows is the German one.
        return timezone.localtime(item.publish_at)

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_categories(self, item):
        return [item.get_kind_display()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = StyledAtom1Feed
    subtitle = LatestArticlesFeed.description
