"""What is left to award this academic year, for the "amount above what is left" check.

A stand-in until the funding service (another engineer's, in `cluster/funding/`) offers one: the
money available for new awards (the LA formula, carried forward and re-distributed money, less
top-slices and the reserve, via `cluster.funding.build_pot`) less the awards agreed at this year's
meetings. It matches the host's home page figure. To swap it, replace the body of
`left_to_award_pence`; the checks only see the number.
"""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from cluster.funding import build_pot
from cluster.models import Award, CensusSnapshot, FundingYear, Meeting, School, TopSlice


def left_to_award_pence(session: Session, cluster_id: int, academic_year: int) -> int | None:
    """None when the year's pot is not set up."""
    available = _available_pence(session, cluster_id, academic_year)
    if available is None:
        return None
    awarded = session.exec(
        # Net of unspent money returned when a review stopped or completed an award (issue 9).
        select(func.coalesce(func.sum(Award.amount_pence - Award.returned_pence), 0))
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(Meeting.cluster_id == cluster_id, Meeting.academic_year == academic_year,
               Award.amount_pence > 0)
    ).one()
    return available - int(awarded)


def _available_pence(session: Session, cluster_id: int, academic_year: int) -> int | None:
    funding = session.exec(select(FundingYear).where(
        FundingYear.cluster_id == cluster_id, FundingYear.academic_year == academic_year)).first()
    if funding is None:
        return None
    slices = session.exec(select(TopSlice).where(TopSlice.funding_year_id == funding.id)).all()
    pot = build_pot(
        schools=_pupils_by_school(session, cluster_id),
        per_pupil_rate_pence=funding.per_pupil_rate_pence,
        fixed_sum_pence=funding.fixed_sum_per_school_pence,
        carried_forward_pence=funding.carried_forward_pence,
        psf_redistributed_pence=funding.psf_redistributed_pence,
        top_slices=[(s.label, s.amount_pence) for s in slices],
        reserve_percent=funding.reserve_percent,
    )
    return pot.available_pence


def _pupils_by_school(session: Session, cluster_id: int) -> list[tuple[str, int]]:
    rows = []
    for school in session.exec(select(School).where(School.cluster_id == cluster_id)).all():
        snapshot = session.exec(
            select(CensusSnapshot).where(CensusSnapshot.school_id == school.id)
            .order_by(col(CensusSnapshot.census_year).desc()).limit(1)
        ).first()
        rows.append((school.name, snapshot.pupils if snapshot else 0))
    return rows
