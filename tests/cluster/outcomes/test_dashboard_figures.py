"""The dashboard's outcome tables, hidden places chosen over every table at once: the audit, given
every figure the tables publish with the sums linking schools and years, finds nothing hidden that
can be worked out (issue 18: Swannington's hidden 2023/24 outcome was its all-years figure less its
other years)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.disclosure.audit import audit
from cluster.models import Cluster, School
from cluster.outcomes.dashboard import (
    MET,
    load_cluster_figures,
    outcome_audit_figures,
)
from cluster.reporting.impact_report import impact_dashboard
from tests.helpers.actors import actor
from tests.helpers.demo_la import WENSUM_VALLEY_ID


def test_no_hidden_outcome_can_be_worked_out_from_every_table_together(
        demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        figures = load_cluster_figures(session, session.get_one(Cluster, WENSUM_VALLEY_ID),
                                       date(2026, 11, 23))
        swannington = session.exec(select(School.id).where(
            School.name.startswith("Swannington"))).one()  # type: ignore[attr-defined]
    result = audit(outcome_audit_figures(demo_copy, actor(demo_copy, "governor")))
    assert result.hidden > 0 and result.failures == ()
    by_year = figures.outcomes["school_year"]
    hidden_2023 = by_year.outcomes.column_totals[list(by_year.columns).index((swannington, 2023))]
    assert hidden_2023 is None


def test_a_group_under_5_shows_no_split_even_when_a_part_is_0(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        figures = load_cluster_figures(session, session.get_one(Cluster, WENSUM_VALLEY_ID),
                                       date(2026, 11, 23))
    for table in figures.outcomes.values():
        for c, pupils in enumerate(table.pupils.column_totals):
            if pupils is None:
                assert table.outcomes.cells[MET][c] is None
                assert table.spend[c] is None


def test_the_audited_figures_are_the_ones_the_governors_dashboard_shows(
        demo_copy: Engine) -> None:
    governor = actor(demo_copy, "governor")
    figures = outcome_audit_figures(demo_copy, governor)
    board = impact_dashboard(demo_copy, governor)
    names = {name: sid for sid, name in board.schools}
    for row in board.outcomes_by_school:
        if row.is_total:
            continue
        # Money hidden with its group is hidden in the audit too, not taken as a shown 0.
        for part, on_screen in (("met", row.met), ("spend", row.spend_pence)):
            figure = figures.figures[f"outcomes/school/{names[row.label]}/{part}"]
            assert on_screen == (figure.value if figure.shown else None)


def test_the_audit_knows_each_outcome_s_true_value_and_largest_award(demo_copy: Engine) -> None:
    """Hidden figures carry their true values (every sum holds) and a hidden spend its largest
    award, so the audit asks for a range wider than one award, not just any range."""
    figures = outcome_audit_figures(demo_copy, actor(demo_copy, "governor"))
    assert figures.holds()
    hidden_spend = [f for f in figures.hidden() if f.name.endswith("/spend") and f.value > 0]
    assert hidden_spend and all(f.largest_part > 0 for f in hidden_spend)

