"""The budget position a meeting starts from, and the money its funding round may award.

Money for this round = what the release plan has released up to and including this meeting, less
this year's part of the awards made before it (awards count in the half-terms they run, as in
`cluster.funding.release`). Urgent awards between meetings come out of the emergency reserve, not
out of a round's release, so they are left out here and taken from the reserve instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from cluster.funding.budget import load_funding_year, year_budget_for
from cluster.models import Meeting, UrgentDecision


@dataclass(frozen=True)
class RoundBudget:
    set_up: bool  # the funding year exists
    available_pence: int  # the year's money for new awards
    released_so_far_pence: int  # up to and including this meeting
    released_here_pence: int
    awarded_before_pence: int  # this year's part of awards made before this meeting
    awarded_here_pence: int  # this year's part of this meeting's (draft or final) awards
    reserve_pence: int
    reserve_used_pence: int  # urgent awards agreed this year
    pot_lines: tuple[tuple[str, int], ...]

    @property
    def for_this_round_pence(self) -> int:
        return self.released_so_far_pence - self.awarded_before_pence

    @property
    def left_after_pence(self) -> int:
        return self.for_this_round_pence - self.awarded_here_pence

    @property
    def reserve_left_pence(self) -> int:
        return self.reserve_pence - self.reserve_used_pence

    def lines(self) -> list[tuple[str, int]]:
        """The position as a host reads it aloud, line by line."""
        return [("Available for new awards this year", self.available_pence),
                ("Released by the release plan up to this meeting", self.released_so_far_pence),
                ("Awarded before this meeting (this year's part)", self.awarded_before_pence),
                ("Money for this round", self.for_this_round_pence),
                ("Agreed at this meeting so far (this year's part)", self.awarded_here_pence),
                ("Left after this meeting's decisions", self.left_after_pence),
                ("Emergency reserve", self.reserve_pence),
                ("Urgent awards from the reserve this year", self.reserve_used_pence),
                ("Reserve left", self.reserve_left_pence)]


def reserve_used(session: Session, cluster_id: int, academic_year: int) -> int:
    total = 0
    rows = session.exec(
        select(UrgentDecision.amount_pence, Meeting.academic_year)
        .join(Meeting, col(Meeting.id) == UrgentDecision.meeting_id)
        .where(Meeting.cluster_id == cluster_id,
               col(UrgentDecision.status).in_(("agreed", "ratified")))).all()
    for amount, year in rows:
        total += amount if year == academic_year else 0
    return total


def round_budget(session: Session, meeting: Meeting) -> RoundBudget:
    year = meeting.academic_year
    view = load_funding_year(session, meeting.cluster_id, year)
    budget = year_budget_for(session, meeting.cluster_id, year)
    position = next(p for p in budget.positions if p.meeting_id == meeting.id)
    here = position.awarded_here_pence
    return RoundBudget(
        set_up=view.exists, available_pence=view.pot.available_pence,
        released_so_far_pence=position.released_so_far_pence,
        released_here_pence=position.released_here_pence,
        awarded_before_pence=position.awarded_so_far_pence - position.awarded_here_pence,
        awarded_here_pence=here, reserve_pence=view.pot.reserve_pence,
        reserve_used_pence=reserve_used(session, meeting.cluster_id, year),
        pot_lines=tuple((line.label, line.pence) for line in view.pot.lines)
        + (("Available for new awards", view.pot.available_pence),))
