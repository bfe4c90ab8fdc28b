from django.shortcuts import get_object_or_404, render

from koss.core.cache import KeptCountPaginator, filter_query, public_page
from koss.core.files import file_response, image_response
from koss.core.querysets import has_staff_rights

from .filters import ArticleFilter
from .models import Article, Attachment

ARTICLES_PER_PAGE = 10


@public_page
def article_list(request):
    filterset = ArticleFilter(request.GET, queryset=Article.objects.published())
    query = filter_query(request)
    page = KeptCountPaginator(
        filterset.qs.defer("body", "search_vector"), ARTICLES_PER_PAGE, vary=["articles", query]
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "news/article_list.html",
        {
            "filter": filterset,
            "filter_query": query,
            "page_obj": page,
            "is_filtered": filterset.form.has_changed(),
        },
    )


@public_page
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    return render(
        request,
        "news/article_detail.html",
        {
            "article": article,
            "preview": has_staff_rights(request.user),
            "attachments": article.attachments.all(),
            "partners": article.related_partners.published(),
            "meetings": article.related_meetings.select_related("board"),
        },
    )


def article_image(request, slug):
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    return image_response(article.image, public=article.is_public)


def attachment_download(request, slug, pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("article"),
        article__in=Article.objects.visible_to(request.user),
        article__slug=slug,
        pk=pk,
    )
    return file_response(
        attachment.file,
        content_type=attachment.content_type,
        public=attachment.article.is_public,
    )
