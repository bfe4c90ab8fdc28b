"""Public pages kept for anonymous visitors, parts of pages kept for everyone and members' own
pages kept for each member, per content generation.

The content generation names the state of the content. Every change made on the site (any
successful POST of a person who was logged in before it) and every command that writes content
starts a new one; so does the moment something changes by itself (a scheduled article or document
appears, a meeting begins), which the apps register with `register_scheduled_change()`. Whatever
is kept belongs to one generation and is never served in another: no visitor sees a page from
before an edit.

The generation is kept in the database (the default cache, `SharedStore`), where an outage of
Redis cannot lose a new one and a Redis that returns with older data cannot bring an old one
back: a page kept in Redis is served only while it belongs to the generation the database holds.

Three mechanisms use it:
- the page cache: a rendered public page for anonymous visitors, read before any other
  middleware runs, with one read of the generation (database) and one of the page (Redis);
  browsers revalidate with ETags. A page declares the query parameters it reads
  (`@public_page(query=[...])`); it sees only those, and its pages are kept under them alone, so
  that unknown ones (`utm_source`, random ones) neither multiply the entries nor change a page;
- Django's `{% cache %}` tag for parts of pages that are the same for every visitor, with
  `generation` among what they vary on (`{% cache fragment_seconds "name" generation … %}`; the
  context processor `generation_context` provides both values), and the totals of a directory's
  filters (`KeptCountPaginator`), kept the same way;
- members' pages (`kept_for_person`): one member's page, kept for that member alone, for the
  generation, the day and the visit, in the memory of the server process (never in Redis).
  Members change what members see (a reply, a vote, a comment), so every change a logged-in
  person makes starts a new generation, not only staff's.
"""

import hashlib
import logging
import threading
from functools import partial, wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import QueryDict
from django.urls import Resolver404, get_resolver
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.connection import ConnectionProxy
from django.utils.functional import SimpleLazyObject, cached_property

logger = logging.getLogger(__name__)

# Pages and their parts have a cache of their own, which misses while Redis is away
# (koss.core.cache_backend); the generation lives in the database's store.
cache = ConnectionProxy(caches, "pages")
store = ConnectionProxy(caches, "default")
# Members' pages stay in the memory of the process that rendered them.
personal = ConnectionProxy(caches, "members")

GENERATION_KEY = "koss:content-generation"
# Without anything scheduled, a generation is still renewed after this long.
LONGEST_GENERATION = 24 * 60 * 60

_scheduled_changes = []


def register_scheduled_change(next_change):
    """`next_change()` gives the next moment content of an app changes by itself, or None."""
    _scheduled_changes.append(next_change)
    return next_change


def public_page(view=None, *, query=()):
    """Mark a view's page as the same for every anonymous visitor, so it may be cached.

    `query` names the query parameters the page reads. The view sees only these (in one order),
    so a page rendered for a request with others is the page of the known ones, and is kept and
    served under them alone.
    """
    if view is None:
        return partial(public_page, query=query)
    known = frozenset(query)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.GET = known_query(request, known)
        request.META["QUERY_STRING"] = request.GET.urlencode()
        response = view(request, *args, **kwargs)
        response.koss_public = True
        return response

    wrapped.koss_query = known
    return wrapped


def known_query(request, known):
    """The request's query string reduced to the parameters in `known`, sorted by name."""
    query = QueryDict(mutable=True)
    for name in sorted(known.intersection(request.GET)):
        query.setlist(name, request.GET.getlist(name))
    query._mutable = False
    return query


def start_new_generation():
    """Forget every cached page and part: call after anything public may have changed."""
    now = timezone.now()
    moments = [moment for moment in (change() for change in _scheduled_changes) if moment]
    until = min([*moments, now + timezone.timedelta(seconds=LONGEST_GENERATION)])
    generation = {"id": now.timestamp(), "until": until.timestamp()}
    store.set(GENERATION_KEY, generation, timeout=None)
    return generation["id"]


def _valid(generation):
    # Anything else under the key (a value of an earlier release, say) counts as no generation.
    return isinstance(generation, dict) and generation.get("until", 0) > timezone.now().timestamp()


def current_generation():
    """The generation of this request: read once per request (each time outside one), renewed
    when its time is up."""
    if _request.generation is not None:
        return _request.generation
    generation = store.get(GENERATION_KEY)
    generation = generation["id"] if _valid(generation) else start_new_generation()
    if _request.active:
        _request.generation = generation
    return generation


class _RequestState(threading.local):
    active = False
    generation = None


_request = _RequestState()


def generation_context(request):
    """What `{% cache %}` needs to keep a part of a page for the generation (read only when a
    template uses it; nothing to read while parts of pages are not kept)."""
    seconds = settings.KOSS_FRAGMENT_CACHE_SECONDS
    return {
        "generation": SimpleLazyObject(current_generation) if seconds > 0 else 0,
        "fragment_seconds": seconds,
    }


