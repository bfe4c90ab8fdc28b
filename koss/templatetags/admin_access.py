"""The admin's tables for screen readers: a field in an inline's row has no label of its own, a
change list's row heading no scope."""

from django import template
from django.utils.safestring import SafeString, mark_safe
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


@register.filter
def row_header(cell):
    """A change list's cell as Django renders it, its heading cell (the row's link to the object)
    marked as the heading of its row: `th` without `scope` is announced as a column heading."""
    if isinstance(cell, SafeString) and cell.startswith(("<th ", "<th>")):
        return mark_safe('<th scope="row"' + cell[3:])  # nosec B308 B703 – Django's own safe cell
    return cell
