"""Site search across partners, news and the board: one ranked list, each hit labelled by type.

On PostgreSQL the full-text search uses the German configuration (stemming: "Sozialplanungen"
finds "Sozialplanung") with weighted fields and ts_headline for the passage. Each searchable model
stores its weighted words in a `search_vector` column with a GIN index, so a search reads the index
instead of the texts; the column is refreshed whenever an object is saved, and
`manage.py update_search_index` refreshes it after bulk imports. Elsewhere a simpler search matches
every word as a substring. Both only ever search what the searching user may see: the same
published() and visible_to() rules as every page.

Each app registers the sources of its models (`register()`, from its `search.py`); this module
imports no app. Matches are ranked and cut per source before any passage is highlighted.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, connections, migrations
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

MAX_RESULTS = 50
PER_SOURCE = 20
SNIPPET_WORDS = 30
# Control characters mark the matched words in ts_headline's output; they cannot come from
# the query (the form refuses them), and the text around them is escaped before they turn into
# <mark> elements.
START, STOP = "\x02", "\x03"


@dataclass
class Result:
    label: str
    title: str
    url: str
    snippet: str
    rank: float


@dataclass(frozen=True)
class Source:
    """One kind of searchable object: which fields weigh how much, and how a hit is shown."""

    label: str
    weighted_fields: tuple  # (field, weight "A"–"D")
    snippet_fields: tuple
    html_fields: tuple = ()

    model = None

    def vector(self):
        """The weighted words of an object, as stored in its search_vector column."""
        return weighted_vector(self.weighted_fields, self.html_fields)

    def queryset(self, user):
        raise NotImplementedError

    def title(self, obj):
        return str(obj)

    def url(self, obj):
        return obj.get_absolute_url()

    def label_for(self, obj):
        return self.label


# The registered sources, in the order of INSTALLED_APPS.
SOURCES = []
SOURCES_BY_MODEL = {}


def register(source):
    """Make a source searchable: its objects' words are stored whenever one is saved."""
    from django.db.models.signals import post_save

    SOURCES.append(source)
    SOURCES_BY_MODEL[source.model._meta.label] = source
    post_save.connect(
        update_saved_object, sender=source.model, dispatch_uid=f"search:{source.model._meta.label}"
    )
    return source


def search(query, user):
    query = " ".join(query.split())
    if not query:
        return []
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, config="german", search_type="websearch")
        results = [hit for source in SOURCES for hit in _postgres(source, search_query, user)]
    else:
        words = query.replace('"', " ").split()
        results = [hit for source in SOURCES for hit in _simple(source, words, user)]
    results.sort(key=lambda result: -result.rank)
    return results[:MAX_RESULTS]


def weighted_vector(weighted_fields, html_fields=()):
    """The weighted words of the fields, for a search_vector column."""
    vector = None
    for field, weight in weighted_fields:
        part = SearchVector(_plain(field, html_fields), weight=weight, config="german")
        vector = part if vector is None else vector + part
    return vector


def _plain(field, html_fields):
    """The field as plain text inside the database: tags of HTML fields replaced by spaces."""
    expression = Coalesce(F(field), Value(""), output_field=TextField())
    if field in html_fields:
        expression = Func(
            expression,
            Value("<[^>]+>"),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
    return expression


def _postgres(source, search_query, user):
    """The best matches of a source, one query: the matches are ranked and cut first, and only
    the rows that remain get a highlighted passage (ts_headline reads their whole text)."""
    rank = SearchRank(F("search_vector"), search_query)
    best = (
        source.queryset(user)
        .filter(search_vector=search_query)
        .annotate(rank=rank)
        .order_by("-rank")
        .values("pk")[:PER_SOURCE]
    )
    hits = (
        source.queryset(user)
        .filter(pk__in=best)
        .defer("search_vector", *source.snippet_fields)
        .annotate(rank=rank, headline=_headline(source, search_query))
        .order_by("-rank")
    )
    return [
        Result(
            label=source.label_for(hit),
            title=source.title(hit),
            url=source.url(hit),
            snippet=_marked(hit.headline),
            rank=hit.rank,
        )
        for hit in hits
    ]


def _headline(source, search_query):
    pieces = []
    for field in source.snippet_fields:
        pieces += [_plain(field, source.html_fields), Value(" ", output_field=TextField())]
    return SearchHeadline(
        Concat(*pieces, output_field=TextField()) if len(pieces) > 2 else pieces[0],
        search_query,
        config="german",
        start_sel=START,
        stop_sel=STOP,
        max_words=SNIPPET_WORDS,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def _marked(text):
    escaped = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    # Everything but our own markers is escaped.
    return mark_safe(escaped)  # nosec B308 B703


def _simple(source, words, user):
    fields = [field for field, _weight in source.weighted_fields]
    queryset = source.queryset(user)
    for word in words:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    results = []
    for hit in queryset[:PER_SOURCE]:
        title_text = " ".join(
            str(getattr(hit, f) or "") for f, weight in source.weighted_fields if weight == "A"
        )
        text = " ".join(strip_tags(str(getattr(hit, f) or "")) for f in source.snippet_fields)
        rank = sum(
            3 * title_text.lower().count(w.lower()) + text.lower().count(w.lower()) for w in words
        )
        results.append(
            Result(
                label=source.label_for(hit),
                title=source.title(hit),
                url=source.url(hit),
                snippet=_simple_snippet(text, words),
                rank=rank,
            )
        )
    return results


def _simple_snippet(text, words):
    """About SNIPPET_WORDS words around the first match, with every match marked."""
    lowered = text.lower()
    positions = [lowered.find(word.lower()) for word in words if word.lower() in lowered]
    start = max(0, min(positions) - 80) if positions else 0
    excerpt = Truncator(text[start:]).words(SNIPPET_WORDS, truncate=" …")
    if start:
        excerpt = "… " + excerpt.split(" ", 1)[-1]
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", excerpt)
    return _marked(marked)


def update_search_vectors(model, queryset=None):
    """Store the searchable words of the model's objects (all of them without a queryset).

    Only PostgreSQL has the column's type and index; elsewhere the column stays empty and the
    search reads the texts.
    """
    queryset = model._default_manager.all() if queryset is None else queryset
    if connections[queryset.db].vendor != "postgresql":
        return
    source = SOURCES_BY_MODEL[model._meta.label]
    queryset.update(search_vector=source.vector())


def search_index_operation(app_label, model_name, weighted_fields, html_fields=()):
    """A migration step: the GIN index on the model's search_vector, and its first fill.

    The fields are given as they were when the migration was written, so that the migration
    keeps working when the model changes later. PostgreSQL only; the index is not part of the
    model state because other databases cannot build it.
    """

    def index_name(schema_editor, model):
        return schema_editor.quote_name(f"{model._meta.db_table}_search_gin")

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(app_label, model_name)
        # Without fastupdate, new words go straight into the index instead of a pending list that
        # every search would read until the next vacuum: content changes rarely, searches often.
        schema_editor.execute(
            f"CREATE INDEX {index_name(schema_editor, model)} ON "
            f"{schema_editor.quote_name(model._meta.db_table)} USING gin (search_vector) "
            "WITH (fastupdate = off)"
        )
        model._default_manager.using(schema_editor.connection.alias).update(
            search_vector=weighted_vector(weighted_fields, html_fields)
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(app_label, model_name)
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(schema_editor, model)}")

    return migrations.RunPython(forwards, backwards, elidable=False)


def update_saved_object(sender, instance, raw=False, **kwargs):
    update_search_vectors(sender, sender._default_manager.filter(pk=instance.pk))
