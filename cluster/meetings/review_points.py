"""Booking an award's review points when a meeting's decision (or an urgent decision) is made:
the points chosen on the decision screen, else the cluster's rule (cluster/year/review_points.py).
"""

from __future__ import annotations

from sqlmodel import Session

from cluster.models import Award
from cluster.outcomes.reviews import book_review_points


def book_reviews(session: Session, award: Award) -> None:
    """Review rows at the meetings the host chose for the award."""
    book_review_points(session, award, list(award.review_meeting_ids or []))
