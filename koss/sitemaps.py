from django.urls import reverse

from advisory_board.sitemaps import MeetingSitemap
from news.sitemaps import ArticleSitemap
from partners.sitemaps import PartnerSitemap

from .core.links import PublicSitemap


class StaticPagesSitemap(PublicSitemap):
    def items(self):
        return [
            "home",
            "partners:list",
            "news:list",
            "advisory_board:index",
            "about",
            "contact",
            "imprint",
            "privacy",
            "accessibility",
            "glossary",
            "easy_read:index",
            "easy_read:koss",
            "easy_read:board",
            "easy_read:site",
            "easy_read:contact",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "partners": PartnerSitemap,
    "news": ArticleSitemap,
    "meetings": MeetingSitemap,
}
