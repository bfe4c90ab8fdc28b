from koss.core.links import PublicSitemap

from .models import Meeting


class MeetingSitemap(PublicSitemap):
    def items(self):
        return Meeting.objects.announced().only("pk", "updated_at").order_by("pk")

    def lastmod(self, meeting):
        return meeting.updated_at
