"""The ICU collation for German alphabetical order (DIN 5007, variant 1) on PostgreSQL.

SQLite gets a collation of the same name on every connection (koss.core.collation).
"""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class CreateCollationOnPostgreSQL(CreateCollation):
    """CreateCollation skips other databases going forwards, but not going backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("koss", "0005_task_result_in_german")]

    operations = [CreateCollationOnPostgreSQL("german", provider="icu", locale="de")]
