"""Small-number suppression: hidden figures cannot be worked out from what is shown."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from cluster.disclosure.suppression import (
    HIDDEN_COUNT,
    HIDDEN_FIGURE,
    HIDDEN_NOTE,
    SuppressedTable,
    count_text,
    figure_text,
    hide_small,
    hide_where,
    is_small,
    percent_text,
    pounds_text,
    suppress_linked,
    suppress_parts,
    suppress_running,
    suppress_table,
)


def test_one_to_four_is_small_zero_and_five_are_not() -> None:
    assert [is_small(n) for n in range(7)] == [False, True, True, True, True, False, False]
    assert [hide_small(n) for n in (0, 3, 5)] == [0, None, 5]


def test_a_lone_small_cell_in_a_row_takes_a_second_cell_with_it() -> None:
    parts, total = suppress_parts({"C&I": 12, "C&L": 3, "SEMH": 20, "S/P": 9})
    assert parts == {"C&I": 12, "C&L": None, "SEMH": 20, "S/P": None}  # 9 is the smallest other
    assert total == 44


def test_zero_is_shown_and_a_small_total_is_hidden() -> None:
    parts, total = suppress_parts({"a": 0, "b": 0, "c": 3})
    assert parts == {"a": 0, "b": 0, "c": None}
    assert total is None


def test_a_table_with_totals_hides_enough_that_no_hidden_cell_can_be_recovered() -> None:
    grid = [[6, 3, 7], [8, 12, 9], [7, 1, 8]]
    table = suppress_table(grid)
    # 3 and 1 are small; each row then needs a second hidden cell (the smallest: 6 and 7), and
    # the four hidden cells form a rectangle that the totals cannot resolve.
    assert table.cells == ((None, None, 7), (8, 12, 9), (None, None, 8))
    assert table.row_totals == (16, 29, 16) and table.column_totals == (21, 16, 24)
    assert table.grand_total == 61
    assert not recoverable(table, grid)


def test_running_totals_never_isolate_a_small_period() -> None:
    here, running = suppress_running([7, 3, 0, 6, 2], [700, 300, 0, 600, 200])
    # The second period is about 3 awards: no running total is shown until 5 or more awards
    # have been added since the last one (3 + 0 + 6), and every period in that stretch is hidden,
    # so 1,600 − 700 reveals only the three periods together. The last 2 awards stay hidden.
    assert running == [700, None, None, 1600, None]
    assert here == [700, None, None, None, None]


def test_a_money_column_follows_its_count_column() -> None:
    assert hide_where([100, 200, 300], [4, None, 9]) == [100, None, 300]


def test_linked_tables_hide_the_same_totals() -> None:
    statuses, areas = suppress_linked([[[10, 3], [20, 30], [6, 0]],
                                       [[5, 5, 3], [20, 20, 10], [2, 2, 2]]])
    assert statuses.row_totals == areas.row_totals
    assert statuses.grand_total == areas.grand_total


def recoverable(table: SuppressedTable, truth: list[list[int]]) -> bool:
    """Brute force over small ranges: a hidden cell is recoverable when every table that matches
    everything shown gives it the same value."""
    hidden = [(r, c) for r, row in enumerate(table.cells) for c, v in enumerate(row) if v is None]
    if not hidden or len(hidden) > 6:
        return False
    width = len(truth[0])
    candidates = []
    for values in product(range(0, 17), repeat=len(hidden)):
        grid = [list(row) for row in table.cells]
        for (r, c), v in zip(hidden, values, strict=True):
            grid[r][c] = v
        if all(t is None or sum(row) == t for row, t in zip(grid, table.row_totals, strict=True)) \
                and all(t is None or sum(grid[r][c] for r in range(len(grid))) == t
                        for c, t in zip(range(width), table.column_totals, strict=True)):
            candidates.append(values)
    return any(len({v[i] for v in candidates}) == 1 for i in range(len(hidden)))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(0, 15), min_size=3, max_size=3), min_size=2, max_size=4))
def test_no_hidden_cell_is_ever_pinned_down_by_the_totals(grid: list[list[int]]) -> None:
    table = suppress_table(grid)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if is_small(value):
                assert table.cells[r][c] is None
            shown = table.cells[r][c]
            assert shown is None or shown == value
    hidden = [(r, c) for r, row in enumerate(table.cells) for c, v in enumerate(row) if v is None]
    if 0 < len(hidden) <= 3:
        assert not recoverable(table, grid)


# --- labels ---------------------------------------------------------------------------------------


def test_only_a_hidden_count_reads_fewer_than_5_and_money_or_a_percentage_reads_hidden() -> None:
    assert (HIDDEN_COUNT, HIDDEN_FIGURE) == ("fewer than 5", "hidden")
    assert count_text(None) == "fewer than 5" and count_text(1234) == "1,234"
    # Money, a percentage, or outcomes about 1-4 pupils may be any size: "fewer than 5" would
    # be false of £2,544 or 60%.
    assert pounds_text(None) == "hidden" and pounds_text(254_400) == "£2,544"
    assert percent_text(None) == "hidden" and percent_text(64.7) == "65%"
    assert percent_text(64.71, 1) == "64.7%"
    assert figure_text(None) == "hidden" and figure_text(12) == "12"
    assert "'fewer than 5'" in HIDDEN_NOTE and "'hidden'" in HIDDEN_NOTE


# --- a group split into parts ---------------------------------------------------------------------


def test_a_group_under_5_shows_no_split_even_when_a_part_is_zero() -> None:
    # Columns are groups of pupils (3 and 6), rows their parts: met, not met.
    grid = [[0, 6], [3, 0]]
    plain = suppress_table(grid)
    assert plain.cells[0][0] == 0  # "0 met" beside a hidden 3 tells that none of them met
    split = suppress_table(grid, hide_parts_of_small_columns=True)
    assert split.cells[0][0] is None and split.cells[1][0] is None
    assert split.column_totals[0] is None
    # The group of 6 is not small: its parts (6 and 0) may show.
    linked = suppress_linked([grid], row_sizes=[6, 3], grand_size=9, column_sizes=[[3, 6]],
                             hide_parts_of_small_columns=True)[0]
    assert linked.cells[0][0] is None and linked.cells[1][0] is None


@settings(max_examples=150)
@given(st.lists(st.lists(st.integers(0, 9), min_size=2, max_size=2), min_size=2, max_size=4))
def test_no_small_column_ever_shows_a_part(columns: list[list[int]]) -> None:
    grid = [[column[0] for column in columns], [column[1] for column in columns]]
    table = suppress_table(grid, hide_parts_of_small_columns=True)
    for c, column in enumerate(columns):
        if is_small(sum(column)):
            assert table.cells[0][c] is None and table.cells[1][c] is None, columns


def test_a_partner_is_never_a_zero_that_an_empty_column_pins() -> None:
    """Issue 18's 8 - 7 = 1: a 0 hidden beside a small figure, in a column whose shown total is 0,
    still reads 0 — so the small figure is its row less the rest. The partner is taken elsewhere
    and the empty column stays shown."""
    table = suppress_table([[2, 0], [6, 0], [5, 0]])
    assert [row[1] for row in table.cells] == [0, 0, 0]
    assert table.column_totals[1] == 0
    assert table.cells[0][0] is None
