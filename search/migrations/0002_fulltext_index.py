from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        # FTS5 over the pre-analysed terms: rowid = SearchDocument.id, unicode61 splits on
        # the spaces search.text puts between terms and keeps CJK bigrams whole.
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(terms, tokenize='unicode61 remove_diacritics 0')"
        )
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_document_terms_gin ON search_searchdocument "
            "USING GIN (to_tsvector('simple', terms))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_terms_gin")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
