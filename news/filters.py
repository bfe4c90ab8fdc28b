import django_filters
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
        # Only the years that have published articles, newest first.
        years = self.queryset.dates("publish_at", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(str(d.year), str(d.year)) for d in years]
