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
        # Only the years that have a published article, newest first, in one query.
        years = self.queryset.order_by().datetimes(
            "publish_at", "year", order="DESC", tzinfo=timezone.get_current_timezone()
        )
        self.filters["year"].extra["choices"] = [
            (str(moment.year), str(moment.year)) for moment in years
        ]
