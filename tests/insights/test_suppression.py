"""Suppression: no hidden cell can be worked out from what is published.

Checked two ways: the engine's own exact linear algebra (`determined_cells`), and an
independent brute force over small tables that tries every non-negative integer filling
of the hidden cells consistent with the published cells and totals.
"""

import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights.suppression import THRESHOLD, Table, determined_cells, exposed_equations, suppress


def _grid(values: list[list[int]]) -> Table:
    """A ward × column table with row totals, column totals and the grand total."""
    rows, cols = len(values), len(values[0])
    cells = {}
    for r in range(rows):
        for c in range(cols):
            cells[(r, c)] = values[r][c]
        cells[(r, "T")] = sum(values[r])
    for c in range(cols):
        cells[("T", c)] = sum(values[r][c] for r in range(rows))
    cells[("T", "T")] = sum(map(sum, values))
    table = Table(values=cells, sensitive=set(cells))
    for r in [*range(rows), "T"]:
        table.equations.append(((r, "T"), tuple((r, c) for c in range(cols))))
    for c in [*range(cols), "T"]:
        table.equations.append((("T", c), tuple((r, c) for r in range(rows))))
    return table


def _other_solutions(table: Table, hidden: set, reach: int = 2):
    """Every filling of the hidden cells within `reach` of their true values (never
    negative) that keeps every equation: a second one proves a cell is not determined."""
    hidden = sorted(hidden, key=str)
    ranges = [range(max(0, table.values[c] - reach), table.values[c] + reach + 1) for c in hidden]
    for filling in itertools.product(*ranges):
        values = {**table.values, **dict(zip(hidden, filling, strict=True))}
        if all(values[total] == sum(values[p] for p in parts) for total, parts in table.equations):
            yield dict(zip(hidden, filling, strict=True))


def test_a_single_small_cell_takes_a_second_one_in_its_row_and_column():
    table = _grid([[3, 20, 30], [25, 40, 50]])

    hidden = suppress(table)

    assert (0, 0) in hidden
    assert not exposed_equations(table, hidden)
    assert not determined_cells(table, hidden)
    assert 0 < len(hidden) < len(table.values)


def test_zero_is_published_and_never_used_to_hide_another():
    table = _grid([[0, 20, 30], [25, 0, 50]])

    assert suppress(table) == set()


def test_the_ward_table_protects_its_hidden_cells():
    from insights.opendata import suppression_table

    class FakeRow:
        def __init__(self, ward, counts, hours):
            self.ward, self.counts, self.verified_hours = ward, counts, hours

    class FakeWard:
        def __init__(self, code):
            self.code = code

    from insights import figures

    rows = []
    for index in range(23):
        n = 3 + index * 2  # some wards below 10
        counts = dict.fromkeys(figures.COUNTS, 0)
        counts.update(
            residents=n * 40,
            organization_members=index % 4,
            matches=n,
            cross_ward_matches=n // 2,
            completed_matches=n // 3,
            cancelled_matches=1 if n > 5 else 0,
            volunteers_with_verified_hours=n // 2,
            contest_teams=index % 11,
        )
        counts["registered_users"] = counts["residents"] + counts["organization_members"]
        counts["same_ward_matches"] = n - counts["cross_ward_matches"]
        counts["ongoing_matches"] = n - counts["completed_matches"] - counts["cancelled_matches"]
        rows.append(FakeRow(FakeWard(f"13{index:04d}"), counts, Decimal(n * 3)))
    total = FakeRow(
        None,
        {name: sum(r.counts[name] for r in rows) for name in figures.COUNTS},
        sum(r.verified_hours for r in rows),
    )
    year = type("Year", (), {"rows": rows, "total": total})()

    table = suppression_table(year)
    hidden = suppress(table)

    for cell in table.sensitive:
        if 0 < table.values[cell] < THRESHOLD:
            assert cell in hidden
    assert not exposed_equations(table, hidden)  # every total: zero or two or more hidden
    assert not determined_cells(table, hidden)  # and no combination of totals gives one
    # Hours of residents hidden are hidden with them.
    for follower, leader in table.links.items():
        assert leader not in hidden or follower in hidden


small = st.integers(min_value=0, max_value=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(small, min_size=2, max_size=2), min_size=2, max_size=3))
def test_brute_force_finds_no_hidden_cell_with_only_one_possible_value(values):
    # given: a small table of counts with its totals, suppressed
    table = _grid(values)
    hidden = suppress(table)
    if not hidden or len(hidden) > 6:
        return  # nothing hidden, or too many to enumerate here (the algebra covers it)
    # when: an attacker tries every filling consistent with what is published
    seen = {cell: set() for cell in hidden}
    for solution in _other_solutions(table, hidden):
        for cell, value in solution.items():
            seen[cell].add(value)
    # then: every hidden cell could have been more than one value
    assert all(len(options) >= 2 for options in seen.values()), (values, hidden, seen)
    assert not determined_cells(table, hidden)
    assert not exposed_equations(table, hidden)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), min_size=3, max_size=5), min_size=2, max_size=8))
def test_larger_tables_leave_every_hidden_cell_undetermined(values):
    if len({len(row) for row in values}) != 1:
        return
    table = _grid(values)
    hidden = suppress(table)
    for cell in table.sensitive:
        if 0 < table.values[cell] < THRESHOLD:
            assert cell in hidden
    assert all(table.values[cell] > 0 for cell in hidden)  # complements are never zeros
    assert not exposed_equations(table, hidden)
    assert not determined_cells(table, hidden)
