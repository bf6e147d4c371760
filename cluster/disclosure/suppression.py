"""Small-number suppression for anything a governor, an LA adviser or the public sees.

A count of 1 to 4 pupils is hidden (primary suppression). Hiding it is not enough when totals are
shown: a hidden cell that is the only unknown in a row, a column or the totals would be worked out
by subtraction. So further cells are hidden (secondary suppression) until no hidden cell can be
recovered from the published figures by any combination of the row, column and grand totals — the
check solves the linear system exactly, it does not just count hidden cells per line.

Zero is shown: "none" identifies nobody — except as a part of a group of 1 to 4 pupils ("met: 0"
beside a hidden group says that none of them met), so a table that splits small groups into parts
hides every part of such a group (`hide_parts_of_small_columns`). Money and percentages about a
group follow the group's count: use `hide_with` so a pound figure or a rate is hidden whenever its
count is.

Pure functions only; the services call them and return `None` for a hidden figure. What a reader
sees in its place is decided here too, so every view and document says the same: a hidden count
of pupils (or awards) reads "fewer than 5" (`HIDDEN_COUNT`); money, a percentage, or any other
figure worked out from a hidden count reads "hidden" (`HIDDEN_FIGURE`), since it is not itself a
number below 5.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from math import gcd
from typing import TypeVar

from cluster.common.money import format_pounds

SMALL_NUMBER = 5
HIDDEN_COUNT = f"fewer than {SMALL_NUMBER}"  # only on a count of pupils or awards
HIDDEN_FIGURE = "hidden"  # money, percentages and other figures derived from a hidden count
# Why a figure is not published, in words that are true whichever way it came to be hidden (about
# 1 to 4 pupils, or hidden so that such a figure cannot be worked out from the others).
NOT_PUBLISHED = (f"no figure about fewer than {SMALL_NUMBER} pupils is published, nor one that "
                 "would let such a figure be worked out")


def hidden_note(about: str = "pupils") -> str:
    """The note beside a table with hidden figures: what is hidden and how it reads."""
    return (f"Figures about fewer than {SMALL_NUMBER} {about} are not shown, nor any that would "
            f"let one be worked out: a hidden count reads '{HIDDEN_COUNT}'; hidden money, "
            f"percentages and outcomes read '{HIDDEN_FIGURE}'.")


HIDDEN_NOTE = hidden_note()

T = TypeVar("T")


def count_text(value: int | None) -> str:
    """A count of pupils or awards as a reader sees it."""
    return HIDDEN_COUNT if value is None else f"{value:,}"


def pounds_text(pence: int | None) -> str:
    """Money about a group: hidden with the group's count."""
    return HIDDEN_FIGURE if pence is None else format_pounds(pence)


def percent_text(value: float | None, digits: int = 0) -> str:
    return HIDDEN_FIGURE if value is None else f"{value:.{digits}f}%"


def figure_text(value: int | None) -> str:
    """Any other figure hidden with a count of pupils (outcomes judged or met, say): it can be 5
    or more even when its pupils are fewer, so it never reads "fewer than 5"."""
    return HIDDEN_FIGURE if value is None else f"{value:,}"


def is_small(count: int, threshold: int = SMALL_NUMBER) -> bool:
    """1 to threshold-1 is small; zero is not (it identifies nobody)."""
    return 0 < count < threshold


def hide_small(count: int, threshold: int = SMALL_NUMBER) -> int | None:
    """One figure on its own, with no total beside it."""
    return None if is_small(count, threshold) else count


def hide_with(value: T, count: int | None) -> T | None:
    """A money figure or a percentage about a group is hidden when the group's count is."""
    return None if count is None else value


def share_or_hidden(part: int | None, whole: int | None) -> float | None:
    """A percentage that is shown only when both its part and its whole are shown."""
    if part is None or whole is None or whole == 0:
        return None
    return 100 * part / whole


