"""The allocations workbook's data, for the LA's finance team: every confirmed award of an
academic year (urgent ones too), per-school totals, the pot arithmetic, and each maintained
school's payments split by financial year (April to March). Host only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from cluster.common.calendar import OfAcademicYear
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.core.scope import cluster_of
from cluster.funding.ledger import AVAILABLE, year_ledger
from cluster.meetings.record import meeting_label
from cluster.models import (
    Award,
    Decision,
    Instalment,
    InstalmentStatus,
    Meeting,
    RequestKind,
    School,
    SupportRequest,
)


@dataclass(frozen=True)
class AllocationRow:
    meeting: str
    decided_on: date | None
    school_name: str
    urn: str
    laestab: str
    school_type: str
    maintained: bool
    request_id: int
    kind: str
    main_area: str
    decision: str
    amount_pence: int
    terms: int
    instalments: int
    first_due: date | None
    last_due: date | None
    stopped_pence: int
    from_reserve: bool


@dataclass(frozen=True)
class SchoolTotal:
    school_name: str
    urn: str
    laestab: str
    maintained: bool
    awards: int
    amount_pence: int
    stopped_pence: int


@dataclass(frozen=True)
class Allocations(OfAcademicYear):
    cluster_name: str
    la_name: str
    academic_year: int
    produced_on: date
    rows: tuple[AllocationRow, ...]
    totals: tuple[SchoolTotal, ...]
    pot_lines: tuple[tuple[str, int], ...]
    financial_years: tuple[str, ...]
    fy_rows: tuple[tuple[str, str, tuple[int, ...]], ...]  # school, LAESTAB, pence per year


def is_maintained(school_type: str) -> bool:
    """Academies and free schools keep September-August accounts; the LA's own schools
    April-March."""
    kind = school_type.lower()
    return "academy" not in kind and "free school" not in kind


def financial_year(day: date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{str(start + 1)[-2:]}"


def allocations(engine: Engine, actor: Actor, academic_year: int) -> Allocations:
    """Every confirmed award made in the academic year (urgent ones too), for the LA's finance
    team."""
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        cluster = cluster_of(session, actor)
        rows = session.exec(
            select(Award, SupportRequest, School, Meeting)
            .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
            .join(School, col(School.id) == SupportRequest.school_id)
            .join(Meeting, col(Meeting.id) == Award.meeting_id)
            .where(Meeting.cluster_id == cluster.id, Meeting.academic_year == academic_year,
                   col(Award.draft).is_(False), Award.amount_pence > 0)
            .order_by(col(Meeting.held_on), col(School.name), col(Award.request_id))).all()
        lines = []
        by_fy: dict[tuple[str, str], dict[str, int]] = {}
        for award, request, school, meeting in rows:
            instalments = session.exec(select(Instalment).where(
                Instalment.award_id == award.id).order_by(col(Instalment.number))).all()
            paying = [i for i in instalments if i.status == InstalmentStatus.SCHEDULED]
            lines.append(AllocationRow(
                meeting_label(meeting),
                (award.decided_on if award.from_reserve else None) or meeting.held_on,
                school.name,
                school.urn, school.laestab, school.school_type, is_maintained(school.school_type),
                request.id or 0, RequestKind.label_of(request.kind), request.main_area,
                Decision.label_of(award.decision), award.amount_pence,
                award.terms, len(instalments), paying[0].due_on if paying else None,
                paying[-1].due_on if paying else None,
                sum(i.amount_pence for i in instalments if i.status != InstalmentStatus.SCHEDULED),
                award.from_reserve))
            if is_maintained(school.school_type):
                split = by_fy.setdefault((school.name, school.laestab), {})
                for i in paying:
                    split[financial_year(i.due_on)] = split.get(financial_year(i.due_on), 0) \
                        + i.amount_pence
        years = tuple(sorted({fy for split in by_fy.values() for fy in split}))
        pot = year_ledger(session, cluster.id or 0, academic_year).pot
        pot_lines = [(line.label, line.pence) for line in pot.lines] + [
            (AVAILABLE, pot.available_pence)]
        return Allocations(
            cluster.name, cluster.la_name, academic_year, today(), tuple(lines),
            tuple(_totals(lines)), tuple(pot_lines), years,
            tuple((name, laestab, tuple(split.get(y, 0) for y in years))
                  for (name, laestab), split in sorted(by_fy.items())))


def _totals(lines: Sequence[AllocationRow]) -> list[SchoolTotal]:
    by_school: dict[str, list[AllocationRow]] = {}
    for line in lines:
        by_school.setdefault(line.school_name, []).append(line)
    return [SchoolTotal(name, mine[0].urn, mine[0].laestab, mine[0].maintained, len(mine),
                        sum(x.amount_pence for x in mine), sum(x.stopped_pence for x in mine))
            for name, mine in sorted(by_school.items())]
