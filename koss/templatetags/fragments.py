from functools import cache

from django import template
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from koss.cache import cached_each, cached_fragment

register = template.Library()


@register.tag
def fragment(parser, token):
    """Keep a part of a page that is the same for every visitor, per content generation.

        {% fragment "partner-map" filter_query %}…{% endfragment %}

    The first argument names the part; the others are what it varies with. Only wrap markup that
    depends on nothing but public content and those values: never on who is logged in.
    """
    return parse_named_block(parser, token, FragmentNode)


class FragmentNode(template.Node):
    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on

    def render(self, context):
        vary = [str(expression.resolve(context)) for expression in self.vary_on]
        return cached_fragment(vary, lambda: self.nodelist.render(context))


@register.tag
def constant(parser, token):
    """Render a part of the site frame once per server process and language.

        {% constant "site-header" navigation user.is_authenticated %}…{% endconstant %}

    The first argument names the part; the others are what it varies with (a few values each).
    Only wrap markup that depends on nothing but the code, the translations and those values:
    no content from the database, no CSRF token, nothing about the visitor beyond the values.
    With DEBUG on, it is rendered every time, so that edited templates show at once.
    """
    return parse_named_block(parser, token, ConstantNode)


def parse_named_block(parser, token, node_class):
    """{% tag "name" value … %}…{% endtag %}: the markup between, and what it varies with."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a name.")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return node_class(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


class ConstantNode(template.Node):
    rendered = {}

    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on

    def render(self, context):
        if settings.DEBUG:
            return self.nodelist.render(context)
        key = (get_language(), *(expression.resolve(context) for expression in self.vary_on))
        try:
            return self.rendered[key]
        except KeyError:
            markup = self.rendered[key] = self.nodelist.render(context)
            return markup


# The entries of the main navigation: name, URL name, and whether the pages below it belong to it.
NAVIGATION = [
    ("home", "home", False),
    ("partners", "partners:list", True),
    ("news", "news:list", True),
    ("board", "advisory_board:index", True),
    ("about", "about", False),
    ("contact", "contact", False),
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


@register.simple_tag(takes_context=True)
def each_cached(context, objects, template_name, name, prefetch=""):
    """Each object rendered with a template, kept with the shared fragments per object.

        {% each_cached page_obj.object_list "includes/_partner_card.html" "partner" prefetch="topics" %}

    The template sees the object as `name`. Related objects named in `prefetch` (comma-separated)
    are fetched only for the objects that are rendered. The list decides who sees which object;
    each object's markup must depend on nothing but the object, never on who is looking.
    """
    template = context.template.engine.get_template(template_name)

    def render(obj):
        with context.push({name: obj}):
            return template.render(context)

    def prepare(objects):
        if prefetch:
            prefetch_related_objects(objects, *prefetch.split(","))

    return mark_safe(
        "".join(cached_each(objects, [template_name, get_language()], render, prepare))
    )  # nosec B308 B703
