"""The impact dashboard's outcome tables as figures: hidden places chosen jointly, and audited.

The dashboard publishes outcomes judged and met, with the pupils and the money behind them, by
school, area of need, kind of provision, year, and school and year. Each table's own suppression
(`suppression.suppress_linked`) sees its totals; a reader can also add a school's years up to its
all-years figure, and the schools of a year up to the year's (issue 18: Swannington's hidden
2023/24 outcome was its all-years figure less its other years). `protect` registers every figure
with those sums, and the distinct-pupil "at most" bounds, and hides more (`disclosure.joint`)
until the audit passes. The same registration of the published tables is the disclosure audit's
source for the dashboard (`Protected.figures`, through `dashboard.outcome_audit_figures`).

Per column of a table: `met` and `not met` (outcomes), and the group (`judged` outcomes, tied to
its `pupils` and the `spend` on those awards, hidden together). The met / not met totals and the
grand total are shared by every table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from cluster.disclosure.figures import Figure, FigureSet, at_most, total_of
from cluster.disclosure.joint import protect as protect_jointly
from cluster.disclosure.suppression import SMALL_NUMBER, SuppressedTable

TABLES = ("school", "area", "kind", "year", "school_year")
PARTS = ("met", "not met")
ALL = "outcomes/all"


@dataclass(frozen=True)
class OutcomeColumn:
    """The true figures of one group of awards (a school, a year...)."""

    met: int
    not_met: int
    judged: int  # met + not met (registered as shown: a reader's figure, not worked out)
    pupils: int
    spend_pence: int
    largest_award_pence: int
    part_pupils: tuple[int, int] = (0, 0)  # pupils whose outcomes were met / not met


@dataclass(frozen=True)
class OutcomeGrid:
    """One table's columns, its suppression so far and its totals' true figures."""

    columns: tuple[object, ...]
    values: tuple[OutcomeColumn, ...]
    pattern: SuppressedTable


def name(table: str, column: object, part: str) -> str:
    return f"outcomes/{table}/{column}/{part}"



def _small(pupils: int) -> bool:
    return 0 < pupils < SMALL_NUMBER


def sensitive_names(grids: dict[str, OutcomeGrid], total: OutcomeColumn) -> frozenset[str]:
    """The figures about 1 to 4 pupils (primary suppression): the ones the audit protects. A
    figure hidden only to protect one of them may be worked out (often it is 0): it tells
    nothing about a child."""
    out: set[str] = set()
    for table, grid in grids.items():
        for column, value in zip(grid.columns, grid.values, strict=True):
            out |= _sensitive(f"outcomes/{table}/{column}", value)
    return frozenset(out | _sensitive(ALL, total))


def _sensitive(prefix: str, value: OutcomeColumn) -> set[str]:
    names = set()
    if _small(value.pupils):
        names |= {f"{prefix}/{part}" for part in ("judged", "pupils", "spend", *PARTS)}
    names |= {f"{prefix}/{part}" for part, pupils in zip(PARTS, value.part_pupils, strict=True)
              if _small(pupils)}
    return names


def _add_group(figures: FigureSet, prefix: str, value: OutcomeColumn, shown: bool,
               sensitive: frozenset[str]) -> None:
    figures.add(Figure(f"{prefix}/judged", value.judged, shown=shown,
                       protect=f"{prefix}/judged" in sensitive))
    figures.add(Figure(f"{prefix}/pupils", value.pupils, shown=shown,
                       protect=f"{prefix}/pupils" in sensitive))
    # The money goes with the group's count (hidden with it), yet may be hidden alone: a
    # school's spend over its years gives a year's away without telling any count.
    figures.add(Figure(f"{prefix}/spend", value.spend_pence, "money", shown=shown,
                       largest_part=value.largest_award_pence,
                       protect=f"{prefix}/spend" in sensitive))
    figures.tie(f"{prefix}/judged", f"{prefix}/pupils")
    if prefix != ALL:
        figures.relate(at_most(f"{prefix}/pupils", f"{ALL}/pupils"))


def _register_table(figures: FigureSet, table: str, grid: OutcomeGrid, total: OutcomeColumn,
                    sensitive: frozenset[str]) -> None:
    pattern = grid.pattern
    for c, (column, value) in enumerate(zip(grid.columns, grid.values, strict=True)):
        prefix = f"outcomes/{table}/{column}"
        for r, (part, count) in enumerate(zip(PARTS, (value.met, value.not_met), strict=True)):
            figures.add(Figure(f"{prefix}/{part}", count, shown=pattern.cells[r][c] is not None,
                               protect=f"{prefix}/{part}" in sensitive))
        _add_group(figures, prefix, value, pattern.column_totals[c] is not None, sensitive)
        figures.relate(total_of(f"{prefix}/judged", [f"{prefix}/{p}" for p in PARTS]))
    for r, part in enumerate(PARTS):
        figures.add(Figure(f"{ALL}/{part}", total.met if r == 0 else total.not_met,
                           shown=pattern.row_totals[r] is not None,
                           protect=f"{ALL}/{part}" in sensitive))
        figures.relate(total_of(f"{ALL}/{part}",
                                [name(table, c, part) for c in grid.columns]))
    for part in ("judged", "spend"):
        figures.relate(total_of(f"{ALL}/{part}", [name(table, c, part) for c in grid.columns]))


def _link_schools_and_years(figures: FigureSet, schools: Sequence[int],
                            years: Sequence[int]) -> None:
    for part in (*PARTS, "judged", "spend"):
        for school in schools:
            figures.relate(total_of(name("school", school, part),
                                    [name("school_year", (school, y), part) for y in years]))
        for year in years:
            figures.relate(total_of(name("year", year, part),
                                    [name("school_year", (s, year), part) for s in schools]))
    for school in schools:
        for year in years:
            pupils = name("school_year", (school, year), "pupils")
            figures.relate(at_most(pupils, name("school", school, "pupils")))
            figures.relate(at_most(pupils, name("year", year, "pupils")))


def figure_set(grids: dict[str, OutcomeGrid], total: OutcomeColumn, schools: Sequence[int],
               years: Sequence[int], sensitive: frozenset[str]) -> FigureSet:
    """Every outcome figure of the dashboard with the sums and bounds that link them; the audit
    protects the `sensitive` ones."""
    figures = FigureSet()
    any_grid = grids[TABLES[0]].pattern
    _add_group(figures, ALL, total, any_grid.grand_total is not None, sensitive)
    for table in TABLES:
        _register_table(figures, table, grids[table], total, sensitive)
    _link_schools_and_years(figures, schools, years)
    return figures


@dataclass(frozen=True)
class Protected:
    """Each table's pattern after joint suppression, and the money hidden beyond it."""

    patterns: dict[str, SuppressedTable]
    hidden_spend: frozenset[str]  # names of spend figures hidden (`name(table, column, "spend")`)
    # Every figure with its true value, shown or hidden as published, and the sums linking them:
    # the disclosure audit's source (never handed to a view).
    figures: FigureSet


