"""The LA adviser's view across clusters, and the evidence for a need element in the formula.

Across clusters: each cluster's pot, what it awarded, its unmet need by area of need, its outcomes
met and its next meeting — every figure the same suppressed figure the cluster's governors see.

Need element (FAQ 22: "some clusters will have much greater SEN than others"): for each cluster,
and each school within its cluster, across years, the share of the formula pot beside the share of
SEN pupils and the share of unmet need; and a scenario in which the LA pays a rate per SEN-support
pupil and per EHC plan from the same total, showing how money would move. SEN pupil figures are
the SEND profile's own suppressed figures; a scenario amount is hidden wherever it would reveal a
hidden count, and never alone (the totals are unchanged, so a lone hidden amount could be worked
out by subtraction).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.calendar import OfAcademicYear, academic_year_of
from cluster.common.needs import AREA_CHOICES
from cluster.core.cache import remembered
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.errors import InvalidInput
from cluster.core.permissions import Actor, has_role, require
from cluster.funding.budget import (
    census_year_for,
    cluster_census,
    load_funding_year,
    load_pot,
)
from cluster.funding.need_element import (
    FormulaUnit,
    NeedElementTooLarge,
    Scenario,
    need_element_scenario,
)
from cluster.models import Cluster, FundingYear, Role
from cluster.outcomes.dashboard import ClusterFigures
from cluster.reporting.impact_report import published_cluster_figures
from cluster.reporting.profile import ProfileRow, send_profile
from cluster.year.schedule import next_meeting

MET = 0
DEFAULT_SUPPORT_RATE_PENCE = 5_000  # £50 per SEN-support pupil
DEFAULT_EHC_RATE_PENCE = 15_000  # £150 per EHC plan


@dataclass(frozen=True)
class ClusterImpactRow:
    cluster_id: int
    cluster_name: str
    schools: int
    available_pence: int | None  # the pot available for new awards this year (not about pupils)
    pupils: int | None  # on requests decided this year
    received_pence: int | None
    unmet_pence: int | None
    unmet_by_area: tuple[tuple[str, int | None], ...]
    outcomes: int | None  # judged, all years
    met: int | None
    next_meeting_on: date | None

    @property
    def met_pct(self) -> float | None:
        return None if self.met is None or not self.outcomes else 100 * self.met / self.outcomes


def _impact_row(figures: ClusterFigures, year: int, available: int | None,
                next_on: date | None) -> ClusterImpactRow:
    table = figures.by_area.get(year)
    outcomes = figures.outcomes["year"]
    if table is None:
        return ClusterImpactRow(figures.cluster_id, figures.cluster_name, len(figures.schools),
                                available, 0, 0, 0, tuple((a, 0) for a in AREA_CHOICES),
                                outcomes.outcomes.grand_total, outcomes.outcomes.row_totals[MET],
                                next_on)
    return ClusterImpactRow(
        figures.cluster_id, figures.cluster_name, len(figures.schools), available,
        table.pupils.grand_total, table.received.grand_total, table.unmet.grand_total,
        tuple(zip(table.categories, table.unmet.column_totals, strict=True)),
        outcomes.outcomes.grand_total, outcomes.outcomes.row_totals[MET], next_on)


def clusters_impact(engine: Engine, actor: Actor, academic_year: int | None = None
                    ) -> list[ClusterImpactRow]:
    """One row per cluster in the LA. No LA-wide total of suppressed figures is given, so no
    cluster's hidden figure can be worked out from it."""
    require(has_role(actor, {Role.LA_ADVISER}))
    on = today()
    year = academic_year if academic_year is not None else academic_year_of(on).start_year
    with read_session(engine) as session:
        return remembered(session, ("clusters_impact", on, year),
                          lambda: _impact_rows(session, on, year))


def _impact_rows(session: Session, on: date, year: int) -> list[ClusterImpactRow]:
    rows = []
    for cluster in session.exec(select(Cluster).order_by(Cluster.name)).all():
        assert cluster.id is not None
        figures = published_cluster_figures(session, cluster, on)
        pot = load_pot(session, cluster.id, year)
        following = next_meeting(session, cluster.id, on)
        rows.append(_impact_row(figures, year, pot.available_pence if pot else None,
                                following.held_on if following else None))
    return rows


# --- need element: evidence -----------------------------------------------------------------------


@dataclass(frozen=True)
class ShareEvidence(OfAcademicYear):
    """One cluster (among the LA's clusters) or one school (within its cluster) in one year."""

    academic_year: int
    cluster_name: str
    name: str
    is_cluster: bool
    formula_pence: int
    formula_share: float
    sen_pupils: int | None
    sen_share: float | None
    unmet_pence: int | None
    unmet_share: float | None
    received_share: float | None

    @property
    def need_gap(self) -> float | None:
        """SEN share minus formula share (percentage points): + means the formula gives less than
        its share of need."""
        return None if self.sen_share is None else self.sen_share - self.formula_share


