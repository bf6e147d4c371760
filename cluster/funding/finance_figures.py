"""Finance's figures for the disclosure audit: the budget position and what the schools received.

Both come from the one ledger. The budget position shows, meeting by meeting, the money released,
this year's part of the awards made there and awarded so far (a running total: each row is the row
before plus the meeting's awards) and what is left to award (released less awarded). "Received
this year" shows each school's part of the awards and the cluster's total. Urgent awards from the
emergency reserve are in what the schools received but not in the budget's "awarded" (the release
plan does not pay for them), so the cluster's total less the last "awarded so far" is their part
of this year (issue 18: £333.34, one urgent award, while the minutes hide their number). That
difference is registered here as a figure of its own, which no page shows, so the audit asks what
the shown figures leave of it. The cluster's total is the budget's running series one period on
(the ledger's `received_hidden`), so it is hidden by the same rule as "awarded so far": with 2
awards at Autumn 2 and none later, it would otherwise give those 2 awards away.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.common.calendar import academic_year_of
from cluster.common.glossary import label
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.permissions import Actor
from cluster.disclosure.figures import Figure, FigureSet, Relation, total_of
from cluster.disclosure.suppression import is_small
from cluster.funding.budget import (
    CLUSTER_ROW,
    AwardForBudget,
    FundingYearView,
    Scope,
    received_parts,
    released_runs,
    share_rows,
    urgent_parts,
)
from cluster.funding.ledger import (
    YearLedger,
    budget_view,
    finance_ledger,
    period_parts,
    received_hidden,
)

URGENT_FIGURE = label("urgent_awards")  # this year's part; no page shows it


def finance_name(year: int, *parts: object) -> str:
    return "/".join(("finance", str(year), *(str(p) for p in parts)))


def finance_figures(engine: Engine, actor: Actor, cluster_id: int | None = None,
                    academic_year: int | None = None) -> FigureSet:
    """This year's Finance figures as this reader sees them (none for readers who see all)."""
    year = academic_year if academic_year is not None else academic_year_of(today()).start_year
    with read_session(engine) as session:
        return finance_figures_in(session, actor, year, cluster_id)


def finance_figures_in(session: Session, actor: Actor, year: int,
                       cluster_id: int | None = None) -> FigureSet:
    """`finance_figures` inside the caller's session (a governors' pack issued in a write
    transaction stores the Finance figures it shows)."""
    scope, view, awards, ledger = finance_ledger(session, actor, year, cluster_id)
    figures = FigureSet()
    if not scope.suppress or not ledger.set_up:
        return figures
    received_figures(figures, scope, view, awards, _budget(figures, scope, ledger, awards),
                     received_hidden(ledger, awards))
    return figures


def _budget(figures: FigureSet, scope: Scope, ledger: YearLedger,
            awards: Sequence[AwardForBudget]) -> str:
    """The budget position's money, with its running sums; returns the last "awarded so far"."""
    year = ledger.academic_year
    runs = released_runs(awards)
    shown = budget_view(scope, ledger, runs)
    parts = period_parts(ledger, runs)
    before = finance_name(year, "budget", "running on")
    _money(figures, before, ledger.running_on_pence, shown.running_on_pence, parts[0])
    so_far_parts = list(parts[0])
    for r, row, here_parts in zip(ledger.rounds, shown.rows, parts[1:], strict=True):
        so_far_parts += here_parts
        names = {column: finance_name(year, "budget", r.meeting_id, column)
                 for column in ("released so far", "awarded here", "awarded so far", "left")}
        figures.add(Figure(names["released so far"], r.released_so_far_pence, "money"))
        _money(figures, names["awarded here"], r.awarded_here_pence, row.awarded_here_pence,
               here_parts)
        _money(figures, names["awarded so far"], r.awarded_so_far_pence, row.awarded_so_far_pence,
               so_far_parts)
        _money(figures, names["left"], r.left_to_award_pence, row.left_to_award_pence,
               so_far_parts, signed=True)
        figures.relate(total_of(names["awarded so far"], [before, names["awarded here"]]))
        figures.relate(Relation(((names["left"], 1), (names["released so far"], -1),
                                 (names["awarded so far"], 1))))
        before = names["awarded so far"]
    return before


def received_figures(figures: FigureSet, scope: Scope, view: FundingYearView,
                     awards: Sequence[AwardForBudget], awarded_so_far: str,
                     total_hidden: bool) -> None:
    """Received this year, school by school and for the cluster (another school's row is unknown
    to a school's governor; the cluster's is hidden when `total_hidden`), and the urgent awards
    that are all it has beyond the budget's `awarded_so_far` (a figure already in `figures`)."""
    year = view.academic_year
    _received(figures, scope, view, awards, total_hidden)
    urgent = urgent_parts(year, awards)
    figures.add(Figure(finance_name(year, URGENT_FIGURE), sum(urgent), "money", shown=False,
                       largest_part=max(urgent, default=0), protect=is_small(len(urgent)),
                       in_view=False))
    figures.relate(total_of(finance_name(year, "received", CLUSTER_ROW),
                            [awarded_so_far, finance_name(year, URGENT_FIGURE)]))


def _received(figures: FigureSet, scope: Scope, view: FundingYearView,
              awards: Sequence[AwardForBudget], total_hidden: bool) -> None:
    year = view.academic_year
    rows = {row.school: row for row in share_rows(scope, view, awards, total_hidden)}
    parts = received_parts(view, awards)
    schools = []
    for school in view.schools:
        name = finance_name(year, "received", school.name)
        row = rows.get(school.name)
        each = parts[school.school_id]
        _money(figures, name, sum(each), None if row is None else row.received_pence, each,
               in_view=row is not None)
        schools.append(name)
    every = [part for each in parts.values() for part in each]
    cluster = rows[CLUSTER_ROW]
    _money(figures, finance_name(year, "received", CLUSTER_ROW), sum(every),
           cluster.received_pence, every)
    figures.relate(total_of(finance_name(year, "received", CLUSTER_ROW), schools))


def _money(figures: FigureSet, name: str, value: int, shown: int | None, parts: Sequence[int],
           in_view: bool = True, signed: bool = False) -> None:
    """An amount made of `parts` (this year's part of each award): protected when hidden, as a
    hidden amount must not be worked out to within its largest award."""
    figures.add(Figure(name, value, "money", shown=shown is not None,
                       largest_part=max(parts, default=0), protect=is_small(len(parts)) or (
                           shown is None and in_view), in_view=in_view, signed=signed))
