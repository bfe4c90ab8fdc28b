"""Every URL pattern of the site, walked with hostile values as anonymous visitor, member and staff.

No response may be a 5xx, no hostile markup may come back unescaped, and nothing may change.
"""

import itertools
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .advisory_board.conftest import world  # noqa: F401 - fixture
from .factories import login_as

pytestmark = pytest.mark.django_db

MARKUP = '<script>alert("koss")</script>'
HOSTILE = [
    MARKUP,
    "x" * 5000,
    "\x00",
    "a\x00b",
    "' OR '1'='1' --",
    "1; DROP TABLE partners_partner",
    "../../../etc/passwd",
    "%00%2e%2e%2f",
    "-1",
    "99999999999999999999999999",
    "1.5",
    "\u202e\u0000\ufeff",
    "𝕂𝕆𝕊𝕊 🙂",
    "ä" * 300,
    '"unbalanced',
    "{{ 7*7 }}",
]
PATH_VALUES = {"int": ["0", "1", "99999999999999999999"], "slug": ["a" * 300, "gibt-es-nicht", "1"]}
PATH_VALUES["str"] = [quote(value, safe="") for value in HOSTILE if value] + ["a"]
PATH_VALUES["path"] = PATH_VALUES["str"]
ROUTE_NAMES = {"string": "str"}
QUERY_KEYS = ["q", "page", "kind", "level", "region", "topic", "year", "next", "o", "p"]
FORM_KEYS = [
    "answer",
    "deputy_name",
    "comment",
    "action",
    "login",
    "password",
    "email",
    "q",
    "code",
    "password1",
    "password2",
]
SKIPPED_PREFIXES = ("verwaltung/",)  # the admin is walked through its changelists below


def patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        elif isinstance(entry, URLPattern) and not route.startswith(SKIPPED_PREFIXES):
            yield route, entry


def urls_for(route, pattern):
    """The pattern filled with hostile values for its converters (regex patterns: as written)."""
    converters = list(getattr(pattern.pattern, "converters", {}).items())
    if not converters:
        yield "/" + route.lstrip("^").rstrip("$").replace("\\", "")
        return
    # The converter's name as a route writes it: StringConverter is "str".
    kinds = [
        ROUTE_NAMES.get(name, name)
        for name in (type(c).__name__.replace("Converter", "").lower() for _n, c in converters)
    ]
    for values in itertools.islice(itertools.product(*(PATH_VALUES[kind] for kind in kinds)), 12):
        url = route
        for (name, _converter), kind, value in zip(converters, kinds, values, strict=True):
            url = url.replace(f"<{kind}:{name}>", value)
        yield "/" + url


def snapshot():
    """Row counts of every model, and the content of the ones visitors could try to change."""
    ignored = {"session", "downloadlog", "person", "authenticator", "emailconfirmation"}
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.model_name not in ignored
    }
    content = {
        label: sorted(map(repr, apps.get_model(label).objects.values_list()))
        for label in [
            "partners.Partner",
            "news.Article",
            "advisory_board.Reply",
            "advisory_board.Document",
            "koss.Page",
        ]
    }
    return counts, content


def check(response, url):
    assert response.status_code < 500, f"{response.status_code} for {url!r}"
    if response.get("Content-Type", "").startswith("text/html") and not getattr(
        response, "streaming", False
    ):
        assert MARKUP not in response.content.decode(errors="replace"), (
            f"markup reflected by {url!r}"
        )


@pytest.mark.parametrize("visitor", ["anonymous", "member", "staff"])
def test_every_url_pattern_survives_hostile_values(client, world, visitor):  # noqa: F811
    if visitor != "anonymous":
        login_as(client, world["users"][visitor])
    before = snapshot()
    tried = 0
    for route, pattern in patterns():
        for url in urls_for(route, pattern):
            for value in HOSTILE:
                check(client.get(url, dict.fromkeys(QUERY_KEYS, value)), url)
                check(client.post(url, dict.fromkeys(FORM_KEYS, value)), url)
                tried += 2
            if visitor != "anonymous":
                login_as(client, world["users"][visitor])  # a hostile logout form may have worked
    assert snapshot() == before
    assert tried > 1000


def test_admin_changelists_survive_hostile_query_values(staff_client):
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for value in HOSTILE:
            response = staff_client.get(url, {"q": value, "o": value, "p": value})
            assert response.status_code < 500, (url, value)
            assert MARKUP not in response.content.decode()