@dataclass(frozen=True)
class SuppressedTable:
    """The published table: None marks a hidden figure."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    grand_total: int | None

    @property
    def hidden(self) -> int:
        figures = [v for row in self.cells for v in row] + list(self.row_totals)
        figures += list(self.column_totals) + [self.grand_total]
        return sum(1 for v in figures if v is None)


def suppress_table(rows: Sequence[Sequence[int]], *, threshold: int = SMALL_NUMBER,
                   show_row_totals: bool = True, show_column_totals: bool = True,
                   hidden_row_totals: Collection[int] = (), hide_grand_total: bool = False,
                   row_sizes: Sequence[int] | None = None,
                   column_sizes: Sequence[int] | None = None,
                   grand_size: int | None = None,
                   hide_parts_of_small_columns: bool = False) -> SuppressedTable:
    """Suppress a table of counts published with its row, column and grand totals.

    When a kind of total is not published, pass False so it is not treated as a constraint
    (its figures come back as None). `hidden_row_totals` and `hide_grand_total` force figures
    hidden because another published table hides the same figure (see `suppress_linked`).

    `row_sizes`, `column_sizes` and `grand_size` give the number of pupils behind a total when it
    is not the sum of its cells (a pupil counted in two cells of a row is one pupil in its total);
    they decide which totals are small. The figures published beside them may be anything else
    with the same shape (money, outcomes): see `apply_pattern`.

    `hide_parts_of_small_columns`: each column is a group split into parts (pupils whose outcomes
    were met / not met). A group of 1 to 4 shows none of its parts, zero included: "0 met"
    beside a hidden group tells that none of that group met."""
    grid = [list(row) for row in rows]
    width = len(grid[0]) if grid else 0
    if any(len(row) != width for row in grid):
        raise ValueError("Every row of the table must have the same number of cells")
    if any(v < 0 for row in grid for v in row):
        raise ValueError("Counts cannot be negative")
    layout = _Layout(grid, show_row_totals, show_column_totals)
    layout.override_totals(row_sizes, column_sizes, grand_size)
    hidden = {i for i, value in enumerate(layout.values) if is_small(value, threshold)}
    if hide_parts_of_small_columns:
        hidden |= {layout.cell(r, c) for c, at in enumerate(layout.column_total_at)
                   if is_small(layout.values[at], threshold) for r in range(layout.height)}
    hidden |= {layout.row_total_at[r] for r in hidden_row_totals if r < len(layout.row_total_at)}
    if hide_grand_total and layout.grand_at is not None:
        hidden.add(layout.grand_at)
    hidden = _secondary(layout, hidden)
    shown = [None if i in hidden else v for i, v in enumerate(layout.values)]
    return layout.published(shown)


def suppress_parts(parts: Mapping[str, int], *, threshold: int = SMALL_NUMBER,
                   show_total: bool = True) -> tuple[dict[str, int | None], int | None]:
    """One row of counts (e.g. pupils by area of need) published with its total."""
    names = list(parts)
    table = suppress_table([[parts[name] for name in names]], threshold=threshold,
                           show_row_totals=show_total, show_column_totals=False)
    return dict(zip(names, table.cells[0], strict=True)) if names else {}, table.row_totals[0]


# --- the arithmetic -------------------------------------------------------------------------------


class _Layout:
    """Cells, then row totals, then column totals, then the grand total, as one flat vector,
    with the additive relations that a reader could use to recover a hidden figure."""

    def __init__(self, grid: list[list[int]], row_totals: bool, column_totals: bool) -> None:
        self.height = len(grid)
        self.width = len(grid[0]) if grid else 0
        self.row_totals = row_totals
        self.column_totals = column_totals
        self.values: list[int] = [v for row in grid for v in row]
        self.row_total_at: list[int] = []
        self.column_total_at: list[int] = []
        self.grand_at: int | None = None
        if row_totals:
            for row in grid:
                self.row_total_at.append(len(self.values))
                self.values.append(sum(row))
        if column_totals:
            for c in range(self.width):
                self.column_total_at.append(len(self.values))
                self.values.append(sum(grid[r][c] for r in range(self.height)))
        # A grand total is published whenever there is more than one total to add up.
        if (row_totals and column_totals) or (row_totals and self.height > 1) or (
                column_totals and self.width > 1):
            self.grand_at = len(self.values)
            self.values.append(sum(self.values[: self.height * self.width]))
        self.relations = self._relations()

    def cell(self, r: int, c: int) -> int:
        return r * self.width + c

    def override_totals(self, row_sizes: Sequence[int] | None, column_sizes: Sequence[int] | None,
                        grand_size: int | None) -> None:
        """Totals whose group is not the sum of their cells (distinct pupils)."""
        if row_sizes is not None and self.row_total_at:
            if len(row_sizes) != self.height:
                raise ValueError("One size is needed for each row total")
            for at, size in zip(self.row_total_at, row_sizes, strict=True):
                self.values[at] = size
        if column_sizes is not None and self.column_total_at:
            if len(column_sizes) != self.width:
                raise ValueError("One size is needed for each column total")
            for at, size in zip(self.column_total_at, column_sizes, strict=True):
                self.values[at] = size
        if grand_size is not None and self.grand_at is not None:
            self.values[self.grand_at] = grand_size

    def _relations(self) -> list[list[int]]:
        """Each relation lists the members that add up to its last member (the total)."""
        relations: list[list[int]] = []
        if self.row_totals:
            for r in range(self.height):
                relations.append([self.cell(r, c) for c in range(self.width)]
                                 + [self.row_total_at[r]])
        if self.column_totals:
            for c in range(self.width):
                relations.append([self.cell(r, c) for r in range(self.height)]
                                 + [self.column_total_at[c]])
        if self.grand_at is not None:
            if self.row_totals:
                relations.append(self.row_total_at + [self.grand_at])
            if self.column_totals:
                relations.append(self.column_total_at + [self.grand_at])
        return relations

    def published(self, shown: list[int | None]) -> SuppressedTable:
        cells = tuple(tuple(shown[self.cell(r, c)] for c in range(self.width))
                      for r in range(self.height))
        rows = tuple(shown[i] for i in self.row_total_at) or (None,) * self.height
        columns = tuple(shown[i] for i in self.column_total_at) or (None,) * self.width
        grand = shown[self.grand_at] if self.grand_at is not None else None
        return SuppressedTable(cells, rows, columns, grand)


def _secondary(layout: _Layout, hidden: set[int]) -> set[int]:
    """Hide more figures until no hidden figure can be worked out from the shown ones.

    First the classic rule (a line with a single hidden figure gets a second one, the smallest
    beside it); then the exact check, for figures pinned down by several lines together."""
    hidden = set(hidden)
    while True:
        lone = _lone_hidden(layout, hidden)
        if lone is not None:
            hidden.add(_partner_for(layout, hidden, lone[1], only=lone[0]))
            continue
        exposed = _recoverable(layout, hidden)
        if not exposed:
            return hidden
        hidden.add(_partner_for(layout, hidden, min(exposed)))


def _lone_hidden(layout: _Layout, hidden: set[int]) -> tuple[list[int], int] | None:
    for relation in layout.relations:
        inside = [member for member in relation if member in hidden]
        if len(inside) == 1:
            return relation, inside[0]
    return None


def _partner_for(layout: _Layout, hidden: set[int], target: int,
                 only: list[int] | None = None) -> int:
    """The least informative extra figure to hide: the smallest shown member of a relation that
    holds the exposed figure (never one a shown 0 total pins to 0 when another will do, then
    cells before totals, non-zero before zero)."""
    candidates: list[tuple[bool, bool, bool, int, int]] = []
    totals = set(layout.row_total_at) | set(layout.column_total_at) | {layout.grand_at}
    zero = _pinned_to_zero(layout, hidden)
    for relation in [only] if only is not None else layout.relations:
        if target not in relation:
            continue
        for member in relation:
            if member in hidden or member == target:
                continue
            value = layout.values[member]
            candidates.append((member in zero, member in totals, value == 0, value, member))
    if not candidates:
        # Every figure beside it is hidden already, yet it is still pinned down: hide any shown one.
        candidates = [(member in zero, member in totals, layout.values[member] == 0,
                       layout.values[member], member)
                      for member in range(len(layout.values)) if member not in hidden]
    return min(candidates)[4]


def _pinned_to_zero(layout: _Layout, hidden: set[int]) -> set[int]:
    """Members of a group whose shown total is 0: hidden, they would still read 0 (a part of an
    empty group is empty, even where the total counts distinct pupils). Hiding one protects
    nothing — the 8 - 7 = 1 case of issue 18."""
    pinned: set[int] = set()
    for relation in layout.relations:
        total = relation[-1]
        if total not in hidden and layout.values[total] == 0:
            pinned.update(relation[:-1])
    return pinned


def _recoverable(layout: _Layout, hidden: set[int]) -> list[int]:
    """Hidden figures that the published relations pin down exactly.

    Restricted to the hidden figures, each relation is a linear equation whose right-hand side the
    reader knows. A hidden figure x_i is determined exactly when the unit vector e_i lies in the
    row space of those equations; in reduced row echelon form that means some row equals e_i.
    """
    order = sorted(hidden)
    if not order:
        return []
    column_of = {figure: k for k, figure in enumerate(order)}
    matrix: list[list[int]] = []
    for relation in layout.relations:
        *members, total = relation
        row = [0] * len(order)
        touched = False
        for member in members:
            if member in column_of:
                row[column_of[member]] += 1
                touched = True
        if total in column_of:
            row[column_of[total]] -= 1
            touched = True
        if touched:
            matrix.append(row)
    reduced = _row_reduce(matrix, len(order))
    exposed = []
    for row in reduced:
        nonzero = [k for k, v in enumerate(row) if v != 0]
        if len(nonzero) == 1:
            exposed.append(order[nonzero[0]])
    return exposed


def _row_reduce(matrix: list[list[int]], width: int) -> list[list[int]]:
    """Reduced row echelon form up to a non-zero factor per row, in whole numbers.

    Scaling a row by a non-zero number keeps the row space, so each elimination step multiplies
    instead of dividing and then divides the row by its common factor: exact, like fractions, and
    many times faster on tables of a few hundred figures."""
    rows = [list(row) for row in matrix]
    pivot_row = 0
    for column in range(width):
        pivot = next((r for r in range(pivot_row, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        lead_row = rows[pivot_row]
        lead = lead_row[column]
        for r in range(len(rows)):
            factor = rows[r][column]
            if r != pivot_row and factor != 0:
                rows[r] = _smallest_multiple([lead * a - factor * b
                                              for a, b in zip(rows[r], lead_row, strict=True)])
        pivot_row += 1
        if pivot_row == len(rows):
            break
    return rows[:pivot_row]


def _smallest_multiple(row: list[int]) -> list[int]:
    common = gcd(*row)
    return row if common in (0, 1) else [value // common for value in row]


def suppress_running(counts: Sequence[int], amounts: Sequence[int], *,
                     threshold: int = SMALL_NUMBER) -> tuple[list[int | None], list[int | None]]:
    """A series shown period by period and as a running total (money awarded at each meeting and
    awarded so far). Returns (each period's figure, the running total), None where hidden.

    A period's figure is about its `counts` items (awards, pupils). The running total is shown only
    where the items added since the last shown running total are none or at least `threshold`;
    within such a stretch, if any period is about 1-4 items, every period figure in the stretch is
    hidden, so subtracting one shown running total from the next never isolates a hidden period.
    """
    if len(counts) != len(amounts):
        raise ValueError("Each period needs both its count and its amount")
    here: list[int | None] = list(amounts)
    running: list[int | None] = []
    total, pending, stretch = 0, 0, []
    for index, (count, amount) in enumerate(zip(counts, amounts, strict=True)):
        total += amount
        pending += count
        stretch.append(index)
        if pending == 0 or pending >= threshold:
            running.append(total)
            if any(is_small(counts[i], threshold) for i in stretch):
                for i in stretch:
                    here[i] = None
            pending, stretch = 0, []
        else:
            running.append(None)
    for i in stretch:  # an unfinished stretch about 1-4 items: nothing in it is shown
        here[i] = None
    return here, running


def hide_where(values: Sequence[T], pattern: Sequence[object | None]) -> list[T | None]:
    """Hide a column (money, say) wherever the matching count column was hidden."""
    return [None if shown is None else value for value, shown in zip(values, pattern, strict=True)]


def suppress_linked(tables: Sequence[Sequence[Sequence[int]]], *,
                    threshold: int = SMALL_NUMBER, row_sizes: Sequence[int] | None = None,
                    grand_size: int | None = None,
                    column_sizes: Sequence[Sequence[int] | None] | None = None,
                    hide_parts_of_small_columns: bool = False) -> list[SuppressedTable]:
    """Several tables about the same rows that publish the same row totals and grand total (e.g.
    pupils by SEN status and the same pupils by area of need): a total hidden in one is hidden in
    all, so one table cannot give away what another hides. Each table's rows must add up to the
    same totals, or `row_sizes` and `grand_size` give the shared totals' groups (and
    `column_sizes`, one entry per table, each table's own column totals' groups)."""
    forced_rows: set[int] = set()
    forced_grand = False
    columns = list(column_sizes) if column_sizes is not None else [None] * len(tables)
    while True:
        results = [suppress_table(t, threshold=threshold, hidden_row_totals=forced_rows,
                                  hide_grand_total=forced_grand, row_sizes=row_sizes,
                                  column_sizes=sizes, grand_size=grand_size,
                                  hide_parts_of_small_columns=hide_parts_of_small_columns)
                   for t, sizes in zip(tables, columns, strict=True)]
        rows = {i for r in results for i, v in enumerate(r.row_totals) if v is None}
        grand = any(r.grand_total is None for r in results)
        if rows == forced_rows and grand == forced_grand:
            return results
        forced_rows, forced_grand = rows, grand


def apply_pattern(pattern: SuppressedTable, values: Sequence[Sequence[T]],
                  add: Callable[[Sequence[T]], T] | None = None) -> tuple[
                      tuple[tuple[T | None, ...], ...], tuple[T | None, ...],
                      tuple[T | None, ...], T | None]:
    """Figures of another kind (money, outcomes) about the same groups as a suppressed table of
    pupils: each is hidden exactly where the pupils' figure is, and the totals are the figures'
    own sums. Because the hidden places are the same, the same totals cannot give them away.
    Returns (cells, row totals, column totals, grand total)."""
    adder: Callable[[Sequence[T]], T] = add or (lambda items: sum(items))  # type: ignore[assignment,return-value,arg-type]  # without `add`, T is a number
    grid = [list(row) for row in values]
    height = len(grid)
    width = len(grid[0]) if grid else len(pattern.column_totals)
    cells = tuple(tuple(None if pattern.cells[r][c] is None else grid[r][c] for c in range(width))
                  for r in range(height))
    rows = tuple(None if pattern.row_totals[r] is None else adder(grid[r]) for r in range(height))
    columns = tuple(None if pattern.column_totals[c] is None
                    else adder([grid[r][c] for r in range(height)]) for c in range(width))
    grand = None if pattern.grand_total is None else adder([v for row in grid for v in row])
    return cells, rows, columns, grand