class KeptCountPaginator(Paginator):
    """A paginator whose total is kept like a part of a page, per generation and filter: a
    directory's every page number then counts its matches once. `vary` names the list and the
    filter."""

    def __init__(self, object_list, per_page, *, vary, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.vary = vary

    @cached_property
    def count(self):
        return kept_value(["count", *self.vary], lambda: Paginator.count.func(self))


_MISSING = object()


def kept_value(vary, compute):
    """`compute()`, kept like a part of a page: for the generation and `vary`, which names the
    value and all it depends on. Computed each time while parts of pages are not kept."""
    seconds = settings.KOSS_FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    # get and set, not get_or_set: that reads a value it has just stored once more, a third
    # round trip for a value two requests may compute alike.
    key = _kept_key("value", vary)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, seconds)
    return value


def _kept_key(kind, vary):
    """The key of what is kept for the current generation and `vary`."""
    parts = [current_generation(), *vary]
    return f"koss:{kind}:" + hashlib.sha256("\x00".join(map(str, parts)).encode()).hexdigest()


def kept_for_person(request, vary, render):
    """The page `render()` makes for the logged-in member of this request, kept for them alone.

    A kept page is served only to the same login, with the same CSRF cookie (its forms carry a
    token of its secret), in the same generation, on the same day (memberships and date polls
    end with a day) and with the same `vary` (what the page reads of the person's visit and the
    query).
    Staff and pages with messages to show get a page rendered for them; so does everyone while
    parts of pages are not kept.
    """
    seconds = settings.KOSS_FRAGMENT_CACHE_SECONDS
    user = request.user
    secret = request.META.get("CSRF_COOKIE", "")
    if (
        seconds <= 0
        or request.method not in ("GET", "HEAD")
        or not user.is_authenticated
        or user.is_staff
        or user.is_superuser
        or len(messages.get_messages(request))
    ):
        return render()
    key = _kept_key("person", [user.pk, timezone.localdate(), secret, request.path, *vary])
    response = personal.get(key)
    if response is None:
        response = render()
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # A page whose forms carry a CSRF secret made while it was rendered is not kept:
            # the secret reaches the browser with this response alone.
            and request.META.get("CSRF_COOKIE", "") == secret
        ):
            personal.set(key, response, seconds)
    return response


def filter_query(request):
    """The query string without the page number: what a directory's map and filters vary with."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class AnonymousPageCacheMiddleware:
    """Serve anonymous visitors stored pages before any other middleware runs.

    It sits right after the security and static-file middleware, so a stored page carries the
    headers all later middleware gave it. A hit costs two reads: the generation from the
    database, which no outage of Redis can roll back, and the page from Redis.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request.active, _request.generation = True, None
        try:
            return self.respond(request)
        finally:
            _request.active, _request.generation = False, None

    def respond(self, request):
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        key = None
        if anonymous and settings.KOSS_PAGE_CACHE_SECONDS > 0 and request.method in ("GET", "HEAD"):
            key = self.key(request)
        if key:
            stored = self.stored(key)
            if stored is not None:
                return get_conditional_response(request, etag=stored.get("ETag"), response=stored)

        response = self.get_response(request)

        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        # A logging in (a POST without a session before it) changes no content.
        if request.method == "POST" and logged_in and not anonymous and response.status_code < 400:
            start_new_generation()
        if logged_in:
            # Pages of logged-in people stay out of shared caches.
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
        elif getattr(response, "koss_public", False) and response.status_code == 200:
            patch_cache_control(response, no_cache=True, public=True)
            if key and not response.streaming and not response.cookies:
                # One piece of content, sent in one write: feeds are written in many small parts.
                response.content = response.content
                stored = (current_generation(), response)
                cache.set(key, stored, settings.KOSS_PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def stored(key):
        """The page stored under `key` for the database's generation, if any. Without the
        database nothing is served: the generation could not be checked."""
        try:
            generation = store.get(GENERATION_KEY)
        except DatabaseError:
            return None
        if not _valid(generation):
            # Renewed before the page is rendered, so the page cannot belong to a later one.
            _request.generation = start_new_generation()
            return None
        _request.generation = generation["id"]
        found = cache.get(key)
        if found is not None and found[0] == generation["id"]:
            return found[1]
        return None

    @staticmethod
    def key(request):
        """The page's key, from the query parameters its view declares; None for a page that is
        not public (nothing to read or keep)."""
        try:
            view = get_resolver().resolve(request.path_info).func
        except Resolver404:
            return None
        known = getattr(view, "koss_query", None)
        if known is None:
            return None
        query = known_query(request, known).urlencode()
        address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        return "koss:page:" + hashlib.sha256(address.encode()).hexdigest()
