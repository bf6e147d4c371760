"""The impact dashboard's outcome counts as figures for the disclosure audit (detection only).

The dashboard publishes outcomes judged and met by school, by year and by school and year, each
table suppressed with its own totals (`dashboard._outcome_tables`). A reader can also add a
school's years up to its all-years figure, and the schools of a year up to the year's: relations
the tables' suppression does not see. Registering them here lets the audit find what they give
away (issue 18: a school's hidden year worked out from its all-years total). The dashboard does
not yet choose its pattern jointly, so this source is not among the live audit's sources: its
test records the leak the audit finds.
"""

from __future__ import annotations

from cluster.disclosure.figures import Figure, FigureSet, total_of
from cluster.outcomes.dashboard import MET, NOT_MET, ClusterFigures, OutcomeTable

TABLES = ("school", "year", "school_year")
PARTS = {MET: "met", NOT_MET: "not met"}


def _name(table: str, column: object, part: str) -> str:
    return f"outcomes/{table}/{column}/{part}"


def _figure(name: str, published: int | None) -> Figure:
    # The audit needs only what is shown; a hidden figure's own value is not kept with the
    # published tables (so no view can print it), and is registered as 0.
    return Figure(name, published or 0, shown=published is not None)


def _register(figures: FigureSet, table: str, outcomes: OutcomeTable) -> None:
    published = outcomes.outcomes
    for c, column in enumerate(outcomes.columns):
        for row, part in PARTS.items():
            figures.add(_figure(_name(table, column, part), published.cells[row][c]))
        figures.add(_figure(_name(table, column, "judged"), published.columns[c]))
        figures.relate(total_of(_name(table, column, "judged"),
                                [_name(table, column, p) for p in PARTS.values()]))
    for row, part in PARTS.items():
        # The met / not met totals are shared by every table.
        figures.add(_figure(f"outcomes/all/{part}", published.rows[row]))
        figures.relate(total_of(f"outcomes/all/{part}",
                                [_name(table, c, part) for c in outcomes.columns]))


def outcome_figures(cluster: ClusterFigures) -> FigureSet:
    """The outcome counts of the dashboard's school, year and school-and-year tables, with the
    sums that link them."""
    figures = FigureSet()
    for table in TABLES:
        _register(figures, table, cluster.outcomes[table])
    ids = [s for s, _ in cluster.schools]
    for part in ("met", "not met", "judged"):
        for school in ids:
            figures.relate(total_of(_name("school", school, part),
                                    [_name("school_year", (school, y), part)
                                     for y in cluster.years]))
        for year in cluster.years:
            figures.relate(total_of(_name("year", year, part),
                                    [_name("school_year", (s, year), part) for s in ids]))
    return figures
