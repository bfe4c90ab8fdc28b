from django import template

from koss.cache import cached_fragment

register = template.Library()


@register.tag
def fragment(parser, token):
    """Keep a part of a page that is the same for every visitor, per content generation.

        {% fragment "partner-map" filter_query %}…{% endfragment %}

    The first argument names the part; the others are what it varies with. Only wrap markup that
    depends on nothing but public content and those values: never on who is logged in.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'fragment' needs a name.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


class FragmentNode(template.Node):
    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on

    def render(self, context):
        vary = [str(expression.resolve(context)) for expression in self.vary_on]
        return cached_fragment(vary, lambda: self.nodelist.render(context))
