import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _


def facet_key(kind, ward_id, category_id, remote, skills) -> int:
    """One number for a document's facet values, the same for every document that has
    the same ones: counting a common word's matches per facet groups by this one column
    (a few thousand groups at 135,000 documents) instead of sorting thousands of rows by
    five. A 64-bit digest: two different combinations meet once in ~10^12 indexes of
    this size."""
    text = "\x1f".join(str(value) for value in (kind, ward_id, category_id, remote, skills))
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class SearchDocument(models.Model):
    """One searchable thing, as the embedded backend stores it: what results, facets and
    sorting read. Its text lives beside it in SearchText.

    Only public fields are copied here (never contact details or private profile fields).
    The row is kept narrow on purpose: a common word matches thousands of documents, and
    counting them per facet or sorting them reads one row each; with the body and the
    analysed terms inline those rows spill over many pages.
    """

    key = models.CharField(max_length=64, unique=True)  # e.g. "task:12"
    kind = models.CharField(max_length=16, db_index=True)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8, default="ja")
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=255)
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
    # facet_key(kind, ward_id, category_id, remote, skills), set by the backend.
    facet_key = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "ward"]),
            models.Index(fields=["kind", "category_id"]),
            # Counting matches per facet_key reads this index, not the rows.
            models.Index(fields=["id", "facet_key"], name="search_doc_facet_key"),
        ]

    def __str__(self) -> str:
        return self.key


class SearchText(models.Model):
    """A document's text: the body for snippets, and what the full-text index is built
    on. Read only for the hits of the page shown, and by the full-text index itself.

    `terms` is the analysed text (search.text.document_terms) of title, body and hidden
    text; `title_terms` the title's own terms, weighted above the rest when ranking. On
    PostgreSQL a generated column `vector` holds both as one weighted tsvector with a
    GIN index (migration 0007); SQLite keeps them in the FTS5 table search_fts.
    """

    document = models.OneToOneField(
        SearchDocument, primary_key=True, on_delete=models.CASCADE, related_name="text"
    )
    body = models.TextField(blank=True)
    terms = models.TextField()
    title_terms = models.TextField(blank=True, default="")
    # Title, body and hidden text normalised (search.text.plain) for quoted phrases.
    plain = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return str(self.document_id)


class Synonym(models.Model):
    """Words residents use for the same thing (HP / ホームページ / Webサイト), kept by
    editors and moderators in the admin. A query word equal to one of them also finds
    the others (search.synonyms)."""

    terms = models.TextField(
        _("words"),
        help_text=_(
            "Words that mean the same here, separated by commas or new lines, e.g. "
            "HP, ホームページ, Webサイト, website. Width and kana do not matter."
        ),
    )
    related = models.TextField(
        _("related words"),
        blank=True,
        help_text=_(
            "Optional. Words a search for one of the words above also finds, but not the "
            "other way round, e.g. デザイン, デザイナー for a group of チラシ, ポスター "
            "(a flyer is design work; not every design is a flyer)."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonyms")
        ordering = ["id"]

    def __str__(self) -> str:
        return " / ".join(self.term_list()[:6])

    def term_list(self) -> list[str]:
        return _words(self.terms)

    def related_list(self) -> list[str]:
        return _words(self.related)


def _words(text: str) -> list[str]:
    import re

    return [t.strip() for t in re.split(r"[,、，\n]+", text or "") if t.strip()]


class SearchWord(models.Model):
    """A word of the index's own vocabulary, for 「もしかして」 suggestions: its form as
    first seen, and its reading in hiragana (the word itself for Latin words)."""

    word = models.CharField(max_length=64, unique=True)  # normalised (search.text.normalize)
    display = models.CharField(max_length=64)
    reading = models.CharField(max_length=64)
    documents = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.display


class SearchWordVariant(models.Model):
    """The reading with one character deleted (and the reading itself): two readings one
    edit apart share a variant, so candidates are found by an index lookup (SymSpell)."""

    variant = models.CharField(max_length=64, db_index=True)
    word = models.ForeignKey(SearchWord, on_delete=models.CASCADE, related_name="variants")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "word"], name="search_word_variant_unique")
        ]

    def __str__(self) -> str:
        return self.variant
