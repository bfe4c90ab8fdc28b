from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partners.map import partner_map


def home(request):
    network = partner_map()
    partner_count = sum(group["total"] for group in network["groups"]) + sum(
        item["count"] for item in network["beyond"]
    )
    return render(request, "home.html", {"partner_count": partner_count, "map": network})


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /verwaltung/",
        "Disallow: /konto/",
        "Disallow: /beirat/intern/",
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
