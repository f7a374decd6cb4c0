"""The embedded backend: documents in the database, full text in SQLite FTS5 or a
PostgreSQL GIN index over the terms search.text produces. No service to run."""

from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q

from .. import results_cache
from ..highlight import highlight
from ..models import SearchDocument, SearchText
from ..text import ParsedQuery, document_terms, normalize, parse_query, plain
from .base import FACETS, Hit, SearchBackend, SearchQuery, SearchResults, add_suggestion

EXCERPT = 120


def _fts5_alternatives(word) -> str:
    def term(t):
        prefix = t.endswith("*")
        return '"' + t.rstrip("*").replace('"', "") + '"' + ("*" if prefix else "")

    options = ["(" + " AND ".join(term(t) for t in terms) + ")" for terms in word.alternatives]
    return "(" + " OR ".join(options) + ")"


def _fts5_query(parsed: ParsedQuery) -> str:
    query = " AND ".join(_fts5_alternatives(word) for word in parsed.words)
    for word in parsed.excluded:
        query = f"({query}) NOT {_fts5_alternatives(word)}"
    return query


def _ts_alternatives(word) -> str:
    def term(t):
        prefix = t.endswith("*")
        text = t.rstrip("*").replace("'", "").replace("\\", "")
        return f"'{text}'" + (":*" if prefix else "")

    options = ["(" + " & ".join(term(t) for t in terms) + ")" for terms in word.alternatives]
    return "(" + " | ".join(options) + ")"


def _tsquery(parsed: ParsedQuery) -> str:
    query = " & ".join(_ts_alternatives(word) for word in parsed.words)
    for word in parsed.excluded:
        query += f" & !{_ts_alternatives(word)}"
    return query


# search_searchtext.vector (a generated column, migration 0007) weighs the title's terms
# A and the rest B; ts_rank's weights are {D, C, B, A}: a match in the title counts four
# times one in the body, as bm25(4, 1) on SQLite.
TS_WEIGHTS = "'{0.0, 0.0, 0.25, 1.0}'"
# ts_rank's length normalisation (2: divided by the document's length), as bm25's on
# SQLite: without it a long page that says a word many times outranks the short task
# that is about it (synonym precision@5 0.88 → 0.92 on the benchmark).
TS_NORMALIZATION = 2


