"""The LA's view across clusters and the need-element scenario: totals unchanged, money follows
need, and no hidden figure given away."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput, NotAllowed
from cluster.demo.la_clusters import LA_CLUSTERS
from cluster.funding.need_element import FormulaUnit, NeedElementTooLarge, need_element_scenario
from cluster.models import CensusSnapshot, Cluster, FundingYear, School
from cluster.reporting.la_overview import clusters_impact, need_element
from tests.helpers.actors import actor


def test_a_need_element_moves_money_towards_need_from_the_same_total() -> None:
    units = [FormulaUnit("North", 10_000_000, 300, 60),  # much need for its size
             FormulaUnit("South", 10_000_000, 100, 20),
             FormulaUnit("East", 5_000_000, 100, 20)]
    scenario = need_element_scenario(units, 5_000, 15_000)
    assert scenario.total_pence == 25_000_000
    assert sum(row.proposed_pence for row in scenario.rows) == 25_000_000  # to the penny
    assert scenario.need_element_pence == 300 * 5_000 + 60 * 15_000 + 2 * (100 * 5_000 +
                                                                           20 * 15_000)
    north, south, east = scenario.rows
    assert north.change_pence > 0 > south.change_pence
    # By hand: need £40,000 of £250,000 total; North's need share 24,000/40,000 = 60%, its formula
    # share 40%; so it gains 20% of £40,000 = £8,000. East: 20% need share, 20% formula share.
    assert north.change_pence == 800_000 and east.change_pence == 0
    assert scenario.moved_pence == 800_000


def test_no_need_element_changes_nothing_and_too_large_a_one_is_refused() -> None:
    units = [FormulaUnit("A", 1_000_000, 50, 5), FormulaUnit("B", 3_000_001, 10, 1)]
    assert all(row.change_pence == 0 for row in need_element_scenario(units, 0, 0).rows)
    with pytest.raises(NeedElementTooLarge):
        need_element_scenario(units, 1_000_000, 0)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(100_000, 50_000_000), st.integers(0, 400),
                          st.integers(0, 80)), min_size=1, max_size=8),
       st.integers(0, 20_000), st.integers(0, 60_000))
def test_totals_are_unchanged_and_the_money_follows_need(
        shapes: list[tuple[int, int, int]], support: int, ehc: int) -> None:
    units = [FormulaUnit(f"C{i}", f, s, e) for i, (f, s, e) in enumerate(shapes)]
    try:
        scenario = need_element_scenario(units, support, ehc)
    except NeedElementTooLarge:
        return
    assert sum(r.proposed_pence for r in scenario.rows) == sum(u.formula_pence for u in units)
    total, need = scenario.total_pence, scenario.need_element_pence
    for unit, row in zip(units, scenario.rows, strict=True):
        assert row.proposed_pence >= 0
        gap = row.need_part_pence * total - unit.formula_pence * need  # need share − formula share
        if gap > total:  # clearly more need than formula share (beyond a penny of rounding)
            assert row.change_pence >= 0
        if gap < -total:
            assert row.change_pence <= 0


# --- the services, with the demo and two more clusters --------------------------------------------


def add_cluster(engine: Engine, name: str, pupils: int, sen_support: int, ehc: int,
                first_urn: int) -> None:
    """A small cluster of three schools with a census and a funding year for 2026/27."""
    with Session(engine) as session:
        cluster = Cluster(name=name, la_code="926", la_name="Norfolk",
                          funded_since=date(2023, 9, 1))
        session.add(cluster)
        session.flush()
        for n in range(3):
            school = School(cluster_id=cluster.id, urn=str(first_urn + n),
                            laestab=f"926{first_urn % 10_000 + n:04d}",
                            name=f"{name} School {n + 1}",
                            phase="primary", school_type="Community school")
            session.add(school)
            session.flush()
            session.add(CensusSnapshot(school_id=school.id, census_year=2027, pupils=pupils,
                                       sen_support=sen_support, ehc_plan=ehc, primary_needs={}))
        session.add(FundingYear(cluster_id=cluster.id, academic_year=2026,
                                per_pupil_rate_pence=2_150, fixed_sum_per_school_pence=400_000))
        session.commit()


def test_the_la_sees_each_cluster_and_money_moves_to_the_neediest(demo_copy: Engine) -> None:
    add_cluster(demo_copy, "Broadland Needs Cluster", 300, 90, 25, 880001)
    add_cluster(demo_copy, "Coastal Light Cluster", 300, 15, 5, 880101)
    adviser = actor(demo_copy, "la.adviser")
    rows = clusters_impact(demo_copy, adviser)
    # Every cluster of the LA, in name order: the two added, Wensum Valley and the demo's six.
    assert [r.cluster_name for r in rows] == sorted(
        ["Broadland Needs Cluster", "Coastal Light Cluster", "Wensum Valley Cluster",
         *(c.name for c in LA_CLUSTERS)])
    wensum = next(r for r in rows if r.cluster_name == "Wensum Valley Cluster")
    assert wensum.next_meeting_on == date(2027, 1, 20) and wensum.available_pence
    assert wensum.outcomes and wensum.met is not None
    view = need_element(demo_copy, adviser, support_rate_pence=5_000, ehc_rate_pence=15_000)
    lines = {line.name: line for line in view.between_clusters}
    assert sum(line.now_pence for line in lines.values()) == view.total_pence
    assert sum(line.proposed_pence or 0 for line in lines.values()) == view.total_pence
    # Same pupils and formula, more need: Broadland gains what Coastal loses, and more.
    assert lines["Broadland Needs Cluster"].change_pence > 0
    assert lines["Coastal Light Cluster"].change_pence < 0
    assert lines["Broadland Needs Cluster"].now_pence == lines["Coastal Light Cluster"].now_pence
    assert view.moved_pence == sum(line.change_pence for line in lines.values()
                                   if line.change_pence and line.change_pence > 0)
    # Within each cluster the schools' total is the cluster's formula money, unchanged.
    for cluster, line in lines.items():
        schools = [s for s in view.within_clusters if s.cluster_name == cluster]
        assert sum(s.now_pence for s in schools) == line.now_pence
        if all(s.proposed_pence is not None for s in schools):
            assert sum(s.proposed_pence for s in schools) == line.now_pence
    evidence = [e for e in view.evidence if e.is_cluster and e.academic_year == 2026]
    assert sum(e.formula_share for e in evidence) == pytest.approx(100)
    broadland = next(e for e in evidence if e.name == "Broadland Needs Cluster")
    assert broadland.need_gap is not None and broadland.need_gap > 0


def test_a_hidden_sen_figure_hides_its_scenario_amount_and_never_alone(demo_copy: Engine) -> None:
    view = need_element(demo_copy, actor(demo_copy, "la.adviser"))
    schools = view.within_clusters
    hidden = [s for s in schools if s.change_pence is None]
    assert len(hidden) != 1  # a lone hidden amount could be worked out from the unchanged total
    for line in schools:
        if line.sen_support is None or line.ehc_plan is None:
            assert line.need_part_pence is None and line.proposed_pence is None
        if line.ehc_plan is not None:
            assert line.ehc_plan == 0 or line.ehc_plan >= 5


def test_only_the_la_adviser_reads_across_clusters_and_rates_are_checked(demo_copy: Engine
                                                                         ) -> None:
    for username in ("host", "governor", "senco.ap"):
        with pytest.raises(NotAllowed):
            clusters_impact(demo_copy, actor(demo_copy, username))
        with pytest.raises(NotAllowed):
            need_element(demo_copy, actor(demo_copy, username))
    adviser = actor(demo_copy, "la.adviser")
    with pytest.raises(InvalidInput, match="lower the rates"):
        need_element(demo_copy, adviser, support_rate_pence=10_000_000)
    with pytest.raises(InvalidInput):
        need_element(demo_copy, adviser, ehc_rate_pence=-1)
    with Session(demo_copy) as session:
        assert session.exec(select(Cluster)).first() is not None
