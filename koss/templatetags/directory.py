"""Pieces of the filtered lists (partner directory, news): the filters in force as chips."""

from django import template
from django.db import models
from django.http import QueryDict

register = template.Library()

RESULTS_ANCHOR = "#ergebnisse"


def _shown(field, value):
    if isinstance(value, models.Model):
        return str(value)
    choices = getattr(field, "choices", None)
    if choices is not None:
        return str(dict(choices).get(value, value))
    return f"„{value}“"


@register.inclusion_tag("includes/_active_filters.html", takes_context=True)
def active_filters(context, filterset, action):
    """The filters a list applies (only those it could use), each as a link to the same list
    without it and from its first page."""
    chips = []
    if filterset.is_bound:
        given = [
            (name, value)
            for name, values in context["request"].GET.lists()
            if name != "page"
            for value in values
            if value
        ]
        for name, value in filterset.form.cleaned_data.items():
            if value in (None, ""):
                continue
            rest = QueryDict(mutable=True)
            for other, other_value in given:
                if other != name:
                    rest.appendlist(other, other_value)
            query = rest.urlencode()
            chips.append(
                {
                    "label": filterset.form.fields[name].label,
                    "value": _shown(filterset.form.fields[name], value),
                    "url": f"{action}?{query}{RESULTS_ANCHOR}"
                    if query
                    else action + RESULTS_ANCHOR,
                }
            )
    return {"chips": chips, "clear_url": action + RESULTS_ANCHOR}
