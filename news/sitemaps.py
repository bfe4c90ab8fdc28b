from koss.core.links import PublicSitemap

from .models import Article


class ArticleSitemap(PublicSitemap):
    def items(self):
        return Article.objects.published().only("slug", "updated_at", "publish_at").order_by("pk")

    def lastmod(self, article):
        return max(article.updated_at, article.publish_at)
