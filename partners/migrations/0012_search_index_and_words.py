from django.db import migrations

from koss.core.search_migrations import full_text_index_operation, search_words_operation


class Migration(migrations.Migration):
    dependencies = [("partners", "0011_planning_communities_work_in_their_region"), ("koss", "0009_search_words")]

    operations = [
        full_text_index_operation("partners", "Partner"),
        search_words_operation(
            "partners",
            "Partner",
            [("name", "A"), ("short_name", "A"), ("summary", "B"), ("cooperation", "C"), ("city", "C")],
        ),
        search_words_operation("partners", "Topic", [("name", "A")]),
    ]
