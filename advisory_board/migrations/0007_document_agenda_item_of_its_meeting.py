"""On PostgreSQL, the database itself keeps a document's agenda item within its meeting.

Django has no composite foreign keys, so the constraint is written in SQL: a unique key on an
agenda item's (id, meeting) and a foreign key from a document's (agenda item, meeting) to it.
A document without an agenda item is not checked (MATCH SIMPLE). The check waits for the end of
the transaction, so that Django may delete a meeting's rows in any order. SQLite cannot add such a
constraint to an existing table; there Document.clean() and the admin form keep the rule.
"""

from django.db import migrations

FORWARD = [
    # Documents that already point at another meeting's agenda item lose that link.
    """
    UPDATE advisory_board_document AS document SET agenda_item_id = NULL
    FROM advisory_board_agendaitem AS item
    WHERE document.agenda_item_id = item.id AND document.meeting_id <> item.meeting_id
    """,
    """
    ALTER TABLE advisory_board_agendaitem
    ADD CONSTRAINT agendaitem_id_meeting_key UNIQUE (id, meeting_id)
    """,
    """
    ALTER TABLE advisory_board_document
    ADD CONSTRAINT document_agenda_item_of_its_meeting
    FOREIGN KEY (agenda_item_id, meeting_id)
    REFERENCES advisory_board_agendaitem (id, meeting_id)
    DEFERRABLE INITIALLY DEFERRED
    """,
]
BACKWARD = [
    "ALTER TABLE advisory_board_document DROP CONSTRAINT document_agenda_item_of_its_meeting",
    "ALTER TABLE advisory_board_agendaitem DROP CONSTRAINT agendaitem_id_meeting_key",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("advisory_board", "0006_upload_names_by_type")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
