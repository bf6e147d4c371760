"""Review points, booked through the reviews service (issue 9) when it is there.

The reviews service decides the default points (halfway through an award's run and at its end) and
books the Review rows; while it is not installed, the meeting's own default and rows stand in.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from cluster.meeting_rules import LaterMeeting, default_review_meetings
from cluster.models import Award, Meeting, Review


def default_points(meeting: Meeting, later: Sequence[LaterMeeting], terms: int) -> list[int]:
    """The reviews service's default review points (issue 9), or ours while it is not there."""
    try:
        from cluster.reviews import LaterMeeting as ReviewsLater
        from cluster.reviews import default_review_points
    except ImportError:
        return default_review_meetings(later, meeting.academic_year, meeting.half_term, terms)
    return default_review_points(meeting.academic_year, meeting.half_term, terms,
                                 [ReviewsLater(m.id, m.academic_year, m.half_term, m.held_on)
                                  for m in later])


def book_reviews(session: Session, award: Award, later: Sequence[LaterMeeting]) -> None:
    """Review rows at the chosen meetings, through the reviews service when it is there."""
    chosen = list(award.review_meeting_ids or [])
    try:
        from cluster.reviews import book_review_points
    except ImportError:
        for review_meeting in later:
            if review_meeting.id in chosen:
                session.add(Review(award_id=award.id or 0, meeting_id=review_meeting.id,
                                   due_on=review_meeting.held_on))
        return
    book_review_points(session, award, chosen)
