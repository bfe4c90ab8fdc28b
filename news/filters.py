import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
        # The years from the first to the latest published article, newest first: the two ends
        # of an index, where listing the distinct years would visit every article.
        moments = self.queryset.order_by("publish_at").values_list("publish_at", flat=True)
        first, last = moments.first(), moments.last()
        years = []
        if first:
            years = range(timezone.localtime(last).year, timezone.localtime(first).year - 1, -1)
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]
