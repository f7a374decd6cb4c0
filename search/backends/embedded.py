"""The embedded backend: documents in the database, full text in SQLite FTS5 or a
PostgreSQL GIN index over the terms search.text produces. No service to run."""

from contextlib import contextmanager
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q

from .. import results_cache
from ..highlight import highlight
from ..models import SearchDocument, SearchText, facet_key
from ..text import ParsedQuery, document_terms, normalize, parse_query, plain
from .base import FACETS, Hit, SearchBackend, SearchQuery, SearchResults, add_suggestion

EXCERPT = 120


def _fts5_alternatives(word) -> str:
    def term(t):
        prefix = t.endswith("*")
        return '"' + t.rstrip("*").replace('"', "") + '"' + ("*" if prefix else "")

    options = ["(" + " AND ".join(term(t) for t in terms) + ")" for terms in word.alternatives]
    return "(" + " OR ".join(options) + ")"


def _fts5_query(parsed: ParsedQuery, tier: str | None = None) -> str:
    """The MATCH expression; `tier` "title" keeps the documents with every word in the
    title, "body" the others (see EmbeddedBackend._ranked_window)."""
    query = " AND ".join(_fts5_alternatives(word) for word in parsed.words)
    if tier == "title":
        query = "{title} : (" + query + ")"
    elif tier == "body":
        query = f"({query}) NOT ({{title}} : ({query}))"
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


def _ts_words(parsed: ParsedQuery) -> str:
    return " & ".join(_ts_alternatives(word) for word in parsed.words)


def _tsquery(parsed: ParsedQuery) -> str:
    query = _ts_words(parsed)
    for word in parsed.excluded:
        query += f" & !{_ts_alternatives(word)}"
    return query


# The title's own vector, as the expression GIN index of migration 0011 has it: the
# title tier is found through that index, without reading each match's whole vector
# (a weighted query, 'word':A, would have to).
TITLE_VECTOR = "to_tsvector('simple', search_searchtext.title_terms)"


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
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')"
            )
            before = cursor.fetchone()
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        yield
        # Inside a caller's transaction SET LOCAL would outlast this block (a released
        # savepoint keeps it); after an error the rollback undoes it.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_seqscan', %s, true), "
                "set_config('enable_indexscan', %s, true)",
                before,
            )


class Combination(NamedTuple):
    kind: str
    ward_id: int | None
    category_id: int | None
    remote: bool | None
    skills: tuple[int, ...]

    def facet_values(self) -> tuple[tuple[str, tuple], ...]:
        """(facet, the values it counts this combination under), in FACETS order."""
        single = {"kind": self.kind, "ward": self.ward_id, "category": self.category_id}
        single["remote"] = self.remote
        return tuple(
            (
                name,
                self.skills
                if name == "skill"
                else (() if single[name] is None else (single[name],)),
            )
            for name in FACETS
        )


# facet_key → its combination and facet values. A key is a digest of the values, so what
# is known of a key never goes out of date; a few thousand at 135,000 documents.
_COMBINATIONS: dict[int, tuple[Combination, tuple]] = {}


