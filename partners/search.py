"""What the site search finds of the partner network: partners, and the topics they work on."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from koss.core.search import Source, register

from .models import Partner, Topic


class PartnerSource(Source):
    model = Partner
    same_for_everyone = True

    def queryset(self, user):
        return Partner.objects.published()


class TopicSource(Source):
    """A topic leads to the directory filtered by it; only topics with published partners."""

    model = Topic
    same_for_everyone = True
    short_list = True

    def queryset(self, user):
        return Topic.objects.filter(
            Exists(Partner.objects.published().filter(topics=OuterRef("pk")))
        )

    def url(self, obj):
        return f"{reverse('partners:list')}?{urlencode({'topic': obj.slug})}"

    def texts(self, obj):
        return [str(_("Partner zum Thema „%(topic)s“ im Partnernetzwerk") % {"topic": obj.name})]


register(
    PartnerSource(
        "",
        (("name", "A"), ("short_name", "A"), ("summary", "B"), ("cooperation", "C"), ("city", "C")),
        ("summary", "cooperation"),
        key="partner",
        heading=_("Partner"),
        counted=ngettext_lazy("%(count)d Partner", "%(count)d Partner", "count"),
        similar_field="name",
    )
)
register(
    TopicSource(
        "",
        (("name", "A"),),
        (),
        key="thema",
        heading=_("Themen"),
        counted=ngettext_lazy("%(count)d Thema", "%(count)d Themen", "count"),
        similar_field="name",
    )
)