@dataclass(frozen=True)
class ScenarioLine:
    """A scenario row as the LA adviser may see it: None = hidden."""

    cluster_name: str
    name: str
    is_cluster: bool
    now_pence: int
    sen_support: int | None
    ehc_plan: int | None
    need_part_pence: int | None
    proposed_pence: int | None
    change_pence: int | None


@dataclass(frozen=True)
class NeedElementView(OfAcademicYear):
    academic_year: int
    years: tuple[int, ...]
    evidence: tuple[ShareEvidence, ...]
    support_rate_pence: int
    ehc_rate_pence: int
    between_clusters: tuple[ScenarioLine, ...]
    within_clusters: tuple[ScenarioLine, ...]
    total_pence: int
    need_element_pence: int
    moved_pence: int | None  # None when it would reveal a hidden figure


def _pct(part: int | None, whole: int | None) -> float | None:
    if part is None or whole is None or not whole:
        return None
    return 100 * part / whole


def _profile_rows(rows: Sequence[ProfileRow], academic_year: int) -> dict[str, ProfileRow]:
    """The SEND profile's rows for the census the year's formula uses."""
    wanted = census_year_for(academic_year)
    years = sorted({r.census_year for r in rows if r.census_year <= wanted})
    if not years:
        return {}
    return {r.name: r for r in rows if r.census_year == years[-1]}


@dataclass(frozen=True)
class _ClusterYear:
    cluster_id: int
    cluster_name: str
    formula_pence: int
    schools: tuple[tuple[str, int, int, int], ...]  # name, formula pence, SEN support, EHC plans
    profile: dict[str, ProfileRow]
    figures: ClusterFigures


def need_element(engine: Engine, actor: Actor, *,
                 support_rate_pence: int = DEFAULT_SUPPORT_RATE_PENCE,
                 ehc_rate_pence: int = DEFAULT_EHC_RATE_PENCE,
                 academic_year: int | None = None) -> NeedElementView:
    """The evidence across years and the scenario for one year (the current one by default)."""
    require(has_role(actor, {Role.LA_ADVISER}))
    if support_rate_pence < 0 or ehc_rate_pence < 0:
        raise InvalidInput("Rates", "cannot be negative")
    on = today()
    current = academic_year_of(on).start_year
    year = academic_year if academic_year is not None else current
    with read_session(engine) as session:
        # Every cluster's pot and census for every year: the same whatever rates are tried, so
        # worked out once per state of the data and not on each change of a rate.
        clusters, years, figures, raw = remembered(
            session, ("need_element_inputs", on, year),
            lambda: _scenario_inputs(session, on, current, year))
    # The SEND profile's own suppressed SEN figures, so this page hides exactly what it hides.
    profiles = {cid: send_profile(engine, actor, cid).rows for cid, _ in clusters}
    by_year = {y: [_ClusterYear(cid, name, raw[(cid, y)][0], raw[(cid, y)][1],
                                _profile_rows(profiles[cid], y), figures[cid])
                   for cid, name in clusters] for y in years}
    evidence: list[ShareEvidence] = []
    for y in years:
        evidence += _evidence(y, by_year[y])
    try:
        between, within, scenario = _scenarios(by_year[year], support_rate_pence, ehc_rate_pence)
    except NeedElementTooLarge as error:
        raise InvalidInput("Need element rates", str(error)) from error
    hidden = any(line.change_pence is None for line in between)
    return NeedElementView(year, tuple(years), tuple(evidence),
                           support_rate_pence, ehc_rate_pence, between, within,
                           scenario.total_pence, scenario.need_element_pence,
                           None if hidden else scenario.moved_pence)


def _scenario_inputs(session: Session, on: date, current: int, year: int) -> tuple[
        list[tuple[int, str]], list[int], dict[int, ClusterFigures],
        dict[tuple[int, int], tuple[int, tuple[tuple[str, int, int, int], ...]]]]:
    rows = session.exec(select(Cluster).order_by(Cluster.name)).all()
    clusters = [(c.id or 0, c.name) for c in rows]
    years = sorted({y for y in session.exec(select(FundingYear.academic_year)).all()
                    if y <= current} | {year})
    figures = {c.id or 0: published_cluster_figures(session, c, on) for c in rows}
    raw = {(c.id or 0, y): _raw(session, c, y) for c in rows for y in years}
    return clusters, years, figures, raw


def _raw(session: Session, cluster: Cluster, year: int
         ) -> tuple[int, tuple[tuple[str, int, int, int], ...]]:
    assert cluster.id is not None
    view = load_funding_year(session, cluster.id, year)
    formula = {share.school_name: share.formula_pence for share in view.pot.shares}
    census = cluster_census(session, cluster.id, year)
    schools = tuple((s.name, formula.get(s.name, 0), s.sen_support, s.ehc_plan) for s in census)
    return view.pot.formula_pence, schools


