"""The documents' text moves to its own table, search_searchtext, so that the rows a
search counts and sorts stay narrow; on PostgreSQL the weighted tsvector becomes a stored
generated column with its GIN index, so ranking reads it instead of computing it."""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = "body, terms, title_terms, plain"
VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, terms), 'B')"
)


def copy_text(apps, schema_editor):
    schema_editor.execute(
        f"INSERT INTO search_searchtext (document_id, {COLUMNS}) "
        f"SELECT id, {COLUMNS} FROM search_searchdocument"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_weighted_gin")


def copy_text_back(apps, schema_editor):
    schema_editor.execute(
        "UPDATE search_searchdocument SET "
        + ", ".join(
            f"{c} = (SELECT t.{c} FROM search_searchtext t "
            "WHERE t.document_id = search_searchdocument.id)"
            for c in COLUMNS.split(", ")
        )
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_document_weighted_gin ON search_searchdocument "
            "USING GIN ((setweight(to_tsvector('simple', title_terms), 'A') || "
            "setweight(to_tsvector('simple', terms), 'B')))"
        )


def add_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE search_searchtext ADD COLUMN vector tsvector "
            f"GENERATED ALWAYS AS ({VECTOR}) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX search_text_vector_gin ON search_searchtext USING GIN (vector)"
        )


def drop_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchtext DROP COLUMN IF EXISTS vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_starter_synonyms_and_weighted_index")]

    operations = [
        migrations.CreateModel(
            name="SearchText",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="text",
                        serialize=False,
                        to="search.searchdocument",
                    ),
                ),
                ("body", models.TextField(blank=True)),
                ("terms", models.TextField()),
                ("title_terms", models.TextField(blank=True, default="")),
                ("plain", models.TextField(blank=True, default="")),
            ],
        ),
        migrations.RunPython(copy_text, copy_text_back),
        # A default, so that going back can add the column to rows that exist.
        migrations.AlterField(
            model_name="searchdocument", name="terms", field=models.TextField(default="")
        ),
        migrations.RemoveField(model_name="searchdocument", name="body"),
        migrations.RemoveField(model_name="searchdocument", name="terms"),
        migrations.RemoveField(model_name="searchdocument", name="title_terms"),
        migrations.RemoveField(model_name="searchdocument", name="plain"),
        migrations.RunPython(add_vector, drop_vector),
    ]
