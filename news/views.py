from functools import cache

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from koss.core.cache import KeptCountPaginator, filter_query, public_page
from koss.core.calendars import ics_response, new_calendar, new_event
from koss.core.files import file_response, image_response
from koss.core.images import rendition_name
from koss.core.querysets import has_staff_rights

from . import press_list
from .filters import ArticleFilter
from .forms import CONSENT_TEXT, PressListForm, new_form_token
from .models import Article, Attachment, Subscription

ARTICLES_PER_PAGE = 10


@public_page(query=[*ArticleFilter.base_filters, "page"])
def article_list(request):
    # The page's content is one kept part of it, for its filters and page number: what it reads
    # is read only when that part is not kept. A page number asked for is checked against the
    # total (kept on its own); without one, it is the first page.
    query = filter_query(request)

    @cache
    def filterset():
        return ArticleFilter(request.GET, queryset=Article.objects.published())

    @cache
    def articles():
        return filterset().qs.defer("body", "search_vector", "search_stems")

    @cache
    def page():
        return KeptCountPaginator(
            articles().without_upcoming_events(), ARTICLES_PER_PAGE, vary=["articles", query]
        ).get_page(request.GET.get("page"))

    @cache
    def events():
        return list(articles().upcoming_events())

    number = page().number if request.GET.get("page") else 1
    return render(
        request,
        "news/article_list.html",
        {
            "filter": SimpleLazyObject(filterset),
            "filter_query": query,
            "page_number": number,
            "page_obj": SimpleLazyObject(page),
            # Upcoming events come first, above the pages; the rest follows, latest first.
            "upcoming_events": SimpleLazyObject(lambda: events() if number == 1 else []),
            "article_count": lambda: len(events()) + page().paginator.count,
            "is_filtered": lambda: filterset().form.has_changed(),
        },
    )


@public_page
def subscribe(request):
    """How to follow KOSS without visiting the site: feeds, calendar, press list."""
    return render(request, "news/subscribe.html", {"form": PressListForm()})


@csrf_exempt  # The form carries a signed token instead of a cookie (PressListForm).
@require_POST
@never_cache
def press_signup(request):
    form = PressListForm(request.POST)
    if not form.is_valid():
        # The entries stay; a fresh token replaces an expired one.
        form.data = form.data.copy()
        form.data["token"] = new_form_token()
        return render(request, "news/subscribe.html", {"form": form}, status=400)
    press_list.sign_up(
        request, form.cleaned_data["email"], form.cleaned_data["kinds"], str(CONSENT_TEXT)
    )
    # The same answer for a new, a waiting and a confirmed address.
    return render(
        request,
        "news/press_list_step.html",
        {"step": "pending", "email": form.cleaned_data["email"]},
    )


# Links from mails: a GET shows a button (mail scanners follow links), a POST acts. The random
# token is the permission; mail clients send the one-click unsubscribe without any cookie
# (RFC 8058), so neither needs Django's CSRF cookie.
@csrf_exempt
@never_cache
def press_confirm(request, token):
    subscription = get_object_or_404(Subscription, token=token, unsubscribed_at__isnull=True)
    if request.method == "POST":
        press_list.confirm(request, subscription)
        return render(request, "news/press_list_step.html", {"step": "confirmed"})
    return render(request, "news/press_list_step.html", {"step": "confirm"})


@csrf_exempt
@never_cache
def press_unsubscribe(request, token):
    subscription = get_object_or_404(Subscription, token=token)
    if request.method == "POST":
        press_list.unsubscribe(subscription)
        return render(request, "news/press_list_step.html", {"step": "unsubscribed"})
    if subscription.unsubscribed_at:
        return render(request, "news/press_list_step.html", {"step": "unsubscribed"})
    return render(request, "news/press_list_step.html", {"step": "unsubscribe"})


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
            "meetings": article.related_meetings.announced().select_related("board"),
        },
    )


def article_image(request, slug):
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    return image_response(article.image, public=article.is_public)


def image_rendition(request, slug, width, extension):
    """A smaller rendition of the article's image, as the page's srcset names it."""
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    renditions = article.current_renditions
    if (
        renditions is None
        or width not in renditions["widths"]
        or extension not in ("webp", renditions["fallback"])
    ):
        raise Http404
    rendition = article.image.field.attr_class(
        article, article.image.field, rendition_name(article.image.name, width, extension)
    )
    content_type = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}[extension]
    response = file_response(
        rendition, content_type=content_type, public=article.is_public, as_attachment=False
    )
    if article.is_public and request.GET.get("v") == article.image_version:
        # The address the page names is this rendition's for good: a browser keeps it a year; a
        # shared cache an hour, so that a photo taken off the site soon leaves it too.
        # (patch_cache_control would keep the hour of file_response: the smaller max-age wins.)
        del response["Cache-Control"]
        patch_cache_control(
            response, public=True, max_age=365 * 24 * 60 * 60, s_maxage=3600, immutable=True
        )
    return response


def original_image(request, slug):
    """The photo of a press release in full size, to download (upright and without metadata)."""
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    if not article.offers_original_image:
        raise Http404
    return image_response(article.image, public=article.is_public, as_attachment=True)


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


@public_page
def article_calendar(request, slug):
    """An event as a calendar entry: for published articles only, previews have none."""
    article = get_object_or_404(Article.objects.published().events(), slug=slug)
    calendar = new_calendar(article.title)
    calendar.add_component(
        new_event(
            f"aktuelles-{article.pk}",
            summary=article.title,
            starts_at=article.starts_at,
            ends_at=article.ends_at,
            location=article.location,
            url=article.get_absolute_url(),
            description=article.teaser,
        )
    )
    return ics_response(calendar, f"{article.slug}.ics")
