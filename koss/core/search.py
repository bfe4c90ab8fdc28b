"""Site search across partners, topics, news and the board, grouped by type.

Words match in their German forms on every database (`search_words`: "Demografie" finds
"Demografischer Wandel"). On PostgreSQL each searchable model stores its weighted stems in a
`search_vector` column with a GIN index (German configuration), so a search reads the index instead
of the texts; elsewhere the `search_stems` column holds the same stems as text, and on SQLite an
FTS5 table of each model indexes that column (kept in step by triggers, `ensure_full_text_index`),
so that a search there reads the index too. Both columns are refreshed whenever an object is
saved, and `manage.py update_search_index` refreshes them after bulk imports. When nothing
matches, PostgreSQL looks for titles of a similar spelling (pg_trgm), and every database suggests
a known word for a mistyped one ("Meinten Sie: Sozialplanung?", `search_spelling`), so that a
typing error still leads somewhere. The search only ever reads what the searching user may
see: the same published() and visible_to() rules as every page.

Each app registers the sources of its models (`register()`, from its `search.py`); this module
imports no app. Per source, one narrow query ranks and counts the matches (keys and ranks only,
so that the database orders numbers, not rows), and a second reads the rows of the hits shown.
Ranking every match is what a search costs most; for the types whose matches are the same for every
visitor (all but the board's documents), the ranking is therefore kept per content generation, as
the totals of a directory are (`koss.core.cache`): a repeated search, or the next page, reads it
instead of ranking again, and no edit is ever followed by a ranking from before it.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.core.paginator import Paginator
from django.db import DatabaseError, connection, connections, migrations, transaction
from django.db.models import Count, F, Func, IntegerField, Q, Subquery, TextField, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, StrIndex

from . import search_spelling
from .cache import kept_value
from .models import SearchWord
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
    # Whether queryset() ignores the user: the ranking of its matches is then kept per content
    # generation for every visitor. Never for a source whose matches depend on rights.
    same_for_everyone = False

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
    suggestion: str = ""  # no match: the query with known words for mistyped ones

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
    from django.db.models.signals import post_migrate, post_save

    SOURCES.append(source)
    SOURCES_BY_MODEL[source.model._meta.label] = source
    post_save.connect(
        update_saved_object, sender=source.model, dispatch_uid=f"search:{source.model._meta.label}"
    )
    post_migrate.connect(ensure_full_text_indexes, dispatch_uid="search:full-text-indexes")
    return source


def search(query, user, kind="", page=None):
    """The hits for the query by type: a few of each, or, with a kind, one page of that type."""
    found = Found()
    terms = query_terms(query)
    if not terms:
        return found
    for source in SOURCES:
        full_text = connection.vendor == "postgresql" and not source.short_list
        visible = source.queryset(user)
        matches = visible.filter(_match(terms, full_text, source))
        rank = _rank(terms, full_text)
        kept = _kept_for(source, user, "match", terms)
        if kind and source.key != kind:
            found.groups.append(Group(source, _count(matches, kept), []))
        elif kind:
            found.groups.append(_page(source, visible, matches, rank, page, terms, kept))
        else:
            kept = _more(kept, 0, OVERVIEW_HITS)
            total, hits = _hits(visible, matches, rank, 0, OVERVIEW_HITS, kept)
            found.groups.append(Group(source, total, _results(source, hits, terms)))
    if not found.total and connection.vendor == "postgresql" and len(query) >= SIMILAR_MIN_LENGTH:
        found.similar_groups = _similar(query, user, kind)
    if not found.total:
        found.suggestion = suggestion(query, user)
    _choose_snippets(found.results + [r for g in found.similar_groups for r in g.results])
    return found


def _match(terms, full_text, source):
    if full_text:
        return Q(search_vector=_tsquery(terms))
    if uses_full_text_index(source):
        # The FTS5 index of the same stems: a stem, or with "*" every stem beginning with it.
        expression = " AND ".join(f'"{term.stem}"' + ("*" if term.prefix else "") for term in terms)
        table = full_text_table(source.model._meta.db_table)
        # The table's name comes from the model; the searched stems are a parameter.
        return Q(pk__in=RawSQL(FULL_TEXT_MATCH.format(fts=table), [expression]))  # noqa: S611  # nosec B611
    match = Q()
    for term in terms:
        match &= Q(search_stems__contains=f" {term.stem}" + ("" if term.prefix else " "))
    return match


def uses_full_text_index(source):
    """Whether the source's stems are read through their FTS5 index (SQLite, no short list)."""
    return connection.vendor == "sqlite" and not source.short_list


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


