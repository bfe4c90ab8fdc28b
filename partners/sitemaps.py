from django.contrib.sitemaps import Sitemap

from .models import Partner


class PartnerSitemap(Sitemap):
    def items(self):
        return Partner.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, partner):
        return partner.updated_at
