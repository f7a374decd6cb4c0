from django.db import models


class SearchDocument(models.Model):
    """One searchable thing, as the embedded backend stores it.

    Only public fields are copied here (never contact details or private profile fields);
    `terms` is the analysed text (search.text.document_terms) that the full-text index
    (SQLite FTS5 or a PostgreSQL GIN index) is built on.
    """

    key = models.CharField(max_length=64, unique=True)  # e.g. "task:12"
    kind = models.CharField(max_length=16, db_index=True)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8, default="ja")
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=255)
    terms = models.TextField()
    ward = models.ForeignKey(
        "core.Ward", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An id from the "category" facet vocabulary (search.facets); search keeps no
    # foreign key into the app that owns it.
    category_id = models.PositiveIntegerField(null=True, blank=True)
    skills = models.CharField(max_length=255, blank=True)  # " 1 4 7 " for LIKE '% 4 %'
    remote = models.BooleanField(null=True)
    published_at = models.DateTimeField(null=True, db_index=True)
    deadline = models.DateField(null=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "ward"]),
            models.Index(fields=["kind", "category_id"]),
        ]

    def __str__(self) -> str:
        return self.key
