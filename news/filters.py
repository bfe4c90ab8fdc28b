import datetime

import django_filters
from django.db.models import Exists, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koss.core.cache import kept_value

from .models import Article


class ArticleFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Art"), choices=Article.Kind.choices, empty_label=_("Alle Arten")
    )
    year = django_filters.ChoiceFilter(
        label=_("Jahr"), field_name="publish_at", lookup_expr="year", empty_label=_("Alle Jahre")
    )

    class Meta:
        model = Article
        fields = ["kind", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The filter of the published articles: its years are the same for every visitor, and
        # read only when the form is shown or a year is asked for.
        articles = self.queryset

        def years():
            kept = kept_value(["article-years"], lambda: years_with_articles(articles))
            return [(str(year), str(year)) for year in kept]

        self.filters["year"].extra["choices"] = years


def years_with_articles(articles):
    """The years that have one of the articles, newest first, in two queries whatever their
    number: the first and the latest article are the two ends of an index, and each year between
    is one probe of it. Listing the distinct years would visit every article."""
    moments = articles.values("publish_at")
    ends = (
        articles.model.objects.order_by()
        .annotate(
            first=Subquery(moments.order_by("publish_at")[:1]),
            last=Subquery(moments.order_by("-publish_at")[:1]),
        )
        .values("first", "last")[:1]
    )
    ends = next(iter(ends), None)
    if not ends or ends["first"] is None:
        return []
    first, last = (timezone.localtime(ends[end]).year for end in ("first", "last"))
    years = range(last, first - 1, -1)
    between = years[1:-1]
    if not between:
        return list(years)

    def in_year(year):
        start = timezone.make_aware(datetime.datetime(year, 1, 1))
        end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
        return Exists(articles.order_by().filter(publish_at__gte=start, publish_at__lt=end))

    # The ends have articles; the years between are asked on one row.
    found = (
        articles.model.objects.order_by()
        .annotate(**{f"y{year}": in_year(year) for year in between})
        .values(*(f"y{year}" for year in between))[:1]
        .get()
    )
    return [year for year in years if year not in between or found[f"y{year}"]]
