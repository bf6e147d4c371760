"""The protected-funding forecast as figures for the disclosure audit, and its suppression pattern.

The forecast shows, by academic year and school (and for the cluster), the pupils protected and
their funding, the pupils leaving and the funding released. A reader can add schools up to the
cluster row, and can subtract across years: next year's pupils are this year's less those leaving,
and in a school's last year every pupil leaves. Suppressing each year alone let a reader work out
hidden leavers from two shown years (issue 18), so the pattern is chosen over every year at once
(`disclosure.joint.protect`) and registered here with every relation a reader has.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from cluster.disclosure.figures import Figure, FigureSet, Relation, difference, total_of
from cluster.disclosure.joint import protect
from cluster.disclosure.suppression import is_small
from cluster.funding.budget import CLUSTER_ROW
from cluster.funding.psf import ReleaseForecastRow

# Each count of pupils and the money about the same pupils, shown or hidden together.
COLUMNS = (("pupils", "pounds"), ("leaving", "released"))


def figure_name(year: int, school: str, column: str) -> str:
    return f"protected funding/{year}/{school}/{column}"


def _values(row: ReleaseForecastRow) -> dict[str, int]:
    return {"pupils": row.pupils_protected, "pounds": row.protected_pence,
            "leaving": row.pupils_leaving, "released": row.released_pence}


def _with_cluster_rows(detail: Sequence[ReleaseForecastRow]) -> list[ReleaseForecastRow]:
    rows = list(detail)
    for year in sorted({r.academic_year for r in detail}):
        in_year = [r for r in detail if r.academic_year == year]
        rows.append(ReleaseForecastRow(
            year, CLUSTER_ROW, sum(r.pupils_protected for r in in_year),
            sum(r.protected_pence for r in in_year), sum(r.pupils_leaving for r in in_year),
            sum(r.released_pence for r in in_year)))
    return rows


def forecast_figures(detail: Sequence[ReleaseForecastRow], largest: Mapping[str, int],
                     schools: Collection[str] | None = None) -> FigureSet:
    """Every figure of the forecast, counts of 1 to 4 (and their money) hidden; `largest` is each
    school's largest annual amount (the most one pupil's leaving can release). `schools`: the
    school rows this reader sees (None: all); the others are unknowns (see `_out_of_view`)."""
    figures = FigureSet()
    rows = _with_cluster_rows(detail)
    top = max(largest.values(), default=0)
    for row in rows:
        values = _values(row)
        for count, money in COLUMNS:
            names = [figure_name(row.academic_year, row.school, c) for c in (count, money)]
            figures.add(Figure(names[0], values[count]))
            figures.add(Figure(names[1], values[money], "money",
                               largest_part=largest.get(row.school, top)))
            figures.tie(*names)
            if is_small(values[count]):
                figures.hide(names)
    _relate_schools(figures, rows)
    _relate_years(figures, rows, schools)
    _out_of_view(figures, schools)
    return figures


def _relate_schools(figures: FigureSet, rows: Sequence[ReleaseForecastRow]) -> None:
    for year in sorted({r.academic_year for r in rows}):
        schools = [r.school for r in rows if r.academic_year == year and r.school != CLUSTER_ROW]
        for count, money in COLUMNS:
            for column in (count, money):
                figures.relate(total_of(figure_name(year, CLUSTER_ROW, column),
                                        [figure_name(year, s, column) for s in schools]))


def _relate_years(figures: FigureSet, rows: Sequence[ReleaseForecastRow],
                  schools: Collection[str] | None) -> None:
    """Next year = this year − leaving. Which rows are listed is known only for the rows a reader
    sees: a listed row has at least one pupil, and a school missing next year had every pupil
    leave (a reader who sees no school rows cannot tell which schools have any)."""
    present = {(r.academic_year, r.school) for r in rows}
    for year, school in sorted(present):
        listed = schools is None or school == CLUSTER_ROW or school in schools
        if listed:
            figures.relate(Relation(((figure_name(year, school, "pupils"), 1),), ">=", 1))
        for whole, part in (("pupils", "leaving"), ("pounds", "released")):
            now, leaving = figure_name(year, school, whole), figure_name(year, school, part)
            if (year + 1, school) in present:
                figures.relate(difference(figure_name(year + 1, school, whole), now, leaving))
            elif listed:
                figures.relate(Relation(((now, 1), (leaving, -1))))
            else:
                figures.relate(Relation(((leaving, 1), (now, -1)), "<="))


def forecast_pattern(detail: Sequence[ReleaseForecastRow], largest: Mapping[str, int],
                     schools: Collection[str] | None = None) -> FigureSet:
    """The figures one reader sees — the cluster rows and `schools` (None: every school, as the
    LA adviser) — with secondary suppression chosen over every year and school at once. Another
    school's figures are unknown to this reader: never shown, and protected only when small.
    Each kind of reader gets its own pattern, so the cluster governor, who sees no school rows,
    is not denied cluster figures that only school rows would give away."""
    figures = forecast_figures(detail, largest, schools)
    protect(figures)
    return figures


def _out_of_view(figures: FigureSet, schools: Collection[str] | None) -> None:
    for name, figure in list(figures.figures.items()):
        school = name.split("/")[2]
        if schools is None or school == CLUSTER_ROW or school in schools:
            continue
        count = figures.figures[name.rsplit("/", 1)[0] + "/" + _count_of(name.rsplit("/", 1)[1])]
        figures.figures[name] = replace(figure, shown=False, protect=is_small(count.value),
                                        in_view=False)


def _count_of(column: str) -> str:
    return next(count for count, money in COLUMNS if column in (count, money))
