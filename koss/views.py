import datetime
from functools import cache

from django import forms
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from advisory_board.models import Meeting
from news.models import Article
from partners.map import partner_map

from .core.cache import public_page
from .core.search import search as run_search
from .models import Page

HOME_NEWS = 3


@public_page
def home(request):
    # The map and the partner count are computed only when they are not among the kept parts.
    network = cache(partner_map)

    @cache
    def partner_count():
        return sum(group["total"] for group in network()["groups"]) + sum(
            item["count"] for item in network()["beyond"]
        )

    latest_news = Article.objects.published().defer("body", "search_vector")[:HOME_NEWS]
    next_meeting = (
        Meeting.objects.upcoming().filter(board__is_current=True).select_related("board").first()
    )
    return render(
        request,
        "home.html",
        {
            "partner_count": partner_count,
            "map": network,
            "latest_news": latest_news,
            "next_meeting": next_meeting,
        },
    )


@public_page
def page(request, slug):
    return render(request, "pages/page.html", {"page": get_object_or_404(Page, slug=slug)})


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Suchbegriff"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Bitte suchen Sie mit höchstens %(limit_value)d Zeichen.")},
    )


@public_page
def search(request):
    form = SearchForm(request.GET)
    results, query = [], ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        results = run_search(query, request.user)
    return render(request, "search.html", {"form": form, "query": query, "results": results})


@require_GET
@public_page
def security_txt(request):
    expires = (timezone.now() + datetime.timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: mailto:{settings.KOSS_CONTACT_EMAIL}",
        f"Expires: {expires.astimezone(datetime.UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: de, en",
        f"Canonical: {request.build_absolute_uri(reverse('security_txt'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@public_page
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /verwaltung/",
        "Disallow: /konto/",
        "Disallow: /beirat/intern/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def health(request):
    """200 while the database answers, 503 when it does not: for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
