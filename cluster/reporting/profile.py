"""The SEND profile of each school and of the cluster, against its LA and England.

Aggregates only: pupils on roll, SEN support, EHC plans and pupils by broad area of need, per census
year. The views chart these rows as they come (never raw tables). Governors and the LA adviser get
the figures with small numbers suppressed (secondary suppression across schools, statuses and areas,
so a hidden figure cannot be worked out from the totals beside it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import AcademicYear, academic_year_of
from cluster.common.needs import AREA_CHOICES, OTHER_AREA, PRIMARY_NEEDS
from cluster.core.cache import remembered
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.permissions import Actor
from cluster.disclosure.suppression import SuppressedTable, suppress_linked, suppress_table
from cluster.funding.budget import (
    CLUSTER_ROW,
    Scope,
    ShareRow,
    cluster_awards,
    history_ids,
    load_funding_year,
    reader_scope,
    share_rows,
)
from cluster.funding.ledger import received_hidden, year_ledger
from cluster.imports.benchmarks import ENGLAND, Benchmark
from cluster.models import CensusSnapshot, LaBenchmark, School

STATUS_COLUMNS: tuple[str, ...] = ("SEN support", "EHC plan")


@dataclass(frozen=True)
class ProfileRow:
    """One school (or the cluster) in one census year. None means hidden (fewer than 5)."""

    census_year: int
    name: str
    is_cluster: bool
    pupils: int
    sen_support: int | None
    ehc_plan: int | None
    sen_pupils: int | None
    areas: tuple[tuple[str, int | None], ...]  # broad area → pupils; empty when not recorded

    @property
    def sen_support_pct(self) -> float | None:
        return _pct(self.sen_support, self.pupils)

    @property
    def ehc_pct(self) -> float | None:
        return _pct(self.ehc_plan, self.pupils)

    @property
    def sen_pct(self) -> float | None:
        return _pct(self.sen_pupils, self.pupils)


def _pct(part: int | None, whole: int) -> float | None:
    return None if part is None or not whole else 100 * part / whole


@dataclass(frozen=True)
class BenchmarkRow:
    label: str
    census_year: int
    schools: int
    pupils: int
    ehc_pct: float
    sen_support_pct: float | None


@dataclass(frozen=True)
class SendProfile:
    cluster_name: str
    la_name: str
    census_years: tuple[int, ...]
    rows: tuple[ProfileRow, ...]
    benchmarks: tuple[BenchmarkRow, ...]
    formula_year_label: str
    formula_vs_need: tuple[ShareRow, ...]
    suppressed: bool
    names: tuple[str, ...]  # the schools this reader may choose, then the cluster

    def for_name(self, name: str) -> list[ProfileRow]:
        return [row for row in self.rows if row.name == name]

    def latest(self, name: str) -> ProfileRow | None:
        rows = self.for_name(name)
        return rows[-1] if rows else None

    def latest_benchmarks(self) -> list[BenchmarkRow]:
        """Each benchmark's latest census year only: a chart shows one year per bar, never two
        years added together."""
        latest: dict[str, BenchmarkRow] = {}
        for row in self.benchmarks:
            if row.label not in latest or row.census_year > latest[row.label].census_year:
                latest[row.label] = row
        return list(latest.values())


def send_profile(engine: Engine, actor: Actor, cluster_id: int | None = None) -> SendProfile:
    """Every census year on record for the schools (and cluster) this reader may see."""
    year = academic_year_of(today()).start_year
    with read_session(engine) as session:
        scope = reader_scope(session, actor, cluster_id)
        # The profile depends on the reader only through the scope, so readers who share a scope
        # share the answer until the data changes.
        return remembered(session, ("send_profile", scope, year),
                          lambda: _profile(session, scope, year))


def _profile(session: Session, scope: Scope, year: int) -> SendProfile:
    schools = list(session.exec(select(School).where(
        School.cluster_id == scope.cluster_id, col(School.active).is_(True))
        .order_by(col(School.name))).all())
    by_year = _snapshots_by_year(session, schools)
    benchmarks = _benchmarks(session, scope.la_name)
    funding = load_funding_year(session, scope.cluster_id, year)
    awards = cluster_awards(session, scope.cluster_id, year)
    total_hidden = received_hidden(year_ledger(session, scope.cluster_id, year), awards)
    # Rows are made while the session is open: ORM rows never leave it.
    rows: list[ProfileRow] = []
    for census_year in sorted(by_year):
        rows += _year_rows(census_year, schools, by_year[census_year], scope)
    names = tuple(s.name for s in schools if scope.shows(s.id or 0)) + (CLUSTER_ROW,)
    return SendProfile(scope.cluster_name, scope.la_name, tuple(sorted(by_year)), tuple(rows),
                       tuple(benchmarks), AcademicYear(year).label,
                       share_rows(scope, funding, awards, total_hidden), scope.suppress, names)


def _snapshots_by_year(session: Session, schools: Sequence[School]
                       ) -> dict[int, dict[int, CensusSnapshot]]:
    """census year → school id → snapshot; a converted school's years before its new URN come
    from its predecessor, so its history continues."""
    chains = {school.id or 0: history_ids(session, school) for school in schools}
    snapshots: dict[int, list[CensusSnapshot]] = {}
    for snapshot in session.exec(select(CensusSnapshot).where(
            col(CensusSnapshot.school_id).in_({i for chain in chains.values() for i in chain}))):
        snapshots.setdefault(snapshot.school_id, []).append(snapshot)
    by_year: dict[int, dict[int, CensusSnapshot]] = {}
    for school_id, chain in chains.items():
        # Oldest predecessor first, so the school's own census wins a year both have.
        for member in reversed(chain):
            for snapshot in snapshots.get(member, []):
                by_year.setdefault(snapshot.census_year, {})[school_id] = snapshot
    return by_year


def _areas(snapshot: CensusSnapshot) -> dict[str, int]:
    areas = dict.fromkeys(AREA_CHOICES, 0)
    for code, count in (snapshot.primary_needs or {}).items():
        need = PRIMARY_NEEDS.get(code)
        areas[need.area if need and need.area else OTHER_AREA] += int(count)
    return areas


def _year_rows(census_year: int, schools: Sequence[School], snapshots: dict[int, CensusSnapshot],
               scope: Scope) -> list[ProfileRow]:
    present = [s for s in schools if (s.id or 0) in snapshots]
    shots = [snapshots[s.id or 0] for s in present]
    statuses = [[shot.sen_support, shot.ehc_plan] for shot in shots]
    has_areas = all(shot.primary_needs for shot in shots) and bool(shots)
    areas = [list(_areas(shot).values()) for shot in shots] if has_areas else []
    status_table, area_table = _suppressed(statuses, areas, scope.suppress)
    rows = []
    for index, school in enumerate(present):
        if not scope.shows(school.id or 0):
            continue
        support, ehc = status_table.cells[index]
        area_cells = area_table.cells[index] if area_table else ()
        rows.append(ProfileRow(census_year, school.name, False, shots[index].pupils, support, ehc,
                               status_table.row_totals[index],
                               tuple(zip(AREA_CHOICES, area_cells, strict=False))))
    support_total, ehc_total = status_table.column_totals if shots else (0, 0)
    rows.append(ProfileRow(
        census_year, CLUSTER_ROW, True, sum(shot.pupils for shot in shots), support_total,
        ehc_total, status_table.grand_total if shots else 0,
        tuple(zip(AREA_CHOICES, area_table.column_totals, strict=False)) if area_table else ()))
    return rows


def _suppressed(statuses: list[list[int]], areas: list[list[int]], suppress: bool
                ) -> tuple[SuppressedTable, SuppressedTable | None]:
    if not statuses:
        return SuppressedTable((), (), (0, 0), 0), None
    if not suppress:
        return _plain(statuses), _plain(areas) if areas else None
    linked = areas and all(sum(a) == sum(s) for a, s in zip(areas, statuses, strict=True))
    if linked:
        status_table, area_table = suppress_linked([statuses, areas])
        return status_table, area_table
    return suppress_table(statuses), suppress_table(areas) if areas else None


def _plain(rows: list[list[int]]) -> SuppressedTable:
    width = len(rows[0])
    return SuppressedTable(tuple(tuple(r) for r in rows), tuple(sum(r) for r in rows),
                           tuple(sum(r[c] for r in rows) for c in range(width)),
                           sum(sum(r) for r in rows))


def _benchmarks(session: Session, la_name: str) -> list[BenchmarkRow]:
    rows = session.exec(select(LaBenchmark).where(
        col(LaBenchmark.la_name).in_([la_name, ENGLAND]))
        .order_by(col(LaBenchmark.census_year))).all()
    result = []
    for row in rows:
        b = Benchmark(row.census_year, row.la_name, row.schools, row.pupils, row.ehc_plan,
                      row.sen_support)
        label = (f"{row.la_name} (all schools)" if row.la_name != ENGLAND
                 else "England (all schools)")
        result.append(BenchmarkRow(label, row.census_year, row.schools, row.pupils, b.ehc_rate,
                                   b.sen_support_rate))
    return result
