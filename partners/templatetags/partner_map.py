from functools import cache

from django import template
from django.utils.html import format_html_join

from partners.map import map_geometry

register = template.Library()


@register.filter
@cache
def outlines(map_id):
    """The districts' outlines as SVG paths for <defs>: the same on every page, so built once per
    process and map."""
    return format_html_join(
        "",
        '<path id="{}-{}" d="{}"/>',
        ((map_id, shape.ags, shape.path) for shape in map_geometry().districts),
    )
