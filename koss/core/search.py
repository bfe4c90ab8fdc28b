"""Site search across partners, topics, news and the board, grouped by type.

Words match in their German forms on every database (`search_words`: "Demografie" finds
"Demografischer Wandel"). On PostgreSQL each searchable model stores its weighted stems in a
`search_vector` column with a GIN index (German configuration), so a search reads the index instead
of the texts; elsewhere the `search_stems` column holds the same stems as text. Both columns are
refreshed whenever an object is saved, and `manage.py update_search_index` refreshes them after
bulk imports. When nothing matches, PostgreSQL looks for titles of a similar spelling (pg_trgm), so
that a typing error still leads somewhere. The search only ever reads what the searching user may
see: the same published() and visible_to() rules as every page.

Each app registers the sources of its models (`register()`, from its `search.py`); this module
imports no app. One query per source gives both its hits and their total.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.core.paginator import Paginator
from django.db import DatabaseError, connection, connections, migrations, transaction
from django.db.models import F, Func, IntegerField, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce, StrIndex

from .search_words import beginning, passages, plain, query_terms, stems_text

logger = logging.getLogger(__name__)

OVERVIEW_HITS = 5  # per type, on the page of all types
PAGE_HITS = 20  # per page, when one type is chosen
SIMILAR_MIN_LENGTH = 5  # shorter words resemble too many others


@dataclass
class Result:
    label: str
    title: str
    url: str
    snippet: str
    rank: float
    passages: list = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Source:
    """One kind of searchable object: which fields weigh how much, and how a hit is shown."""

    label: str  # the badge of a hit; empty when the group's heading says it all
    weighted_fields: tuple  # (field, weight "A"–"D"), the most important first
    snippet_fields: tuple
    html_fields: tuple = ()
    key: str = ""  # the value of ?typ= that shows only this type
    heading: str = ""  # the type in the plural, for its tab
    counted: str = ""  # ngettext_lazy("%(count)d Partner", "%(count)d Partner", "count")
    similar_field: str = ""  # a title to compare by spelling when nothing matches

    model = None
    # A short list kept by the editors (topics): its search_stems column serves on every database.
    short_list = False

    def vector(self):
        """The weighted words of an object, as stored in its search_vector column."""
        return weighted_vector(self.weighted_fields, self.html_fields)

    def stems(self, obj):
        """The stems of an object, as stored in its search_stems column."""
        return object_stems(obj, self.weighted_fields, self.html_fields)

    def queryset(self, user):
        raise NotImplementedError

    def title(self, obj):
        return str(obj)

    def url(self, obj):
        return obj.get_absolute_url()

    def label_for(self, obj):
        return self.label

    def texts(self, obj):
        """The texts a hit's passage is taken from, its own words first."""
        return [plain(getattr(obj, name), name in self.html_fields) for name in self.snippet_fields]


@dataclass
class Group:
    source: Source
    total: int
    results: list
    page_obj: object = None

    @property
    def key(self):
        return self.source.key

    @property
    def heading(self):
        return self.source.counted % {"count": self.total}


@dataclass
class Found:
    groups: list = field(default_factory=list)
    similar_groups: list = field(default_factory=list)  # no match: titles of a similar spelling

    @property
    def total(self):
        return sum(group.total for group in self.groups)

    @property
    def results(self):
        return [result for group in self.groups for result in group.results]


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


def search(query, user, kind="", page=None):
    """The hits for the query by type: a few of each, or, with a kind, one page of that type."""
    found = Found()
    terms = query_terms(query)
    if not terms:
        return found
    for source in SOURCES:
        full_text = connection.vendor == "postgresql" and not source.short_list
        matches = source.queryset(user).filter(_match(terms, full_text))
        rank = _rank(terms, full_text)
        if kind and source.key != kind:
            found.groups.append(Group(source, matches.count(), []))
        elif kind:
            found.groups.append(_page(source, matches, rank, page, terms))
        else:
            total, hits = _hits(matches, rank, 0, OVERVIEW_HITS)
            found.groups.append(Group(source, total, _results(source, hits, terms)))
    if not found.total and connection.vendor == "postgresql" and len(query) >= SIMILAR_MIN_LENGTH:
        found.similar_groups = _similar(query, user, kind)
    _choose_snippets(found.results + [r for g in found.similar_groups for r in g.results])
    return found


def _match(terms, full_text):
    if full_text:
        return Q(search_vector=_tsquery(terms))
    match = Q()
    for term in terms:
        match &= Q(search_stems__contains=f" {term.stem}" + ("" if term.prefix else " "))
    return match


def _tsquery(terms):
    """Each term as its stem (a prefix) or as PostgreSQL's own stem of the word: the two Snowball
    versions may differ ("Bevoelkerung"), and a word is then still found in its searched form."""
    query = None
    for term in terms:
        # Stems hold letters and digits only (search_words.WORD), nothing tsquery reads as syntax.
        stem = f"'{term.stem}'" + (":*" if term.prefix else "")
        part = SearchQuery(stem, config="simple", search_type="raw") | SearchQuery(
            term.word, config="german", search_type="plain"
        )
        query = part if query is None else query & part
    return query


def _rank(terms, full_text):
    if full_text:
        return SearchRank(F("search_vector"), _tsquery(terms))
    # The stems of the most important fields come first: the earlier the matches, the better.
    position = None
    for term in terms:
        part = StrIndex("search_stems", Value(f" {term.stem}"))
        position = part if position is None else position + part
    return position * Value(-1)


