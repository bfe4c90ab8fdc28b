"""The OParl endpoint: public pages in JSON, the same for every visitor, open to every origin."""

import contextlib
import datetime
import json

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from koss.core.cache import public_page
from koss.core.links import public_url

from .objects import BODY, BODY_KEY, LISTS, OBJECTS, SCHEMA, address, moment

# The filters of every external list: (query parameter, field, lookup).
FILTERS = {
    "created_since": ("created_at", "gte"),
    "created_until": ("created_at", "lte"),
    "modified_since": ("oparl_modified", "gte"),
    "modified_until": ("oparl_modified", "lte"),
}
LIST_QUERY = ["page", *FILTERS]
PER_PAGE = 100


def oparl_response(data, status=200):
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        status=status,
    )
    # Read-only public data: any site's scripts may read it (the site's own pages are
    # same-origin resources, koss.middleware).
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def not_found():
    return oparl_response({"error": _("Dieses Objekt gibt es nicht.")}, status=404)


class BadQuery(ValueError):
    pass


def parsed(value):
    """A moment in ISO 8601, with or without its offset, or None."""
    with contextlib.suppress(ValueError):
        # A "+" of an offset arrives as a space when a client did not encode it.
        return parse_datetime(value.strip().replace(" ", "+")) or parse_datetime(value)
    return None


def read_moment(name, value):
    """The moment of a filter: without an offset in German time; a day alone means its start."""
    found = parsed(value)
    if found is None:
        with contextlib.suppress(ValueError):
            day = parse_date(value)
            found = datetime.datetime.combine(day, datetime.time()) if day else None
    if found is None:
        raise BadQuery(
            _(
                "Der Filter „%(name)s“ erwartet einen Zeitpunkt nach ISO 8601, "
                "z. B. 2026-01-31T12:00:00+01:00."
            )
            % {"name": name}
        )
    return found if timezone.is_aware(found) else timezone.make_aware(found)


def read_filters(query):
    return {name: read_moment(name, query[name]) for name in FILTERS if query.get(name, "").strip()}


def page_links(path, query, page):
    def link(number):
        return address("list", path) + "?" + urlencode({**query, "page": number})

    links = {"first": link(1), "last": link(page.paginator.num_pages)}
    if page.has_previous():
        links["prev"] = link(page.previous_page_number())
    if page.has_next():
        links["next"] = link(page.next_page_number())
    return links


def list_response(request, path, rows, as_dict):
    paginator = Paginator(rows, PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        return oparl_response({"error": _("Diese Seite der Liste gibt es nicht.")}, status=404)
    query = {name: request.GET[name] for name in FILTERS if name in request.GET}
    return oparl_response(
        {
            "data": [as_dict(obj) for obj in page.object_list],
            "pagination": {
                "totalElements": paginator.count,
                "elementsPerPage": PER_PAGE,
                "currentPage": page.number,
                "totalPages": paginator.num_pages,
            },
            "links": page_links(path, query, page),
        }
    )


@require_safe
@public_page
def system(request):
    times = BODY.times()
    return oparl_response(
        {
            "id": address("system"),
            "type": SCHEMA + "System",
            "oparlVersion": SCHEMA,
            "body": address("list", BODY.path),
            "name": _("KOSS-Portal"),
            "contactEmail": settings.KOSS_CONTACT_EMAIL,
            "contactName": _("Kompetenzzentrum Strategische Sozialplanung"),
            "website": public_url("/"),
            "created": moment(times["created"]),
            "modified": moment(times["modified"]),
            "web": public_url("/"),
        }
    )


@require_safe
@public_page(query=LIST_QUERY)
def body_list(request):
    try:
        filters = read_filters(request.GET)
    except BadQuery as error:
        return oparl_response({"error": str(error)}, status=400)
    times = BODY.times()
    stamps = {"created_at": times["created"], "oparl_modified": times["modified"]}
    within = all(
        stamps[FILTERS[name][0]] >= value
        if FILTERS[name][1] == "gte"
        else stamps[FILTERS[name][0]] <= value
        for name, value in filters.items()
    )
    return list_response(request, BODY.path, [times] if within else [], BODY.as_dict)


@require_safe
@public_page
def body(request, key):
    if key != BODY_KEY:
        return not_found()
    return oparl_response(BODY.as_dict(BODY.times()))


@require_safe
@public_page(query=LIST_QUERY)
def object_list(request, path):
    kind = LISTS.get(path)
    if kind is None:
        return not_found()
    try:
        filters = read_filters(request.GET)
    except BadQuery as error:
        return oparl_response({"error": str(error)}, status=400)
    since = filters.get("modified_since")
    rows = kind.annotated(kind.rows() if since else kind.public())
    rows = rows.filter(
        **{f"{FILTERS[name][0]}__{FILTERS[name][1]}": value for name, value in filters.items()}
    )
    as_dict = kind.as_dict
    if since:
        # What stopped being public since then is told as deleted, if it existed before then:
        # only then may a client that last asked at that moment hold it.
        rows = rows.annotate(oparl_public=Exists(kind.public().filter(pk=OuterRef("pk")))).filter(
            Q(oparl_public=True) | Q(created_at__lt=since)
        )

        def as_dict(obj):
            return kind.as_dict(obj) if obj.oparl_public else kind.as_deleted(obj)

    return list_response(request, path, rows.order_by("pk"), as_dict)


@require_safe
@public_page
def object_detail(request, path, pk):
    kind = OBJECTS.get(path)
    if kind is None:
        return not_found()
    obj = kind.annotated(kind.public()).filter(pk=pk).first()
    if obj is None:
        return not_found()
    return oparl_response(kind.as_dict(obj))
