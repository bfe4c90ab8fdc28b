from django.db import migrations

from koss.core.search_migrations import full_text_index_operation, search_words_operation


class Migration(migrations.Migration):
    dependencies = [("news", "0008_search_stems"), ("koss", "0009_search_words")]

    operations = [
        full_text_index_operation("news", "Article"),
        full_text_index_operation("news", "Attachment"),
        search_words_operation(
            "news", "Article", [("title", "A"), ("teaser", "B"), ("body", "C")], html_fields=["body"]
        ),
        search_words_operation("news", "Attachment", [("title", "A"), ("text", "C")]),
    ]
