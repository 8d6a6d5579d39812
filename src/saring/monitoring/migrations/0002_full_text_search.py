from django.db import migrations

from saring.monitoring import search


def create(apps, schema_editor):
    statements = {"sqlite": search.SQLITE_FTS_SETUP,
                  "postgresql": search.POSTGRES_FTS_SETUP}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    statements = {"sqlite": search.SQLITE_FTS_TEARDOWN,
                  "postgresql": search.POSTGRES_FTS_TEARDOWN}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
