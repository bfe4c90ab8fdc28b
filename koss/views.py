import datetime
import ipaddress
import uuid
from functools import cache

from allauth.account.adapter import get_adapter as get_account_adapter
from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from advisory_board.models import Meeting
from news.models import Article
from partners.map import partner_map

from .core.cache import public_page
from .core.links import public_url
from .core.search import SOURCES as search_sources
from .core.search import search as run_search
from .models import Page, Term

HOME_NEWS = 3
HOME_EVENTS = 3


@public_page
def home(request):
    # The page's content is the same for everyone: what it reads is read only when it is not
    # among the kept parts of pages.
    network = cache(partner_map)

    @cache
    def partner_count():
        return sum(group["total"] for group in network()["groups"]) + sum(
            item["count"] for item in network()["beyond"]
        )

    def articles():
        return Article.objects.published().defer("body", "search_vector", "search_stems")

    latest_news = SimpleLazyObject(lambda: articles()[:HOME_NEWS])
    next_events = SimpleLazyObject(lambda: articles().upcoming_events()[:HOME_EVENTS])

    @cache
    def next_meeting():
        return (
            Meeting.objects.announced()
            .upcoming()
            .filter(board__is_current=True)
            .select_related("board")
            .defer("search_vector", "search_stems")
            .first()
        )

    return render(
        request,
        "home.html",
        {
            "partner_count": partner_count,
            "map": network,
            "latest_news": latest_news,
            "next_events": next_events,
            "next_meeting": next_meeting,
        },
    )


@public_page
def page(request, slug):
    return render(request, "pages/page.html", {"page": get_object_or_404(Page, slug=slug)})


@public_page
def easy_read(request, slug):
    """A page of the section in Leichte Sprache, with the way to its other pages."""
    section = Page.objects.filter(slug__in=Page.EASY_READ_SLUGS)
    pages = {page.slug: page for page in section}
    page = pages.get(slug)
    if page is None:
        raise Http404
    return render(
        request,
        "pages/easy_read.html",
        {
            "page": page,
            "section": [pages[slug] for slug in Page.EASY_READ_SLUGS[1:] if slug in pages],
            "start": pages.get(Page.Slug.EASY_READ),
        },
    )


@public_page
def glossary(request):
    return render(request, "pages/glossary.html", {"terms": Term.objects.visible_to(request.user)})


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Suchbegriff"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Bitte suchen Sie mit höchstens %(limit_value)d Zeichen.")},
    )
    typ = forms.ChoiceField(
        label=_("Art der Treffer"),
        required=False,
        choices=lambda: [("", _("Alle"))] + [(s.key, s.heading) for s in search_sources],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Diese Art von Treffern gibt es nicht.")},
    )


@public_page(query=[*SearchForm.base_fields, "page"])
def search(request):
    form = SearchForm(request.GET)
    found, query, kind = None, "", ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"], form.cleaned_data["typ"]
        # Searched only when the page's content is not among the kept parts of pages (visitors
        # who are not logged in all find the same).
        found = SimpleLazyObject(
            lambda: run_search(query, request.user, kind=kind, page=request.GET.get("page"))
        )
    return render(
        request,
        "search.html",
        {
            "form": form,
            "query": query,
            "kind": kind,
            "found": found,
            "results": SimpleLazyObject(lambda: found.results if found else []),
        },
    )


@require_GET
@public_page
def security_txt(request):
    expires = (timezone.now() + datetime.timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: mailto:{settings.KOSS_CONTACT_EMAIL}",
        f"Expires: {expires.astimezone(datetime.UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: de, en",
        f"Canonical: {public_url(reverse('security_txt'))}",
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
        f"Sitemap: {public_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def health(request):
    """For load balancers and monitoring: 503 while the database does not answer (nothing works
    without it); the cache, the file storage and the task queue are reported, and a failure of one
    of them makes the status "degraded", as the portal still serves pages without them.

    Everyone learns the status (ok, degraded, down); what lies behind it only the machine itself
    (the client address as the login limits take it, behind KOSS_TRUSTED_PROXY_COUNT proxies) or
    a request with `Authorization: Bearer <KOSS_HEALTH_TOKEN>`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        report = {"status": "down", "database": "unreachable"}
        return JsonResponse(report if _may_see_details(request) else {"status": "down"}, status=503)
    report = {
        "database": "ok",
        "cache": _cache_state(),
        "storage": _storage_state(),
        "oldest_pending_task_seconds": _oldest_pending_task_seconds(),
    }
    status = "degraded" if "unreachable" in (report["cache"], report["storage"]) else "ok"
    if not _may_see_details(request):
        return JsonResponse({"status": status})
    return JsonResponse({"status": status, **report})


def _may_see_details(request):
    token = settings.KOSS_HEALTH_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if token and constant_time_compare(given, token):
        return True
    try:
        return ipaddress.ip_address(get_account_adapter().get_client_ip(request)).is_loopback
    except (PermissionDenied, ValueError):
        return False


def _cache_state():
    probe = f"koss:health:{uuid.uuid4().hex}"
    shared = caches["pages"]
    shared.set(probe, 1, 10)
    found = shared.get(probe)
    shared.delete(probe)
    return "ok" if found == 1 else "unreachable"


def _storage_state():
    try:
        default_storage.exists("health-probe")
    except Exception:  # any failure of the storage: disk, network or credentials
        return "unreachable"
    return "ok"


def _oldest_pending_task_seconds():
    """Age of the oldest task that is due and not yet taken by a worker (none: 0)."""
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    return round((timezone.now() - oldest).total_seconds()) if oldest else 0