MAX_PAGE = 10_000


def _hits(matches, rank, offset, limit):
    """One query: a slice of the best matches, each carrying the number of all matches."""
    total = matches.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    hits = list(
        matches.annotate(rank=rank, total=Subquery(total, output_field=IntegerField()))
        .defer(*{"search_vector", "search_stems"} & {f.name for f in matches.model._meta.fields})
        .order_by("-rank", "pk")[offset : offset + limit]
    )
    return (hits[0].total if hits else 0), hits


def _page(source, matches, rank, number, terms):
    try:
        # Bounded, so that no page number makes an offset the database cannot hold; a page past
        # the end gives the last page below.
        number = min(max(int(number), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    total, hits = _hits(matches, rank, (number - 1) * PAGE_HITS, PAGE_HITS)
    if not hits and number > 1:
        # A page past the end, as a stale shared link may ask for: the last page instead.
        total = matches.count()
        number = max(1, -(-total // PAGE_HITS))
        total, hits = _hits(matches, rank, (number - 1) * PAGE_HITS, PAGE_HITS)
    paginator = Paginator(range(total), PAGE_HITS)
    return Group(source, total, _results(source, hits, terms), paginator.get_page(number))


def _results(source, hits, terms):
    return [
        Result(
            label=source.label_for(hit),
            title=source.title(hit),
            url=source.url(hit),
            snippet="",
            rank=hit.rank,
            passages=_passages(source.texts(hit), terms),
        )
        for hit in hits
    ]


def _passages(texts, terms):
    """The passages around matches in the hit's texts, then the beginnings of its texts: a hit
    whose passages other hits share shows its own words instead."""
    return [p for text in texts for p in passages(text, terms)] + [
        p for text in texts for p in beginning(text)
    ]


def _choose_snippets(results):
    """One passage per hit: the first around a match, unless other hits show the same words (a
    sentence many partners share); then the next one, down to the beginning of the hit's own
    text."""
    chosen = [0] * len(results)
    for _ in range(4):
        shown = Counter(r.passages[c] for r, c in zip(results, chosen, strict=True) if r.passages)
        moved = False
        for i, result in enumerate(results):
            shared = result.passages and shown[result.passages[chosen[i]]] > 1
            if shared and chosen[i] + 1 < len(result.passages):
                chosen[i] += 1
                moved = True
        if not moved:
            break
    for result, choice in zip(results, chosen, strict=True):
        result.snippet = result.passages[choice] if result.passages else ""


def _similar(query, user, kind):
    """Groups of titles of a similar spelling ("Sozialplannung"), where pg_trgm is installed."""
    groups = []
    try:
        with transaction.atomic():
            for source in SOURCES:
                if not source.similar_field or (kind and source.key != kind):
                    continue
                name = source.similar_field
                matches = source.queryset(user).filter(**{f"{name}__trigram_word_similar": query})
                rank = TrigramWordSimilarity(query, name)
                total, hits = _hits(matches, rank, 0, OVERVIEW_HITS)
                if total:
                    groups.append(Group(source, total, _results(source, hits, [])))
    except DatabaseError:
        logger.warning("Search by similar spelling needs the PostgreSQL extension pg_trgm.")
        return []
    return groups


def weighted_vector(weighted_fields, html_fields=()):
    """The weighted words of the fields, for a search_vector column."""
    vector = None
    for name, weight in weighted_fields:
        part = SearchVector(_plain(name, html_fields), weight=weight, config="german")
        vector = part if vector is None else vector + part
    return vector


def object_stems(obj, weighted_fields, html_fields=()):
    """The stems of an object's fields, most important first, for a search_stems column."""
    return stems_text(plain(getattr(obj, name), name in html_fields) for name, _ in weighted_fields)


def _plain(name, html_fields):
    """The field as plain text inside the database: tags of HTML fields replaced by spaces."""
    expression = Coalesce(F(name), Value(""), output_field=TextField())
    if name in html_fields:
        expression = Func(
            expression,
            Value("<[^>]+>"),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
    return expression


def update_search_vectors(model, queryset=None):
    """Store the searchable words of the model's objects (all of them without a queryset): the
    search_vector column on PostgreSQL, the search_stems column elsewhere."""
    queryset = model._default_manager.all() if queryset is None else queryset
    source = SOURCES_BY_MODEL[model._meta.label]
    if connections[queryset.db].vendor == "postgresql" and not source.short_list:
        queryset.update(search_vector=source.vector())
    else:
        store_stems(queryset, source.weighted_fields, source.html_fields)


def store_stems(queryset, weighted_fields, html_fields, batch=500):
    names = [name for name, _ in weighted_fields]
    changed = []
    for obj in queryset.only("pk", "search_stems", *names).iterator(chunk_size=batch):
        obj.search_stems = object_stems(obj, weighted_fields, html_fields)
        changed.append(obj)
    # bulk_update, not save(): the stems are not an edit of the object.
    queryset.model._default_manager.using(queryset.db).bulk_update(
        changed, ["search_stems"], batch_size=batch
    )


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
    saved = sender._default_manager.filter(pk=instance.pk)
    source = SOURCES_BY_MODEL[sender._meta.label]
    if connections[saved.db].vendor == "postgresql" and not source.short_list:
        update_search_vectors(sender, saved)
    else:  # one query: the saved object already holds its texts
        saved.update(search_stems=source.stems(instance))
