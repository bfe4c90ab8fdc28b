"""schema.org data for search engines and other sites, as JSON-LD in a page's head:
`{{ partner|json_ld }}` renders what the object's `structured_data()` returns."""

import json

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# Inside <script>, these would end the element or start markup; escaped, JSON reads them alike,
# so the text is safe to mark as such.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(obj):
    data = {"@context": "https://schema.org", **obj.structured_data()}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # nosec B308 B703
