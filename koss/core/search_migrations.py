"""Migration steps of the German search: the first fill of the search_stems columns, the FTS5
indexes of those columns on SQLite, the first fill of the words of the spelling suggestions, and
the trigram indexes of the search by similar spelling. The GIN index of the search vectors is
`koss.core.search.search_index_operation`."""

import logging

from django.db import DatabaseError, migrations, transaction

from .search import (
    FULL_TEXT_SCHEMA,
    add_words_of,
    ensure_full_text_index,
    full_text_table,
    store_stems,
)

logger = logging.getLogger(__name__)


def search_stems_operation(
    app_label, model_name, weighted_fields, html_fields=(), short_list=False
):
    """A migration step: the first fill of the model's search_stems column (on PostgreSQL only for
    a short list, elsewhere its search_vector column serves). The fields are given as they were
    when the migration was written."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql" and not short_list:
            return
        model = apps.get_model(app_label, model_name)
        queryset = model._default_manager.using(schema_editor.connection.alias).all()
        store_stems(queryset, weighted_fields, html_fields)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)


def similar_spelling_operation(app_label, model_name, field_name):
    """A migration step: a trigram index on a title, for the search by similar spelling.

    PostgreSQL only. Without the right to create the extension pg_trgm (a trusted extension since
    PostgreSQL 13, which a database owner may create), the step only warns: the search then goes
    without similar spellings.
    """

    def index_name(schema_editor, model):
        return schema_editor.quote_name(f"{model._meta.db_table}_{field_name}_trgm")

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(app_label, model_name)
        column = schema_editor.quote_name(model._meta.get_field(field_name).column)
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                schema_editor.execute(
                    f"CREATE INDEX {index_name(schema_editor, model)} ON "
                    f"{schema_editor.quote_name(model._meta.db_table)} "
                    f"USING gin ({column} gin_trgm_ops)"
                )
        except DatabaseError as error:
            logger.warning("No search by similar spelling (pg_trgm): %s", error)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(app_label, model_name)
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(schema_editor, model)}")

    return migrations.RunPython(forwards, backwards, elidable=False)


def full_text_index_operation(app_label, model_name):
    """A migration step: on SQLite, the FTS5 index of the model's search_stems column, its triggers
    and its first fill (`koss.core.search.ensure_full_text_index`). Elsewhere nothing."""

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        ensure_full_text_index(schema_editor.connection, model._meta.db_table, create=True)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        fts = full_text_table(apps.get_model(app_label, model_name)._meta.db_table)
        for name in reversed(FULL_TEXT_SCHEMA):
            kind = "TABLE" if name == "{fts}" else "TRIGGER"
            schema_editor.execute(f'DROP {kind} IF EXISTS "{name.format(fts=fts)}"')

    return migrations.RunPython(forwards, backwards, elidable=False)


def search_words_operation(app_label, model_name, weighted_fields, html_fields=()):
    """A migration step: the words of the model's objects for the spelling suggestions. The fields
    are given as they were when the migration was written."""

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        queryset = model._default_manager.using(schema_editor.connection.alias).all()
        add_words_of(queryset, weighted_fields, html_fields, apps.get_model("koss", "SearchWord"))

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)
