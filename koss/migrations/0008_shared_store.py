from django.core.management import call_command
from django.db import migrations


def create_shared_store(apps, schema_editor):
    """The table of the default cache (koss.core.cache_backend.SharedStore): rate limits, used
    TOTP codes, build locks and the content generation. `migrate` alone sets up a server."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("koss", "0007_secrets_and_login_links")]

    operations = [migrations.RunPython(create_shared_store, migrations.RunPython.noop)]
