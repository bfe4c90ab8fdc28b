from django import template
from django.utils.safestring import mark_safe

from koss.glossary import link_first_uses

register = template.Library()


@register.tag
def glossary_links(parser, token):
    """`{% glossary_links %}…{% endglossary_links %}`: the first use of each word of the glossary
    in the enclosed main content links to its explanation."""
    nodelist = parser.parse(("endglossary_links",))
    parser.delete_first_token()
    return GlossaryLinksNode(nodelist)


class GlossaryLinksNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # The HTML the templates rendered, with links of our own added (koss.glossary).
        return mark_safe(link_first_uses(self.nodelist.render(context)))  # nosec B308 B703
