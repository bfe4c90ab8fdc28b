"""What the site search finds of the partner network."""

from django.utils.translation import gettext_lazy as _

from koss.core.search import Source, register

from .models import Partner


class PartnerSource(Source):
    model = Partner

    def queryset(self, user):
        return Partner.objects.published()


register(
    PartnerSource(
        _("Partner"),
        (("name", "A"), ("short_name", "A"), ("summary", "B"), ("cooperation", "C"), ("city", "C")),
        ("summary", "cooperation"),
    )
)
