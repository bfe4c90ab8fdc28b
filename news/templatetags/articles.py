from django import template

from news.models import Article

register = template.Library()


@register.inclusion_tag("news/_articles_about.html")
def articles_about(subject, heading, limit=5):
    """The published articles that name a partner or a meeting: the news' part of their pages."""
    return {"articles": Article.objects.about(subject)[:limit], "heading": heading}
