import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Partner, Region, Topic

SEARCH_MAX_LENGTH = 200


class PartnerFilter(django_filters.FilterSet):
    """The directory's filters. Every value is a GET parameter, so a filtered list is a shareable URL."""

    q = django_filters.CharFilter(
        label=_("Name"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("z. B. Caritas, Jena")}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Art"), choices=Partner.Kind.choices, empty_label=_("Alle Arten")
    )
    level = django_filters.ChoiceFilter(
        label=_("Ebene"), choices=Partner.Level.choices, empty_label=_("Alle Ebenen")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.in_display_order(),
        to_field_name="slug",
        empty_label=_("Alle Regionen"),
        method="in_region",
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Thema"),
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("Alle Themen"),
    )

    class Meta:
        model = Partner
        fields = ["q", "kind", "level", "region", "topic"]

    def in_region(self, queryset, name, region):
        """A district lists every partner working there, grouped (PartnerQuerySet.active_in);
        the statewide and nationwide scopes list the partners filed under them."""
        if region.is_district:
            return queryset.active_in(region)
        return queryset.filter(region=region)

    def search(self, queryset, name, value):
        """Every word has to occur in the name, the short name or the city."""
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(short_name__icontains=word) | Q(city__icontains=word)
            )
        return queryset
