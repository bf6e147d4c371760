"""What is left to award this academic year, for the "amount above what is left" check: the
year's budget from the funding service (available for new awards, less this year's part of every
award, earlier years' running on included, net of money returned)."""

from __future__ import annotations

from sqlmodel import Session, select

from cluster.funding.budget import year_budget_for
from cluster.models import FundingYear


def left_to_award_pence(session: Session, cluster_id: int, academic_year: int) -> int | None:
    """None when the year's pot is not set up."""
    funding = session.exec(select(FundingYear).where(
        FundingYear.cluster_id == cluster_id, FundingYear.academic_year == academic_year)).first()
    if funding is None:
        return None
    return year_budget_for(session, cluster_id, academic_year).unawarded_pence