@contextmanager
def _full_text_plan(text: str):
    """On PostgreSQL, a search with words goes through the GIN index. The planner
    estimates an OR of synonyms as if the words were independent (写真 | 撮影 | photo:
    40% of the rows, 12% in truth) and prefers reading every row and matching its vector
    (500 ms at 135,000 documents) to the index (25 ms)."""
    if connection.vendor != "postgresql" or not (text or "").strip():
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan')")
            (before,) = cursor.fetchone()
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        # Inside a caller's transaction SET LOCAL would outlast this block (a released
        # savepoint keeps it); after an error the rollback undoes it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class EmbeddedBackend(SearchBackend):
    def index(self, documents) -> None:
        with transaction.atomic():
            for document in documents:
                self._store(document)
            results_cache.changed()

    @staticmethod
    def _fields(document) -> dict:
        return {
            "kind": document.kind,
            "object_id": document.object_id,
            "language": document.language,
            "title": document.title[:255],
            "url": document.url,
            "ward_id": document.ward_id,
            "category_id": document.category_id,
            "skills": " " + " ".join(str(s) for s in document.skill_ids) + " ",
            "remote": document.remote,
            "published_at": document.published_at,
            "deadline": document.deadline,
        }

    @staticmethod
    def _text(document) -> dict:
        return {
            "body": document.body,
            "terms": document_terms(document.title, document.body, document.extra),
            "title_terms": document_terms(document.title),
            "plain": plain(document.title, document.body, document.extra),
        }

    def _store(self, document) -> None:
        text = self._text(document)
        stored, _created = SearchDocument.objects.update_or_create(
            key=document.key, defaults=self._fields(document)
        )
        SearchText.objects.update_or_create(document=stored, defaults=text)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [stored.pk])
                cursor.execute(
                    "INSERT INTO search_fts(rowid, title, terms) VALUES (%s, %s, %s)",
                    [stored.pk, text["title_terms"], text["terms"]],
                )

    def remove(self, keys) -> None:
        keys = list(keys)
        with transaction.atomic():
            if connection.vendor == "sqlite":
                ids = list(SearchDocument.objects.filter(key__in=keys).values_list("pk", flat=True))
                with connection.cursor() as cursor:
                    for pk in ids:
                        cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [pk])
            SearchDocument.objects.filter(key__in=keys).delete()
            results_cache.changed()

    def rebuild(self, documents) -> int:
        """Empty and refill in one transaction: searches see the old index until commit."""
        count = 0
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Plain DELETEs: the ORM's cascade would collect 150,000 rows first.
                cursor.execute("DELETE FROM search_searchtext")
                cursor.execute("DELETE FROM search_searchdocument")
                if connection.vendor == "sqlite":
                    cursor.execute("DELETE FROM search_fts")
            batch = []
            for document in documents:
                batch.append(document)
                if len(batch) >= 1000:
                    count += self._bulk_store(batch)
                    batch = []
            count += self._bulk_store(batch)
            results_cache.changed()
        return count

    def _bulk_store(self, documents) -> int:
        rows = SearchDocument.objects.bulk_create(
            [SearchDocument(**self._fields(d), key=d.key) for d in documents]
        )
        texts = SearchText.objects.bulk_create(
            [
                SearchText(document=row, **self._text(d))
                for row, d in zip(rows, documents, strict=True)
            ]
        )
        if connection.vendor == "sqlite" and rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO search_fts(rowid, title, terms) VALUES (%s, %s, %s)",
                    [(text.document_id, text.title_terms, text.terms) for text in texts],
                )
        return len(rows)

    # --- Querying --------------------------------------------------------------------

    def _matching(self, parsed: ParsedQuery | None):
        """A queryset of documents matching the query, and a rank expression or None.
        None is "no words" (a search by filters alone): every document."""
        from django.db.models.expressions import RawSQL

        queryset = SearchDocument.objects.all()
        if parsed is None:
            return queryset, None
        if not parsed.searchable:
            return queryset.none(), None
        for phrase in parsed.phrases:
            # Per matching row, by primary key: the full-text match narrows first.
            queryset = queryset.filter(
                Exists(SearchText.objects.filter(document=OuterRef("pk"), plain__contains=phrase))
            )
        if connection.vendor == "sqlite":
            # Join the FTS table (not a per-row subquery): FTS5 evaluates the MATCH once
            # and bm25() ranks in the same pass.
            queryset = queryset.extra(
                tables=["search_fts"],
                where=["search_fts.rowid = search_searchdocument.id", "search_fts MATCH %s"],
                params=[_fts5_query(parsed)],
            )
            # A match in the title counts four times one in the rest.
            return queryset, RawSQL("bm25(search_fts, 4.0, 1.0)", [])
        tsquery = _tsquery(parsed)
        queryset = queryset.extra(
            tables=["search_searchtext"],
            where=[
                "search_searchtext.document_id = search_searchdocument.id",
                "search_searchtext.vector @@ to_tsquery('simple', %s)",
            ],
            params=[tsquery],
        )
        # ts_rank is larger for better matches; negate so ascending order is best first.
        # The SQL is this module's constants; what the person typed is a parameter.
        rank = RawSQL(  # noqa: S611
            f"-ts_rank({TS_WEIGHTS}, search_searchtext.vector, to_tsquery('simple', %s), "
            f"{TS_NORMALIZATION})",
            [tsquery],
        )
        return queryset, rank

    @staticmethod
    def _parsed(text: str) -> ParsedQuery | None:
        return parse_query(text) if (text or "").strip() else None

    def _filtered(self, query: SearchQuery):
        parsed = self._parsed(query.text)
        matched, rank = self._matching(parsed)
        filters = {
            "kind": Q(kind__in=query.kinds) if query.kinds else Q(),
            "ward": Q(ward_id=query.ward) if query.ward else Q(),
            "category": Q(category_id=query.category) if query.category else Q(),
            "skill": Q(skills__contains=f" {query.skill} ") if query.skill else Q(),
            "remote": Q(remote=True) if query.remote else Q(),
        }
        return parsed, matched, rank, filters, matched.filter(*filters.values())

    def count(self, query: SearchQuery) -> int:
        with _full_text_plan(query.text):
            return self._filtered(query)[-1].count()

    def search(self, query: SearchQuery) -> SearchResults:
        def compute():
            with _full_text_plan(query.text):
                return self._search(query)

        return results_cache.cached(query, compute)

    def _search(self, query: SearchQuery) -> SearchResults:
        parsed, matched, rank, filters, filtered = self._filtered(query)
        if parsed is not None and not parsed.searchable:
            return SearchResults(hits=[], total=0, facets={}, query=query, unsearchable=True)

        facets = self._facets(matched, filters)
        # Every document has one kind, and the kind facet counts with every other filter
        # applied: its counts of the chosen kinds add up to the total, without another
        # pass over the matches.
        total = sum(
            n for kind, n in facets["kind"].items() if not query.kinds or kind in query.kinds
        )
        if query.sort == "newest" or (query.sort == "relevance" and rank is None):
            ordered = filtered.order_by("-published_at", "-id")
        elif query.sort == "deadline":
            ordered = filtered.filter(deadline__isnull=False).order_by("deadline", "-id")
        else:
            ordered = filtered.annotate(rank=rank).order_by("rank", "-published_at", "-id")
        offset = (max(query.page, 1) - 1) * query.per_page
        # Rank and sort ids only, then load the page's rows: sorting thousands of matches
        # with their bodies and terms attached is most of the time of a common word.
        window = slice(offset, offset + query.per_page)
        if "rank" in ordered.query.annotations:
            ranks = dict(ordered.values_list("id", "rank")[window])
        else:
            ranks = dict.fromkeys(ordered.values_list("id", flat=True)[window], 0)
        ids = list(ranks)
        rows = (
            SearchDocument.objects.select_related("text")
            .defer("text__terms", "text__title_terms", "text__plain")
            .in_bulk(ids)
        )
        page = [rows[pk] for pk in ids if pk in rows]
        hits = [
            Hit(
                kind=d.kind,
                object_id=d.object_id,
                title=d.title,
                url=d.url,
                title_html=highlight(d.title, query.text),
                snippet=highlight(d.text.body, query.text, excerpt=EXCERPT),
                ward_id=d.ward_id,
                deadline=d.deadline,
                score=-(ranks[d.pk] or 0),
            )
            for d in page
        ]
        return add_suggestion(
            self, SearchResults(hits=hits, total=total, facets=facets, query=query)
        )

    def matching_ids(self, text: str, kind: str):
        """A subquery for pk__in filters: the database joins it, nothing is loaded.
        Raw SQL with its own aliases: inside another query Django renames the tables of
        a queryset subquery (U0, U1), which the full-text conditions could not follow."""
        from django.db.models.expressions import RawSQL

        parsed = self._parsed(text)
        if parsed is None:
            return SearchDocument.objects.filter(kind=kind).values("object_id")
        if not parsed.searchable:
            return SearchDocument.objects.none().values("object_id")
        if connection.vendor == "sqlite":
            sql = (
                "SELECT d.object_id FROM search_searchdocument d "
                "JOIN search_fts ON search_fts.rowid = d.id "
                "WHERE search_fts MATCH %s AND d.kind = %s"
            )
            params = [_fts5_query(parsed), kind]
        else:
            sql = (
                "SELECT d.object_id FROM search_searchdocument d "
                "JOIN search_searchtext t ON t.document_id = d.id "
                "WHERE t.vector @@ to_tsquery('simple', %s) AND d.kind = %s"
            )
            params = [_tsquery(parsed), kind]
        for phrase in parsed.phrases:
            sql += (
                " AND EXISTS (SELECT 1 FROM search_searchtext p WHERE p.document_id = d.id"
                " AND p.plain LIKE %s ESCAPE '\\')"
            )
            params.append("%" + _like_escaped(phrase) + "%")
        # The SQL is this module's constants; what the person typed is a parameter.
        return RawSQL(sql, params)  # noqa: S611

    def _facets(self, matched, filters) -> dict:
        """Facet counts: each facet counts the results with every *other* filter applied,
        so choosing a ward still shows how many results the other wards have.

        Facets whose other filters are the same share one GROUP BY over every facet
        column; with no filter chosen that is a single query for all of them.
        """
        columns = {"kind": "kind", "ward": "ward_id", "category": "category_id", "remote": "remote"}
        facets: dict[str, dict] = {name: {} for name in FACETS}
        bases: dict[tuple, list[str]] = {}
        for facet in FACETS:
            others = tuple(name for name, q in filters.items() if name != facet and q)
            bases.setdefault(others, []).append(facet)
        for others, names in bases.items():
            rows = (
                matched.filter(*[filters[name] for name in others])
                .values(*columns.values(), "skills")
                .annotate(n=Count("id"))
                .order_by()
            )
            for row in rows:
                for name in names:
                    if name == "skill":
                        for skill in row["skills"].split():
                            facets["skill"][int(skill)] = (
                                facets["skill"].get(int(skill), 0) + row["n"]
                            )
                    elif row[columns[name]] is not None:
                        value = row[columns[name]]
                        facets[name][value] = facets[name].get(value, 0) + row["n"]
        return facets

    def suggest(self, prefix: str, limit: int = 8, kinds=()) -> list[str]:
        prefix = normalize(prefix).strip()
        if not prefix:
            return []
        results = self.search(SearchQuery(text=prefix, kinds=list(kinds), per_page=limit * 2))
        titles = []
        for hit in results.hits:
            if hit.title not in titles:
                titles.append(hit.title)
        return titles[:limit]