def _hits(visible, matches, rank, offset, limit, kept=None):
    """A slice of the best matches and the number of all matches.

    With `kept` (what the ranking depends on, where it may be kept) and parts of pages kept, the
    ranking is kept per content generation, like the totals of a directory (`koss.core.cache`):
    one narrow query ranks every match and counts them in the same pass (`_ranked`), on keys and
    ranks alone, which is what is kept, and the slice's rows are read by their keys from what the
    visitor may see (`visible`: the matching is not done twice). Otherwise one query ranks,
    counts and reads the slice."""
    search_fields = {"search_vector", "search_stems"} & {f.name for f in visible.model._meta.fields}
    if kept is None or settings.KOSS_FRAGMENT_CACHE_SECONDS <= 0:
        # The total as a subquery of its own: a window count would carry every matching row
        # whole through the sort.
        total = matches.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        hits = list(
            matches.annotate(rank=rank, total=Subquery(total, output_field=IntegerField()))
            .defer(*search_fields)
            .order_by("-rank", "pk")[offset : offset + limit]
        )
        return (hits[0].total if hits else 0), hits
    total, ranked = _kept(kept, lambda: _ranked(matches, rank, offset, limit))
    if not ranked:
        return total, []
    rows = visible.filter(pk__in=[pk for pk, _ in ranked]).order_by().defer(*search_fields)
    by_pk = {row.pk: row for row in rows}
    hits = []
    for pk, score in ranked:
        if pk in by_pk:
            by_pk[pk].rank = score
            hits.append(by_pk[pk])
    return total, hits


def _ranked(matches, rank, offset, limit):
    """(number of all matches, [(key, rank)] of the slice), best first, in one query: the window
    count is taken in the same pass as the ranks, over keys and ranks only."""
    rows = list(
        matches.annotate(rank=rank, total=Window(Count("pk")))
        .order_by("-rank", "pk")
        .values_list("pk", "rank", "total")[offset : offset + limit]
    )
    return (rows[0][2] if rows else 0), [(pk, score) for pk, score, _ in rows]


def _kept_for(source, user, *query):
    """What a source's matches and their order depend on, where they may be kept: for every
    visitor, or for a source whose matches depend on who searches (documents), for visitors who
    are not logged in, who all see the same; None for a logged-in person's search of such a
    source."""
    if source.same_for_everyone:
        audience = "everyone"
    elif not user.is_authenticated:
        audience = "anonymous"
    else:
        return None
    return (source.model._meta.label, connection.vendor, audience, *query)


def _more(kept, *parts):
    return None if kept is None else (*kept, *parts)


def _count(matches, kept=None):
    return _kept(kept, matches.count)


def _kept(vary, compute):
    """compute(), kept per content generation under `vary`; computed each time for a source
    whose matches depend on who searches (`vary` None)."""
    if vary is None:
        return compute()
    return kept_value(["search", *vary], compute)