def _evidence(year: int, clusters: Sequence[_ClusterYear]) -> list[ShareEvidence]:
    total_formula = sum(c.formula_pence for c in clusters)
    cluster_rows = [c.profile.get("Cluster") for c in clusters]
    sen = [row.sen_pupils if row else None for row in cluster_rows]
    unmet = [_year_unmet(c.figures, year) for c in clusters]
    received = [_year_received(c.figures, year) for c in clusters]
    # An LA-wide total is used only when every cluster's figure is shown: otherwise a share would
    # let a hidden cluster figure be worked out.
    sen_total = sum(s for s in sen if s is not None) if None not in sen else None
    unmet_total = sum(u for u in unmet if u is not None) if None not in unmet else None
    received_total = sum(r for r in received if r is not None) if None not in received else None
    rows = []
    for c, s, u, r in zip(clusters, sen, unmet, received, strict=True):
        rows.append(ShareEvidence(year, c.cluster_name, c.cluster_name, True,
                                  c.formula_pence, _pct(c.formula_pence, total_formula) or 0.0,
                                  s, _pct(s, sen_total), u, _pct(u, unmet_total),
                                  _pct(r, received_total)))
        rows += _school_evidence(year, c)
    return rows


def _year_unmet(figures: ClusterFigures, year: int) -> int | None:
    table = figures.by_area.get(year)
    return 0 if table is None else table.unmet.grand_total


def _year_received(figures: ClusterFigures, year: int) -> int | None:
    table = figures.by_area.get(year)
    return 0 if table is None else table.received.grand_total


def _school_evidence(year: int, c: _ClusterYear) -> list[ShareEvidence]:
    table = c.figures.by_area.get(year)
    names = [name for _, name in c.figures.schools]
    cluster_row = c.profile.get("Cluster")
    sen_total = cluster_row.sen_pupils if cluster_row else None
    rows = []
    for name, formula, _, _ in c.schools:
        profile = c.profile.get(name)
        sen = profile.sen_pupils if profile else None
        if table is not None and name in names:
            i = names.index(name)
            unmet, unmet_total = table.unmet.row_totals[i], table.unmet.grand_total
            received, received_total = table.received.row_totals[i], table.received.grand_total
        else:
            unmet, unmet_total, received, received_total = 0, 0, 0, 0
        rows.append(ShareEvidence(year, c.cluster_name, name, False, formula,
                                  _pct(formula, c.formula_pence) or 0.0, sen,
                                  _pct(sen, sen_total), unmet, _pct(unmet, unmet_total),
                                  _pct(received, received_total)))
    return rows


# --- need element: the scenario -------------------------------------------------------------------


def _lines(scenario: Scenario, cluster_names: Sequence[str], is_cluster: bool,
           shown: Sequence[ProfileRow | None]) -> list[ScenarioLine]:
    """Scenario rows with the amounts hidden wherever the SEN figures behind them are hidden; if
    only one row would be hidden, the next smallest change is hidden with it."""
    hidden = [row is None or row.sen_support is None or row.ehc_plan is None for row in shown]
    if sum(hidden) == 1:
        candidates = [i for i, h in enumerate(hidden) if not h]
        if candidates:
            partner = min(candidates, key=lambda i: abs(scenario.rows[i].change_pence))
            hidden[partner] = True
    lines = []
    for row, name, profile, hide in zip(scenario.rows, cluster_names, shown, hidden, strict=True):
        lines.append(ScenarioLine(
            name, row.name, is_cluster, row.now_pence,
            None if hide or profile is None else profile.sen_support,
            None if hide or profile is None else profile.ehc_plan,
            None if hide else row.need_part_pence, None if hide else row.proposed_pence,
            None if hide else row.change_pence))
    return lines


def _scenarios(clusters: Sequence[_ClusterYear], support_rate: int, ehc_rate: int
               ) -> tuple[tuple[ScenarioLine, ...], tuple[ScenarioLine, ...], Scenario]:
    units = [FormulaUnit(c.cluster_name, c.formula_pence, sum(s[2] for s in c.schools),
                         sum(s[3] for s in c.schools)) for c in clusters]
    between = need_element_scenario(units, support_rate, ehc_rate)
    between_lines = _lines(between, [c.cluster_name for c in clusters], True,
                           [c.profile.get("Cluster") for c in clusters])
    within: list[ScenarioLine] = []
    for c in clusters:
        # Within each cluster the same rates, from the cluster's own formula money: how the split
        # between its schools would change if the cluster shared its pot the same way.
        scenario = need_element_scenario([FormulaUnit(*school) for school in c.schools],
                                         support_rate, ehc_rate) if _fits(c, support_rate,
                                                                          ehc_rate) else None
        if scenario is None:
            continue
        within += _lines(scenario, [c.cluster_name] * len(c.schools), False,
                         [c.profile.get(s[0]) for s in c.schools])
    return tuple(between_lines), tuple(within), between


def _fits(c: _ClusterYear, support_rate: int, ehc_rate: int) -> bool:
    need = sum(s[2] * support_rate + s[3] * ehc_rate for s in c.schools)
    return need <= sum(s[1] for s in c.schools)
