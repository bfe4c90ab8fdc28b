from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from news.models import Article
from partners.map import partner_map

HOME_NEWS = 3


def home(request):
    network = partner_map()
    partner_count = sum(group["total"] for group in network["groups"]) + sum(
        item["count"] for item in network["beyond"]
    )
    latest_news = Article.objects.published().defer("body")[:HOME_NEWS]
    return render(
        request,
        "home.html",
        {"partner_count": partner_count, "map": network, "latest_news": latest_news},
    )


@require_GET
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
