from functools import cache

from django import template
from django.urls import reverse

register = template.Library()


# The entries of the main navigation: name, URL name, and whether the pages below it belong to it.
NAVIGATION = [
    ("home", "home", False),
    ("partners", "partners:list", True),
    ("news", "news:list", True),
    ("board", "advisory_board:index", True),
    ("about", "about", False),
    ("contact", "contact", False),
    # In the small bar above the brand, not in the main navigation.
    ("easy_read", "easy_read:index", True),
]


@cache
def _navigation_urls():
    return [(name, reverse(url_name), below) for name, url_name, below in NAVIGATION]


@register.filter
def navigation(path):
    """Which entry of the main navigation a path belongs to, and how: ("partners", "page") on
    /partner/, ("partners", "true") on a partner's page, ("", "") elsewhere."""
    for name, url, below in _navigation_urls():
        if path == url:
            return (name, "page")
        if below and path.startswith(url):
            return (name, "true")
    return ("", "")
