"""One number per document for its facet values (search.models.facet_key), so that the
facets of a common word are counted by one small column; on PostgreSQL, a GIN index of
the titles' own vectors, through which the title tier of a ranking is found
(search.backends.embedded.TITLE_VECTOR)."""

from django.db import migrations, models

from search.models import facet_key


def fill(apps, schema_editor):
    # The digest is a pure function of the row's own columns: the one the backend uses.
    SearchDocument = apps.get_model("search", "SearchDocument")
    columns = ("id", "kind", "ward_id", "category_id", "remote", "skills")
    batch = []
    for pk, *values in SearchDocument.objects.values_list(*columns).iterator(chunk_size=2000):
        batch.append(SearchDocument(pk=pk, facet_key=facet_key(*values)))
        if len(batch) >= 2000:
            SearchDocument.objects.bulk_update(batch, ["facet_key"])
            batch = []
    SearchDocument.objects.bulk_update(batch, ["facet_key"])


def title_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_text_title_gin ON search_searchtext "
            "USING gin (to_tsvector('simple', title_terms))"
        )


def no_title_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX search_text_title_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_load_wards"),
        ("search", "0010_synonym_related"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="facet_key",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["id", "facet_key"], name="search_doc_facet_key"),
        ),
        migrations.RunPython(title_index, no_title_index),
    ]
