from django.contrib.sitemaps import Sitemap

from .models import Meeting


class MeetingSitemap(Sitemap):
    def items(self):
        return Meeting.objects.announced().only("pk", "updated_at").order_by("pk")

    def lastmod(self, meeting):
        return meeting.updated_at
