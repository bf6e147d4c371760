"""Review points of an award made at a meeting: the reviews service chooses and books them.

The meeting keeps its own view of later meetings (`LaterMeeting` in `rules`); this turns it into the
reviews service's, so the decision screens and the confirmation agree on one rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from cluster.meetings.rules import LaterMeeting
from cluster.models import Award, Meeting
from cluster.outcomes.reviews import LaterMeeting as ReviewsLater
from cluster.outcomes.reviews import book_review_points, default_review_points


def default_points(meeting: Meeting, later: Sequence[LaterMeeting], terms: int) -> list[int]:
    """The meetings at which an award made at `meeting` and running `terms` terms is reviewed."""
    return default_review_points(meeting.academic_year, meeting.half_term, terms,
                                 [ReviewsLater(m.id, m.academic_year, m.half_term, m.held_on)
                                  for m in later])


def book_reviews(session: Session, award: Award, later: Sequence[LaterMeeting]) -> None:
    """Review rows at the meetings the host chose for the award."""
    book_review_points(session, award, list(award.review_meeting_ids or []))
