from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        # Title terms in their own column so bm25() can weigh a match in the title above
        # one in the body (search.backends.embedded ranks with weights 4:1).
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, terms, "
            "tokenize='unicode61 remove_diacritics 0')"
        )
        # Refill from the stored documents (their terms include the title's).
        schema_editor.execute(
            "INSERT INTO search_fts(rowid, title, terms) SELECT id, '', terms FROM search_searchdocument"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(terms, tokenize='unicode61 remove_diacritics 0')"
        )
        schema_editor.execute("INSERT INTO search_fts(rowid, terms) SELECT id, terms FROM search_searchdocument")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_index")]
    operations = [migrations.RunPython(create, drop)]
