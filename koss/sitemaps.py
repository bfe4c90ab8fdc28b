from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from advisory_board.models import Meeting
from news.models import Article
from partners.models import Partner


class StaticPagesSitemap(Sitemap):
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
        ]

    def location(self, item):
        return reverse(item)


class PartnerSitemap(Sitemap):
    def items(self):
        return Partner.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, partner):
        return partner.updated_at


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.published().only("slug", "updated_at", "publish_at").order_by("pk")

    def lastmod(self, article):
        return max(article.updated_at, article.publish_at)


SITEMAPS = {"pages": StaticPagesSitemap, "partners": PartnerSitemap, "news": ArticleSitemap}


class MeetingSitemap(Sitemap):
    def items(self):
        return Meeting.objects.only("pk", "updated_at").order_by("pk")

    def lastmod(self, meeting):
        return meeting.updated_at


SITEMAPS["meetings"] = MeetingSitemap
