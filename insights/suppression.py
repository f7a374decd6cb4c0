"""Small-cell suppression (秘匿処理) for published tables: primary and secondary.

A table is a set of cells (any hashable key → a number) and the additive relations the
published table shows ("equations": a total cell and the cells that add up to it, such
as a column's 23 wards and their total, or a row's matches = cross-ward + same-ward).

1. Primary: a cell that counts people (`sensitive`) with 1 to 9 is hidden. Zero is
   shown: it is about nobody.
2. Linked: a cell that follows another (the hours of the volunteers counted in a hidden
   cell) is hidden with it.
3. Secondary: an equation with exactly one hidden cell would give it away (total minus
   the others), so one more of its cells is hidden: the smallest non-zero published part
   (least information lost), the total only when no part can be. Repeated until no
   equation has exactly one.
4. Check: with several equations meeting, a hidden cell can still be worked out from
   them together. `determined_cells` finds every hidden cell whose value follows from
   the published cells and the equations (exact linear algebra over the rationals); while
   there is one, another cell of its equations is hidden.

Complements are never zero cells, so every hidden value is at least 1; then a hidden cell
that the equations leave free can move in both directions without going negative: its
value cannot be known, not even by using that counts are never negative.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

THRESHOLD = 10


@dataclass
class Table:
    values: dict[Hashable, object]  # cell → number (int or Decimal)
    sensitive: set[Hashable] = field(default_factory=set)  # counts of people
    equations: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)
    links: dict[Hashable, Hashable] = field(default_factory=dict)  # follower → leader


def primary(table: Table, threshold: int = THRESHOLD) -> set:
    return {cell for cell in table.sensitive if 0 < table.values[cell] < threshold}


def suppress(table: Table, threshold: int = THRESHOLD) -> set:
    """The cells to hide: primary, linked and secondary, so that none can be worked out."""
    hidden = primary(table, threshold)
    order = {cell: index for index, cell in enumerate(table.values)}

    def complement(cells: Iterable) -> Hashable | None:
        candidates = [c for c in cells if c not in hidden and table.values[c] != 0]
        if not candidates:
            return None
        return min(candidates, key=lambda c: (table.values[c], order[c]))

    while True:
        changed = False
        for follower, leader in table.links.items():
            if leader in hidden and follower not in hidden:
                hidden.add(follower)
                changed = True
        for total, parts in table.equations:
            cells = (total, *parts)
            if sum(cell in hidden for cell in cells) == 1:
                pick = complement(parts) or complement((total,))
                if pick is not None:
                    hidden.add(pick)
                    changed = True
        if changed:
            continue
        determined = determined_cells(table, hidden)
        if not determined:
            return hidden
        # Open up the first one found: hide the smallest published cell, of an equation
        # that holds a hidden cell, that leaves it free (or, failing one, the smallest:
        # the next round looks again).
        cell = min(determined, key=lambda c: order[c])
        candidates = sorted(
            {
                c
                for total, parts in table.equations
                if any(x in hidden for x in (total, *parts))
                for c in (total, *parts)
                if c not in hidden and table.values[c] != 0
            },
            key=lambda c: (table.values[c], order[c]),
        )
        if not candidates:  # pragma: no cover - a determined cell has a non-zero neighbour
            raise RuntimeError(f"cannot protect {cell!r}")
        pick = next(
            (c for c in candidates if cell not in determined_cells(table, hidden | {c})),
            candidates[0],
        )
        hidden.add(pick)


def determined_cells(table: Table, hidden: set) -> set:
    """The hidden cells whose value follows from the published ones and the equations.

    Each equation is a linear relation over the hidden cells (the published ones move to
    the right-hand side). A hidden cell is determined exactly when its unit vector lies in
    the row space of these relations: in the reduced row echelon form, it is a pivot whose
    row has nothing in a free column. Sparse rows of Fractions: the relations are ±1 and
    touch few cells each.
    """
    rows: list[dict] = []
    for total, parts in table.equations:
        row: dict = {}
        for cell, coefficient in ((total, 1), *((part, -1) for part in parts)):
            if cell in hidden:
                row[cell] = row.get(cell, 0) + coefficient
        row = {cell: Fraction(value) for cell, value in row.items() if value}
        if row:
            rows.append(row)

    order = {cell: index for index, cell in enumerate(table.values)}
    pivots: dict[Hashable, dict] = {}  # pivot cell → its (normalised) row
    for row in rows:
        # Reduce by the pivots found so far.
        for cell in [c for c in row if c in pivots]:
            factor = row[cell]
            for other, value in pivots[cell].items():
                row[other] = row.get(other, 0) - factor * value
                if row[other] == 0:
                    del row[other]
        # (A pivot's row holds no other pivot, so one pass leaves none in this row.)
        if not row:
            continue
        pivot = min(row, key=lambda c: order[c])
        scale = row[pivot]
        row = {cell: value / scale for cell, value in row.items()}
        # Keep the form reduced: remove the new pivot from the earlier rows.
        for other_row in pivots.values():
            if pivot in other_row:
                factor = other_row[pivot]
                for name, value in row.items():
                    other_row[name] = other_row.get(name, 0) - factor * value
                    if other_row[name] == 0:
                        del other_row[name]
        pivots[pivot] = row
    return {cell for cell, row in pivots.items() if len(row) == 1}


def exposed_equations(table: Table, hidden: set) -> list:
    """Equations with exactly one hidden cell (which it would give away)."""
    return [
        (total, parts)
        for total, parts in table.equations
        if sum(cell in hidden for cell in (total, *parts)) == 1
    ]