def protect(grids: dict[str, OutcomeGrid], total: OutcomeColumn, schools: Sequence[int],
            years: Sequence[int]) -> Protected:
    """Each table's pattern with more hidden until nothing hidden can be worked out from every
    table together."""
    sensitive = sensitive_names(grids, total)
    figures = figure_set(grids, total, schools, years, sensitive)
    protect_jointly(figures)
    # A group hidden shows none of its money either (`_pattern`): so the audit sees it too.
    figures.hide(f.name.removesuffix("/judged") + "/spend" for f in figures.hidden()
                 if f.name.endswith("/judged"))
    spend = frozenset(f.name for f in figures.hidden() if f.name.endswith("/spend"))
    return Protected({table: _pattern(figures, table, grid) for table, grid in grids.items()},
                     spend, figures)


def _pattern(figures: FigureSet, table: str, grid: OutcomeGrid) -> SuppressedTable:
    old = grid.pattern

    def keep(value: int | None, figure: str) -> int | None:
        return value if figures.is_shown(figure) else None

    columns = tuple(keep(old.column_totals[c], name(table, column, "judged"))
                    for c, column in enumerate(grid.columns))
    # A hidden group shows no split, not even a part that is 0 ("0 met" tells that none met);
    # hiding more never narrows what a reader can work out.
    cells = tuple(tuple(None if columns[c] is None else keep(old.cells[r][c],
                                                              name(table, column, part))
                        for c, column in enumerate(grid.columns))
                  for r, part in enumerate(PARTS))
    rows = tuple(keep(old.row_totals[r], f"{ALL}/{part}") for r, part in enumerate(PARTS))
    return replace(old, cells=cells, row_totals=rows, column_totals=columns,
                   grand_total=keep(old.grand_total, f"{ALL}/judged"))
