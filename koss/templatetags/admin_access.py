"""The admin's tabular inlines for screen readers: a field in a table row has no label of its own."""

from django import template
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def labelled_field(bound_field, row=None):
    """The field of an inline's row, named by its column and row ("Titel, Zeile 2"): the name a
    screen reader announces on reaching it by Tab, where the column heading is not read."""
    label = capfirst(bound_field.label)
    if row is not None:
        label = _("%(column)s, Zeile %(row)d") % {"column": label, "row": row}
    html = bound_field.as_widget(attrs={"aria-label": label})
    if bound_field.field.show_hidden_initial:
        html += bound_field.as_hidden(only_initial=True)
    return html
