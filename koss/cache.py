"""Server-side cache of public pages for anonymous visitors, and of fragments shared by everyone.

A rendered public page is kept in the shared cache together with the content generation it was
rendered in; one read fetches the current generation and the page. Every change staff make (any
successful POST in the admin) and every command that writes content starts a new generation, so
no visitor sees a page from before an edit. What changes by itself later (a scheduled article or
document appears, a meeting begins) caps how long a page may be kept. Browsers get
`Cache-Control: no-cache` with an ETag: they revalidate every time and get a 304 when nothing
changed.

Parts that are the same for every visitor and every page number (the map, the filter forms, the
totals of a directory, the card of each partner, article or meeting, the content of a partner's
or an article's page) are kept the same way, so a page that is not in the cache is rendered
faster. A request reads the generation once; each server
process also keeps the parts it has read or rendered, so parts it has seen in the current
generation cost no further round trip.
"""

import datetime
import hashlib
import logging
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.connection import ConnectionProxy
from django.utils.functional import cached_property
from redis.exceptions import RedisError

from koss.querysets import has_staff_rights

logger = logging.getLogger(__name__)

# Pages and their parts have a cache of their own: see koss.cache_backend.
cache = ConnectionProxy(caches, "pages")

# What a shared cache raises when it is away: Redis errors, or file-system errors for the file
# cache.
CACHE_ERRORS = (RedisError, OSError)

# After the cache server fails, pages are rendered without it for this long, instead of every
# request waiting for its timeouts again.
CACHE_RETRY_SECONDS = 30
_unavailable_until = 0.0

GENERATION_KEY = "koss:content-generation"
NEXT_CHANGE_KEY = "koss:next-scheduled-change:{generation}"
# How long the moment of the next scheduled change is remembered before it is looked up again.
NEXT_CHANGE_SECONDS = 60

# Fragments this process has read or rendered, as (generation, value, expiry): a page reads the
# content generation once and then takes its fragments from here, without a round trip each.
LOCAL_FRAGMENTS = 2000
_local_fragments = {}
_local_lock = threading.Lock()


class _RequestState(threading.local):
    """The content generation as read at the start of the request being served by this thread:
    every fragment of one response belongs to the same generation."""

    active = False
    generation = None


_request = _RequestState()


def public_page(view):
    """Mark a view's page as the same for every anonymous visitor, so it may be cached."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.koss_public = True
        return response

    return wrapped


def cache_usable():
    return time.monotonic() >= _unavailable_until


def cache_failed(error):
    global _unavailable_until
    _unavailable_until = time.monotonic() + CACHE_RETRY_SECONDS
    logger.warning(
        "Cache unavailable, pages are rendered without it for %s s: %s", CACHE_RETRY_SECONDS, error
    )


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = timezone.now().timestamp()
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def start_new_generation():
    """Forget every cached page: call after anything public may have changed."""
    cache.set(GENERATION_KEY, timezone.now().timestamp(), timeout=None)
    _request.generation = None


def read(key):
    """The current generation and what is stored under key for it (or None), in one round trip.

    Entries remember the generation they were made in; one from an earlier generation is stale.
    """
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = current_generation()
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return generation, entry[1]
    return generation, None


def write(key, generation, value, seconds):
    """Store value for the generation, at most until scheduled content appears by itself."""
    timeout = min(seconds, seconds_until_next_scheduled_change(generation))
    if timeout > 0:
        cache.set(key, (generation, value), timeout)


def read_fragments(keys):
    """The generation and the fragments stored for it under the keys, in at most one round trip.

    In a request, the generation is read once (with the page or the first fragment) and fragments
    this process has seen in that generation cost no round trip at all.
    """
    found = {}
    generation = _request.generation
    if generation is not None:
        now = time.time()
        for key in keys:
            entry = _local_fragments.get(key)
            if entry is not None and entry[0] == generation and entry[2] > now:
                found[key] = entry[1]
        missing = [key for key in keys if key not in found]
        if not missing:
            return generation, found
        stored = cache.get_many(missing)
    else:
        stored = cache.get_many([GENERATION_KEY, *keys])
        generation = stored.pop(GENERATION_KEY, None)
        if generation is None:
            generation = current_generation()
        if _request.active:
            _request.generation = generation
    for key, entry in stored.items():
        if len(entry) == 3 and entry[0] == generation:
            found[key] = entry[1]
            _keep_locally(key, entry)
    return generation, found


def write_fragments(generation, values):
    """Store fragments for the generation, at most until scheduled content appears by itself."""
    timeout = min(
        settings.KOSS_FRAGMENT_CACHE_SECONDS, seconds_until_next_scheduled_change(generation)
    )
    if timeout <= 0:
        return
    expiry = time.time() + timeout
    entries = {key: (generation, value, expiry) for key, value in values.items()}
    cache.set_many(entries, timeout)
    for key, entry in entries.items():
        _keep_locally(key, entry)


def _keep_locally(key, entry):
    with _local_lock:  # threaded servers (runserver) share the dictionary
        if len(_local_fragments) >= LOCAL_FRAGMENTS:
            _local_fragments.pop(next(iter(_local_fragments)))  # the oldest
        _local_fragments[key] = entry


def seconds_until_next_scheduled_change(generation):
    """How long pages may be kept before something changes by itself (capped): a scheduled
    article or document appears, or a meeting begins and moves from upcoming to past."""
    key = NEXT_CHANGE_KEY.format(generation=generation)
    moment = cache.get(key)
    if moment is None:
        from advisory_board.models import Document, Meeting
        from news.models import Article

        now = timezone.now()
        candidates = [
            Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first(),
            Document.objects.filter(published_at__gt=now)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first(),
            Meeting.objects.filter(starts_at__gt=now)
            .order_by("starts_at")
            .values_list("starts_at", flat=True)
            .first(),
        ]
        moment = min((c for c in candidates if c), default=now + datetime.timedelta(days=1))
        cache.set(key, moment, timeout=NEXT_CHANGE_SECONDS)
    return int((moment - timezone.now()).total_seconds())


def filter_query(request):
    """The query string without the page number: what a directory's map and filters vary with."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def fragment_key(vary):
    return "koss:fragment:" + hashlib.sha256("\x00".join(map(str, vary)).encode()).hexdigest()


