from django.db import migrations

from koss.core.search_migrations import full_text_index_operation, search_words_operation


class Migration(migrations.Migration):
    dependencies = [("advisory_board", "0017_created_and_updated_times"), ("koss", "0009_search_words")]

    operations = [
        full_text_index_operation("advisory_board", "Meeting"),
        full_text_index_operation("advisory_board", "Document"),
        search_words_operation(
            "advisory_board", "Meeting", [("public_summary", "B"), ("location", "C")]
        ),
        search_words_operation("advisory_board", "Document", [("title", "A"), ("text", "C")]),
    ]
