"""When an award is reviewed: halfway through it (how is it going?) and at the last meeting before
it ends (did it work?). A cluster may drop the halfway review in its request rules
(`RequestRules.halfway_review`). This is the one rule: the decision screens, the confirmation,
urgent decisions, the host's booking and the terms of reference all read it here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from cluster.common.calendar import (
    award_half_terms,
    half_term_order,
    meeting_in_year,
)
from cluster.models import Meeting, RequestRules
from cluster.year.inherited import latest_row
from cluster.year.schedule import meetings_from

HALFWAY_AND_END = ("halfway through the award (how is it going?) and at the last meeting before "
                   "it ends (did it work?)")
END_ONLY = "at the last meeting before the award ends (did it work?)"


@dataclass(frozen=True)
class LaterMeeting:
    """A meeting after the one that makes an award: where its reviews can be booked."""

    id: int
    academic_year: int
    half_term: str
    held_on: date

    @property
    def label(self) -> str:
        return meeting_in_year(self.half_term, self.academic_year, self.held_on)

    @property
    def order(self) -> tuple[int, int]:
        return half_term_order(self.academic_year, self.half_term)


def later_meetings(session: Session, meeting: Meeting) -> list[LaterMeeting]:
    """The cluster's meetings after `meeting`, in date order."""
    rows = meetings_from(session, meeting.cluster_id, meeting.held_on + timedelta(days=1))
    return [LaterMeeting(m.id or 0, m.academic_year, m.half_term, m.held_on) for m in rows]


def review_points_text(halfway: bool) -> str:
    """The rule in the words of the terms of reference."""
    return HALFWAY_AND_END if halfway else END_ONLY


def review_meetings(academic_year: int, half_term: str, terms: int,
                    later: Sequence[LaterMeeting], *, halfway: bool = True) -> list[int]:
    """The meetings at which an award made at (academic_year, half_term) for `terms` terms is
    reviewed: the first meeting from the middle half-term of its run, and the last meeting held
    in its run. While the meetings up to its end are not set up yet, the end review is left for
    later (booked when they are)."""
    run = award_half_terms(academic_year, half_term, max(terms, 1))
    made = half_term_order(academic_year, half_term)
    meetings = sorted((m for m in later if m.order > made), key=lambda m: (m.order, m.held_on))
    final = _last_in_run(meetings, half_term_order(*run[-1]))
    middle = half_term_order(*run[len(run) // 2])
    progress = next((m for m in meetings if m.order >= middle), None) if halfway else None
    if progress is not None and final is not None and progress.held_on >= final.held_on:
        progress = None  # a short award: the end review is the only one
    return [m.id for m in (progress, final) if m is not None]


def _last_in_run(meetings: Sequence[LaterMeeting], last_half_term: tuple[int, int]
                 ) -> LaterMeeting | None:
    """The last meeting before the award ends, once the meetings to its end are set up; the first
    after it when none falls inside the run."""
    if not any(m.order >= last_half_term for m in meetings):
        return None
    inside = [m for m in meetings if m.order <= last_half_term]
    return inside[-1] if inside else next(m for m in meetings if m.order >= last_half_term)


def halfway_review(session: Session, cluster_id: int, academic_year: int) -> bool:
    """Whether the cluster's rules for the year keep the halfway review (they do by default)."""
    row = latest_row(session, RequestRules, cluster_id, academic_year)
    return row.halfway_review if row is not None else True


def review_points_for(session: Session, meeting: Meeting, later: Sequence[LaterMeeting],
                      terms: int) -> list[int]:
    """The cluster's review points for an award made at `meeting` and running `terms` terms."""
    return review_meetings(meeting.academic_year, meeting.half_term, terms, later,
                           halfway=halfway_review(session, meeting.cluster_id,
                                                  meeting.academic_year))