def fragments_enabled():
    return settings.KOSS_FRAGMENT_CACHE_SECONDS > 0 and cache_usable()


def cached_fragment(vary, compute):
    """HTML (or another value) that is the same for everyone, kept for the content generation.

    `vary` names it: a list of strings. Like the page cache, it is capped by the next scheduled
    change and fails open: without the cache server the value is computed.
    """
    if not fragments_enabled():
        return compute()
    key = fragment_key(vary)
    try:
        generation, found = read_fragments([key])
    except CACHE_ERRORS as error:
        cache_failed(error)
        return compute()
    if key in found:
        return found[key]
    value = compute()
    try:
        write_fragments(generation, {key: value})
    except CACHE_ERRORS as error:
        cache_failed(error)
    return value


def cached_each(objects, vary, render, prepare=None):
    """The markup of each object, kept with the shared fragments under the object's own key.

    A card looks the same in every list, on every page number and for every filter, so a list
    page that is not in the page cache renders only the cards no page has shown since the last
    edit. One cache round trip fetches them all. `render(obj)` makes one object's markup;
    `prepare(objects)` runs once for the objects about to be rendered (to fetch related rows for
    them only).
    """
    objects = list(objects)
    keys = [fragment_key([*vary, obj._meta.label, obj.pk]) for obj in objects]
    found, generation = {}, None
    if objects and fragments_enabled():
        try:
            generation, found = read_fragments(keys)
        except CACHE_ERRORS as error:
            cache_failed(error)
    missing = [obj for obj, key in zip(objects, keys, strict=True) if key not in found]
    if missing:
        if prepare is not None:
            prepare(missing)
        fresh = {
            key: render(obj) for obj, key in zip(objects, keys, strict=True) if key not in found
        }
        if generation is not None:
            try:
                write_fragments(generation, fresh)
            except CACHE_ERRORS as error:
                cache_failed(error)
        found |= fresh
    return [found[key] for key in keys]


class SharedCountPaginator(Paginator):
    """A paginator whose total is kept with the shared fragments: every page number of a filter
    then costs only the query for its own rows."""

    def __init__(self, object_list, per_page, *, vary, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.vary = vary

    @cached_property
    def count(self):
        return cached_fragment(["count", *self.vary], lambda: Paginator.count.func(self))


class AnonymousPageCacheMiddleware:
    """Serve anonymous visitors stored pages before any other middleware runs.

    It sits right after the security and static-file middleware, so a stored page carries the
    headers all later middleware gave it, and a hit costs one cache read. The page cache is an
    optimisation: when the cache itself fails, pages are rendered.
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
        cacheable = (
            anonymous
            and settings.KOSS_PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and cache_usable()
        )
        generation = key = None
        if cacheable:
            key = self.key(request)
            try:
                generation, cached = read(key)
            except CACHE_ERRORS as error:
                cache_failed(error)
                key = cached = None
            else:
                _request.generation = generation
            if cached is not None:
                return get_conditional_response(request, etag=cached.get("ETag"), response=cached)

        response = self.get_response(request)

        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        if (
            request.method == "POST"
            and logged_in
            and has_staff_rights(user)
            and response.status_code < 400
        ):
            try:
                start_new_generation()
            except CACHE_ERRORS as error:
                logger.error("Cached pages could not be invalidated after an edit: %s", error)
        if logged_in:
            # Pages of logged-in people stay out of shared caches.
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
        elif getattr(response, "koss_public", False) and response.status_code == 200:
            patch_cache_control(response, no_cache=True, public=True)
            if key and not response.streaming and not response.cookies:
                self.store(key, generation, response)
        return response

    @staticmethod
    def key(request):
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        return "koss:page:" + hashlib.sha256(address.encode()).hexdigest()

    def store(self, key, generation, response):
        # One piece of content, sent in one write: feeds are written in many small parts.
        response.content = response.content
        try:
            write(key, generation, response, settings.KOSS_PAGE_CACHE_SECONDS)
        except CACHE_ERRORS as error:
            cache_failed(error)