def _page(source, visible, matches, rank, number, terms, kept=None):
    try:
        # Bounded, so that no page number makes an offset the database cannot hold; a page past
        # the end gives the last page below.
        number = min(max(int(number), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * PAGE_HITS
    total, hits = _hits(visible, matches, rank, offset, PAGE_HITS, _more(kept, offset, PAGE_HITS))
    if not hits and number > 1:
        # A page past the end, as a stale shared link may ask for: the last page instead.
        total = _count(matches, kept)
        number = max(1, -(-total // PAGE_HITS))
        offset = (number - 1) * PAGE_HITS
        total, hits = _hits(
            visible, matches, rank, offset, PAGE_HITS, _more(kept, offset, PAGE_HITS)
        )
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


def suggestion(query, user):
    """The query with a known word for each word the index does not know, if the user finds
    anything with it ("Sozialplannung": "Sozialplanung"); else "". One query reads the candidate
    words, then at most one per type until one finds a hit: the suggestion never names a word
    only texts the user may not read contain."""
    searched = [
        w for w in dict.fromkeys(search_spelling.words(query)) if search_spelling.indexable(w)
    ]
    if not searched:
        return ""
    wanted = Q()
    for word in searched:
        head, shortest, longest = search_spelling.candidate_filter(word)
        wanted |= Q(head=head, length__range=(shortest, longest))
    candidates = list(SearchWord.objects.filter(wanted).values_list("word", flat=True))
    known = set(candidates)
    replacements = {}
    for word in searched:
        if word in known:
            continue
        head = search_spelling.candidate_filter(word)[0]
        best = search_spelling.closest(word, [c for c in candidates if c[:2] == head])
        if best:
            replacements[word] = best
    if not replacements:
        return ""
    corrected = search_spelling.corrected(query, replacements)
    terms = query_terms(corrected)
    for source in SOURCES:
        full_text = connection.vendor == "postgresql" and not source.short_list
        if source.queryset(user).filter(_match(terms, full_text, source)).exists():
            return corrected
    return ""


def _similar(query, user, kind):
    """Groups of titles of a similar spelling ("Sozialplannung"), where pg_trgm is installed."""
    groups = []
    try:
        with transaction.atomic():
            for source in SOURCES:
                if not source.similar_field or (kind and source.key != kind):
                    continue
                name = source.similar_field
                visible = source.queryset(user)
                matches = visible.filter(**{f"{name}__trigram_word_similar": query})
                rank = TrigramWordSimilarity(query, name)
                kept = _more(_kept_for(source, user, "similar", name, query), 0, OVERVIEW_HITS)
                total, hits = _hits(visible, matches, rank, 0, OVERVIEW_HITS, kept)
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
    add_words([instance], source.weighted_fields, source.html_fields, using=saved.db)


def add_words(objects, weighted_fields, html_fields=(), using="default", model=None):
    """Add the objects' words to the words of the spelling suggestions."""
    found = search_spelling.known_words(
        plain(getattr(obj, name), name in html_fields)
        for obj in objects
        for name, _ in weighted_fields
    )
    model = model or SearchWord
    model._default_manager.using(using).bulk_create(
        [model(word=word, head=word[:2], length=len(word)) for word in sorted(found)],
        ignore_conflicts=True,
        batch_size=500,
    )


def rebuild_words(using="default"):
    """The words of the spelling suggestions anew, from every searchable object."""
    SearchWord.objects.using(using).all().delete()
    for source in SOURCES:
        queryset = source.model._default_manager.using(using).all()
        add_words_of(queryset, source.weighted_fields, source.html_fields)


def add_words_of(queryset, weighted_fields, html_fields=(), model=None, batch=500):
    """Add the words of all objects of the queryset, a batch at a time."""
    names = [name for name, _ in weighted_fields]
    objects = []
    for obj in queryset.only("pk", *names).iterator(chunk_size=batch):
        objects.append(obj)
        if len(objects) == batch:
            add_words(objects, weighted_fields, html_fields, queryset.db, model)
            objects = []
    add_words(objects, weighted_fields, html_fields, queryset.db, model)


# The FTS5 index of a table's stems and its triggers, by name; an external-content table, so the
# stems are stored once, in the model's own table.
FULL_TEXT_SCHEMA = {
    "{fts}": """CREATE VIRTUAL TABLE "{fts}" USING fts5(search_stems, content="{table}",
        content_rowid=id, tokenize='unicode61 remove_diacritics 0')""",
    "{fts}_insert": """CREATE TRIGGER "{fts}_insert" AFTER INSERT ON "{table}" BEGIN
        INSERT INTO "{fts}"(rowid, search_stems) VALUES (new.id, new.search_stems); END""",
    "{fts}_delete": """CREATE TRIGGER "{fts}_delete" AFTER DELETE ON "{table}" BEGIN
        INSERT INTO "{fts}"("{fts}", rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems); END""",
    "{fts}_update": """CREATE TRIGGER "{fts}_update" AFTER UPDATE OF search_stems ON "{table}"
        BEGIN INSERT INTO "{fts}"("{fts}", rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems);
        INSERT INTO "{fts}"(rowid, search_stems) VALUES (new.id, new.search_stems); END""",
}
FULL_TEXT_REBUILD = """INSERT INTO "{fts}"("{fts}") VALUES ('rebuild')"""
FULL_TEXT_MATCH = """SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s"""


def full_text_table(db_table):
    return f"{db_table}_fts"


def ensure_full_text_index(schema_connection, db_table, create=False):
    """On SQLite: the FTS5 index of the table's search_stems column and the triggers that keep it
    in step with every insert, update and delete. The migration creates them (`create`); after
    every `migrate` a missing trigger is made again and the index rebuilt (a migration that
    rebuilds the table drops its triggers). Elsewhere nothing."""
    if schema_connection.vendor != "sqlite":
        return
    fts = full_text_table(db_table)
    # Table names come from the models' Meta, never from a request.
    statements = {
        name.format(fts=fts): sql.format(fts=fts, table=db_table)
        for name, sql in FULL_TEXT_SCHEMA.items()
    }
    with schema_connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s, %s)",
            [db_table, *statements],
        )
        present = {name for (name,) in cursor.fetchall()}
        # Only the migration creates the index; `migrate` afterwards restores missing triggers.
        if db_table not in present or (fts not in present and not create):
            return
        if present >= {db_table, *statements}:
            return
        for name, statement in statements.items():
            if name not in present:
                cursor.execute(statement)  # nosec B608
        cursor.execute(FULL_TEXT_REBUILD.format(fts=fts))  # nosec B608


def ensure_full_text_indexes(using="default", **kwargs):
    """post_migrate receiver: the triggers of every source's FTS5 index on SQLite, see
    ensure_full_text_index."""
    for source in SOURCES:
        if not source.short_list:
            ensure_full_text_index(connections[using], source.model._meta.db_table)
