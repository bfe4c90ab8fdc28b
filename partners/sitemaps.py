from koss.core.links import PublicSitemap

from .models import Partner


class PartnerSitemap(PublicSitemap):
    def items(self):
        return Partner.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, partner):
        return partner.updated_at
