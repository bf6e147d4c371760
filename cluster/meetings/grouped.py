"""Aggregate tables of the meeting papers: requests, pupils and money by kind of decision (the
governors' minutes) or by area of need (the governors' pack), each line hidden when it is about
1 to 4 pupils, with the lines and the total hidden jointly so the total less the shown lines
never gives a hidden line away."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cluster.disclosure.figures import Figure, FigureSet, total_of
from cluster.disclosure.joint import CannotProtectError
from cluster.disclosure.joint import protect as protect_jointly
from cluster.disclosure.suppression import SMALL_NUMBER, suppress_table

# One line's members: (1 request, its pupils, its £).
Members = Sequence[Sequence[tuple[int, int, int]]]


@dataclass(frozen=True)
class GroupLine:
    """One line of an aggregate table; None means hidden (fewer than 5 pupils)."""

    label: str
    requests: int | None
    pupils: int | None
    first_pence: int | None  # asked (pack) or agreed (minutes)
    second_pence: int | None  # suggested (pack); unused in the minutes


def grouped(labels: Sequence[str], members: Members) -> tuple[list[GroupLine], GroupLine]:
    """Lines of (requests, pupils, first £) per label, with this table's own hidden places."""
    shown, total_shown = table_pattern(members)
    return group_lines(labels, members, shown, total_shown)


def table_pattern(members: Members) -> tuple[list[bool], bool]:
    """Which lines, and whether the total, one table shows on its own: pupils decide what is
    hidden (fewer than 5 hides the line's figures), with secondary suppression against the total,
    and money protected too — a total less its shown lines must not give a hidden line's money
    away to within one award (issue 18: the part-funded £2,544). A line's pupils, requests and
    money are hidden together; only lines about 1 to 4 pupils are protected."""
    pupils = [sum(p for _, p, _ in group) for group in members]
    table = suppress_table([[p] for p in pupils], show_row_totals=False, show_column_totals=True)
    figures = group_figures(members, [cell[0] is not None for cell in table.cells],
                            table.column_totals[0] is not None if members else True)
    try:
        protect_jointly(figures)
    except CannotProtectError:
        # Nothing left to hide beside a line the rest would give away: the table shows nothing.
        return [False] * len(members), False
    return ([figures.is_shown(f"{i}/pupils") for i in range(len(members))],
            figures.is_shown("all/pupils"))


def group_lines(labels: Sequence[str], members: Members, shown: Sequence[bool],
                total_shown: bool) -> tuple[list[GroupLine], GroupLine]:
    """The table's lines and total, each hidden where `shown` (and `total_shown`) say."""
    lines = [_line(label, group, keep)
             for label, group, keep in zip(labels, members, shown, strict=True)]
    every = [member for group in members for member in group]
    return lines, _line("All", every, total_shown)


def _line(label: str, group: Sequence[tuple[int, int, int]], shown: bool) -> GroupLine:
    if not shown:
        return GroupLine(label, None, None, None, None)
    return GroupLine(label, len(group), sum(p for _, p, _ in group),
                     sum(a for _, _, a in group), None)


def group_figures(members: Members, shown: Sequence[bool], total_shown: bool,
                  prefix: str = "", lines: Sequence[str] | None = None) -> FigureSet:
    """A grouped table's pupils, requests and money, line by line and in all, as figures for the
    disclosure audit (`prefix` names the paper, so several papers' tables stay apart). `lines`
    names the lines (by default their places): a paper kept as issued names them by what they
    count, so a later version whose lines moved does not give one name to two areas."""
    figures = FigureSet()
    measures = ("pupils", "requests", "money")
    names = [str(i) for i in range(len(members))] if lines is None else list(lines)
    for i, group in enumerate([*members, [a for g in members for a in g]]):
        line = "all" if i == len(members) else names[i]
        small = 0 < sum(p for _, p, _ in group) < SMALL_NUMBER
        visible = total_shown if line == "all" else shown[i]
        values = (sum(p for _, p, _ in group), len(group), sum(a for _, _, a in group))
        for measure, value in zip(measures, values, strict=True):
            figures.add(Figure(f"{prefix}{line}/{measure}", value,
                               "money" if measure == "money" else "count", shown=visible,
                               largest_part=max((a for _, _, a in group), default=0),
                               protect=small))
        figures.tie(*(f"{prefix}{line}/{m}" for m in measures))
    for measure in measures:
        figures.relate(total_of(f"{prefix}all/{measure}",
                                [f"{prefix}{line}/{measure}" for line in names]))
    return figures