def _combinations(examples: dict[int, int]) -> dict[int, tuple[Combination, tuple]]:
    """The combination of facet values of each key in `examples` ({facet_key: id of a
    document that has it}), read from the example documents for keys not seen before."""
    columns = ("facet_key", "kind", "ward_id", "category_id", "remote", "skills")

    def learn(rows):
        for key, kind, ward_id, category_id, remote, skills in rows:
            skill_ids = tuple(int(skill) for skill in skills.split())
            combination = Combination(kind, ward_id, category_id, remote, skill_ids)
            _COMBINATIONS[key] = (combination, combination.facet_values())

    missing = [one for key, one in examples.items() if key not in _COMBINATIONS]
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        learn(SearchDocument.objects.filter(pk__in=chunk).values_list(*columns))
    # An example document changed since it was counted: another that has the key.
    for key in [key for key in examples if key not in _COMBINATIONS]:
        learn(SearchDocument.objects.filter(facet_key=key).values_list(*columns)[:1])
    return {key: _COMBINATIONS[key] for key in examples if key in _COMBINATIONS}


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
        skills = " " + " ".join(str(s) for s in document.skill_ids) + " "
        return {
            "kind": document.kind,
            "object_id": document.object_id,
            "language": document.language,
            "title": document.title[:255],
            "url": document.url,
            "ward_id": document.ward_id,
            "category_id": document.category_id,
            "skills": skills,
            "remote": document.remote,
            "published_at": document.published_at,
            "deadline": document.deadline,
            "facet_key": facet_key(
                document.kind, document.ward_id, document.category_id, document.remote, skills
            ),
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
            if connection.vendor == "sqlite":
                # Emptying and refilling leaves the full-text index in many segments,
                # the old ones marked deleted: one search read 37,000 pages for 17,000
                # (p95 75 → 51 ms). Merged into one, 2 s at 135,000 documents.
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
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

    def _matching(self, parsed: ParsedQuery | None, tier: str | None = None):
        """A queryset of documents matching the query, and a rank expression or None.
        None is "no words" (a search by filters alone): every document. `tier`: see
        _ranked_window."""
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
                params=[_fts5_query(parsed, tier)],
            )
            # A match in the title counts four times one in the rest.
            return queryset, RawSQL("bm25(search_fts, 4.0, 1.0)", [])
        tsquery = _tsquery(parsed)
        where = [
            "search_searchtext.document_id = search_searchdocument.id",
            "search_searchtext.vector @@ to_tsquery('simple', %s)",
        ]
        params = [tsquery]
        if tier:
            in_title = f"{TITLE_VECTOR} @@ to_tsquery('simple', %s)"
            where.append(in_title if tier == "title" else f"NOT ({in_title})")
            params.append(_ts_words(parsed))
        # The conditions are this module's constants; what the person typed is a parameter.
        queryset = queryset.extra(tables=["search_searchtext"], where=where, params=params)  # noqa: S610
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

    @staticmethod
    def _filters(query: SearchQuery) -> dict:
        return {
            "kind": Q(kind__in=query.kinds) if query.kinds else Q(),
            "ward": Q(ward_id=query.ward) if query.ward else Q(),
            "category": Q(category_id=query.category) if query.category else Q(),
            "skill": Q(skills__contains=f" {query.skill} ") if query.skill else Q(),
            "remote": Q(remote=True) if query.remote else Q(),
        }

    def count(self, query: SearchQuery) -> int:
        with _full_text_plan(query.text):
            matched, _rank = self._matching(self._parsed(query.text))
            return matched.filter(*self._filters(query).values()).count()

    def search(self, query: SearchQuery) -> SearchResults:
        def compute():
            with _full_text_plan(query.text):
                return self._search(query)

        return results_cache.cached(query, compute)

    def _search(self, query: SearchQuery) -> SearchResults:
        parsed = self._parsed(query.text)
        if parsed is not None and not parsed.searchable:
            return SearchResults(hits=[], total=0, facets={}, query=query, unsearchable=True)
        matched, rank = self._matching(parsed)
        facets, total = self._facets(matched, query)
        ranks = self._ranked_window(parsed, matched, rank, query, total)
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

    def _ranked_window(self, parsed, matched, rank, query: SearchQuery, total: int) -> dict:
        """{id: rank} of the page asked for, in order. Rank and sort ids only, then the
        caller loads the page's rows: sorting thousands of matches with their bodies
        attached is most of the time of a common word.

        By relevance, documents with every word in the title come first, each tier
        ranked by bm25 (ts_rank) with the title weighted: a common word's title matches
        fill the first pages, and ranking them alone spares scoring the thousands that
        only mention it (デザイン: 13,000 of 33,000 matches; 47 → 28 ms). The tiers part
        the matches, so counts and pages are those of one ranking."""
        filters = self._filters(query).values()
        offset = (max(query.page, 1) - 1) * query.per_page
        if query.sort == "newest" or (query.sort == "relevance" and rank is None):
            ordered = matched.filter(*filters).order_by("-published_at", "-id")
            return dict.fromkeys(ordered.values_list("id", flat=True)[offset:][: query.per_page], 0)
        if query.sort == "deadline":
            ordered = matched.filter(*filters, deadline__isnull=False).order_by("deadline", "-id")
            return dict.fromkeys(ordered.values_list("id", flat=True)[offset:][: query.per_page], 0)
        # Ties (the same text twice) in the order documents entered the index: the newer
        # first, as a new task gets the next id. On SQLite a search without filters or
        # phrases is ranked in the full-text table alone, which orders by its rowid (the
        # document's id) without reading a row of the documents (30 → 21 ms for a word
        # with 13,000 title matches).
        in_fts_alone = (
            connection.vendor == "sqlite"
            and not parsed.phrases
            and not any(q for q in filters if q)
        )
        ranks: dict = {}
        skipped = 0  # title matches before the window
        for tier in ("title", "body"):
            in_tier, rank = self._matching(parsed, tier)
            ranked = in_tier.filter(*filters)
            if tier == "body":
                offset = max(0, offset - skipped)
            limit = query.per_page - len(ranks)
            if in_fts_alone:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT rowid, bm25(search_fts, 4.0, 1.0) FROM search_fts "
                        "WHERE search_fts MATCH %s ORDER BY 2, rowid DESC LIMIT %s OFFSET %s",
                        [_fts5_query(parsed, tier), limit, offset],
                    )
                    found = dict(cursor.fetchall())
            else:
                window = ranked.annotate(rank=rank).order_by("rank", "-id")
                found = dict(window.values_list("id", "rank")[offset : offset + limit])
            ranks.update(found)
            # The page is full, or the title matches were every result there is.
            if len(ranks) >= query.per_page or offset + len(found) >= total:
                break
            # The window ran past the title matches: how many were before it.
            skipped = offset + len(found) if found or not offset else ranked.count()
        return ranks

    def _facets(self, matched, query: SearchQuery) -> tuple[dict, int]:
        """Facet counts and the total, from one count of the matches per facet_key.

        Each facet counts the results with every *other* filter applied, so choosing a
        ward still shows how many results the other wards have; the filters are applied
        here to the combinations (a few thousand), not to the matches in the database.
        """
        grouped = (
            matched.order_by()
            .values("facet_key")
            .annotate(n=Count("id"), one=Max("id"))
            .values_list("facet_key", "n", "one")
        )
        # Integers only: read as the database gives them, without the ORM's per-row work.
        sql, params = grouped.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            groups = cursor.fetchall()
        combinations = _combinations({key: one for key, _n, one in groups})
        tests = {
            "kind": (lambda c: c.kind in query.kinds) if query.kinds else None,
            "ward": (lambda c: c.ward_id == int(query.ward)) if query.ward else None,
            "category": (lambda c: c.category_id == int(query.category))
            if query.category
            else None,
            "skill": (lambda c: int(query.skill) in c.skills) if query.skill else None,
            "remote": (lambda c: c.remote is True) if query.remote else None,
        }
        chosen = [(name, test) for name, test in tests.items() if test]
        facets: dict[str, dict] = {name: {} for name in FACETS}
        total = 0
        for key, n, _one in groups:
            known = combinations.get(key)
            if known is None:  # every document with it went while counting
                continue
            combination, facet_values = known
            failing = [name for name, test in chosen if not test(combination)]
            if not failing:
                total += n
            elif len(failing) > 1:
                continue
            for name, values in facet_values:
                if failing and name != failing[0]:
                    continue
                counts = facets[name]
                for value in values:
                    counts[value] = counts.get(value, 0) + n
        return facets, total

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
