import django_filters
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koss.cache import cached_fragment

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
        # The years from the first to the latest published article, newest first, kept with the
        # other shared fragments: listing the distinct years would visit every article.
        span = cached_fragment(
            ["published-article-years"],
            lambda: self.queryset.aggregate(first=Min("publish_at"), last=Max("publish_at")),
        )
        years = []
        if span["first"]:
            first = timezone.localtime(span["first"]).year
            last = timezone.localtime(span["last"]).year
            years = range(last, first - 1, -1)
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]
