"""The demo cluster's money beyond the formula: release plans on every year's funding rounds, the
protected pupil-tied funding (PSF) it inherited, and the LA benchmarks from the DfE national file.

Deterministic for a given clock date. Protected pupils carry a school-made reference and a year and
month of birth only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from cluster.common.calendar import AcademicYear
from cluster.common.money import pence_from_pounds
from cluster.funding.budget import load_funding_year
from cluster.funding.psf import PsfEventKind
from cluster.funding.release import spread_evenly
from cluster.imports.benchmarks import read_aggregate, replace_benchmarks
from cluster.models import (
    Cluster,
    FundingYear,
    Meeting,
    ProtectedPupil,
    ProtectedPupilEvent,
    School,
)

BENCHMARK_FILE = Path(__file__).resolve().parents[2] / "data" / "benchmarks" / "la_sen_2021.csv"


def seed_funding(session: Session, cluster: Cluster, schools: list[School], year: AcademicYear
                 ) -> None:
    session.flush()
    seed_release_plans(session, cluster)
    seed_protected_pupils(session, schools, year)
    seed_benchmarks(session)


def seed_release_plans(session: Session, cluster: Cluster) -> None:
    """Each year's available money released evenly across its funding rounds, in whole pounds."""
    assert cluster.id is not None
    years = session.exec(select(FundingYear.academic_year).where(
        FundingYear.cluster_id == cluster.id)).all()
    for academic_year in years:
        view = load_funding_year(session, cluster.id, academic_year)
        rounds = session.exec(select(Meeting).where(
            Meeting.cluster_id == cluster.id, Meeting.academic_year == academic_year,
            col(Meeting.is_funding_round).is_(True)).order_by(col(Meeting.held_on))).all()
        for meeting, pence in zip(rounds, spread_evenly(view.pot.plannable_pence, len(rounds)),
                                  strict=True):
            meeting.release_pence = pence
            session.add(meeting)
    session.flush()


@dataclass(frozen=True)
class DemoProtected:
    code: str  # the school's demo code
    number: int
    years_before: int  # birth year = the current academic year's start year − this
    birth_month: int
    phase: str
    annual_pounds: int
    event: tuple[str, int, int, int, str | None] | None = None  # kind, years back, month, day, to


# Born so that every phase is represented, some leaving this year and some years from now.
DEMO_PROTECTED: tuple[DemoProtected, ...] = (
    DemoProtected("AP", 1, 4, 11, "nursery", 4_200),
    DemoProtected("CP", 1, 3, 3, "nursery", 3_600),
    DemoProtected("CP", 2, 4, 2, "nursery", 3_900,
                  (PsfEventKind.NURSERY_TO_RECEPTION, 1, 7, 17, None)),
    DemoProtected("BI", 1, 6, 6, "primary", 6_800),
    DemoProtected("BJ", 1, 8, 5, "primary", 7_400,
                  (PsfEventKind.PLANNED_TRANSFER, 1, 9, 4, None)),
    DemoProtected("AP", 2, 9, 1, "primary", 8_200),
    DemoProtected("GW", 1, 10, 10, "primary", 5_600,
                  (PsfEventKind.MANAGED_MOVE, 0, 10, 1, None)),
    DemoProtected("TJ", 1, 10, 4, "primary", 9_100),
    DemoProtected("RE", 1, 7, 12, "primary", 6_100),
    DemoProtected("FL", 1, 9, 7, "primary", 5_200,
                  (PsfEventKind.CASUAL_MOVE, 0, 10, 12, None)),
    DemoProtected("HS", 1, 15, 2, "secondary", 12_500),
    DemoProtected("HS", 2, 14, 9, "secondary", 10_800),
    DemoProtected("HS", 3, 13, 6, "secondary", 11_900),
    DemoProtected("HS", 4, 12, 3, "secondary", 9_700),
)
# Where the pupils who moved with their funding came from.
_CAME_FROM = {("BJ", 1): "BI", ("GW", 1): "LH"}


def seed_protected_pupils(session: Session, schools: list[School], year: AcademicYear) -> None:
    from cluster.demo.schools import DEMO_SCHOOLS

    by_code = {spec.code: school for spec, school in zip(DEMO_SCHOOLS, schools, strict=True)}
    for spec in DEMO_PROTECTED:
        school = by_code[spec.code]
        start = by_code[_CAME_FROM.get((spec.code, spec.number), spec.code)]
        pupil = ProtectedPupil(school_id=school.id or 0,
                               reference=f"PSF-{spec.code}-{spec.number:02d}",
                               birth_year=year.start_year - spec.years_before,
                               birth_month=spec.birth_month, phase=spec.phase,
                               annual_amount_pence=pence_from_pounds(spec.annual_pounds))
        session.add(pupil)
        session.flush()
        if spec.event is None:
            continue
        kind, years_back, month, day, _ = spec.event
        happened = date(year.start_year - years_back + (1 if month < 9 else 0), month, day)
        ending = kind in (PsfEventKind.NURSERY_TO_RECEPTION, PsfEventKind.CASUAL_MOVE)
        session.add(ProtectedPupilEvent(pupil_id=pupil.id or 0, kind=kind, happened_on=happened,
                                        from_school_id=start.id,
                                        to_school_id=None if ending else school.id))
        if ending:
            pupil.ended_on, pupil.end_reason = happened, str(kind)
            session.add(pupil)
    session.flush()


def seed_benchmarks(session: Session) -> None:
    if BENCHMARK_FILE.exists():
        replace_benchmarks(session, read_aggregate(BENCHMARK_FILE))
