"""The release plan and the budget position at each meeting, as pure arithmetic.

The money available for new awards over the year is released across the funding-round meetings, so
the last round of the year still has money to give. An award is money for a number of terms (a term
is two half-terms) from the half-term of the meeting that made it; it is counted once, spread over
the half-terms it runs, and each academic year's budget carries only the part that falls in it — an
award made in Summer 1 for three terms is one-third this year's and two-thirds next year's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from cluster.common.calendar import award_half_terms
from cluster.common.money import format_pounds, is_whole_pounds, pence_from_pounds, whole_pounds


def spread_evenly(available_pence: int, rounds: int) -> list[int]:
    """Whole pounds for each round, the odd pounds to the earliest rounds."""
    if rounds <= 0:
        return []
    pounds = whole_pounds(max(0, available_pence))
    each, extra = divmod(pounds, rounds)
    return [pence_from_pounds(each + (1 if index < extra else 0)) for index in range(rounds)]


def income_by_round(lines: Sequence[tuple[str, int, Sequence[str]]],
                    rounds: Sequence[tuple[int, str]]) -> dict[int, list[tuple[str, int]]]:
    """Each funding round's share of the extra income lines, as (source, pence) by meeting id.

    A line (source, pence, half-terms it joins) is split in whole pounds between the year's
    funding rounds it names, the odd pounds to the earliest; a named half-term that is not a
    funding round this year takes nothing (the money stays unplanned until the host names one).
    """
    found: dict[int, list[tuple[str, int]]] = {}
    for source, pence, joins in lines:
        joined = [meeting_id for meeting_id, half_term in rounds if half_term in joins]
        for meeting_id, part in zip(joined, spread_evenly(pence, len(joined)), strict=True):
            if part:
                found.setdefault(meeting_id, []).append((source, part))
    return found


@dataclass(frozen=True)
class ReleaseProblem:
    meeting: str
    problem: str


def check_release_plan(available_pence: int, releases: Sequence[tuple[str, int]]
                       ) -> list[ReleaseProblem]:
    """Each release is whole pounds and not negative; together they cannot exceed what is
    available (releasing less is allowed: the rest stays unplanned until the host plans it)."""
    problems = [ReleaseProblem(label, "the release must be whole pounds")
                for label, pence in releases if not is_whole_pounds(pence)]
    problems += [ReleaseProblem(label, "the release cannot be negative")
                 for label, pence in releases if pence < 0]
    total = sum(pence for _, pence in releases)
    if total > max(available_pence, 0):
        problems.append(ReleaseProblem("the plan", f"releases add up to {format_pounds(total)}, "
                                       f"more than the {format_pounds(max(available_pence, 0))} "
                                       "available for new awards"))
    return problems


# --- awards, counted once in the half-terms they run ----------------------------------------------


@dataclass(frozen=True)
class AwardRun:
    """An award as the budget sees it: money, when it starts, how long it runs."""

    meeting_id: int
    academic_year: int  # of the meeting that made it
    first_half_term: str
    terms: int
    amount_pence: int  # net of any money returned


def half_term_parts(award: AwardRun) -> list[tuple[tuple[int, str], int]]:
    """The award's money per half-term it runs, in pence, adding up exactly to the award."""
    spans = award_half_terms(award.academic_year, award.first_half_term, max(award.terms, 1))
    each, extra = divmod(award.amount_pence, len(spans))
    return [(span, each + (1 if index < extra else 0)) for index, span in enumerate(spans)]


@lru_cache(maxsize=65_536)
def part_in_year(award: AwardRun, academic_year: int) -> int:
    """This academic year's part of the award (0 when it does not run in the year). Remembered:
    the year's ledger asks it of every award counting in the year, twice a redraw of a meeting's
    decisions (12,000 times on a large cluster), and an award's runs never change."""
    return sum(pence for (year, _), pence in half_term_parts(award) if year == academic_year)


# --- the budget position, meeting by meeting ----------------------------------------------------


@dataclass(frozen=True)
class MeetingInYear:
    meeting_id: int
    half_term: str
    held_on: date
    is_funding_round: bool
    release_pence: int


@dataclass(frozen=True)
class BudgetPosition:
    """The position after a meeting: what has been released, awarded and is left."""

    meeting_id: int
    half_term: str
    held_on: date
    is_funding_round: bool
    released_here_pence: int
    released_so_far_pence: int
    awarded_here_pence: int  # this year's part of the awards this meeting made
    awarded_so_far_pence: int  # including this year's part of earlier years' awards
    left_to_award_pence: int  # released so far − awarded so far (negative: overspent)
    still_to_release_pence: int  # available − released so far
    reserve_pence: int


@dataclass(frozen=True)
class YearBudget:
    academic_year: int
    available_pence: int
    reserve_pence: int
    running_on_pence: int  # this year's part of awards made in earlier years
    planned_pence: int  # the release plan's total
    positions: tuple[BudgetPosition, ...]

    @property
    def unplanned_pence(self) -> int:
        return self.available_pence - self.planned_pence

    @property
    def awarded_pence(self) -> int:
        """This year's part of every award counting against it, earlier years' included."""
        return self.positions[-1].awarded_so_far_pence if self.positions else self.running_on_pence


def year_budget(*, academic_year: int, available_pence: int, reserve_pence: int,
                meetings: Sequence[MeetingInYear], awards: Sequence[AwardRun]) -> YearBudget:
    """The budget position after each of the year's meetings, in date order.

    Only funding rounds release money. Awards made at this year's meetings count from the meeting
    that made them; awards made in earlier years count from the start of the year.
    """
    ordered = sorted(meetings, key=lambda m: m.held_on)
    this_year_ids = {m.meeting_id for m in ordered}
    running_on = sum(part_in_year(a, academic_year) for a in awards
                     if a.academic_year < academic_year and a.meeting_id not in this_year_ids)
    by_meeting: dict[int, int] = {}
    for award in awards:
        if award.meeting_id in this_year_ids:
            by_meeting[award.meeting_id] = (by_meeting.get(award.meeting_id, 0)
                                            + part_in_year(award, academic_year))
    positions = []
    released, awarded = 0, running_on
    for meeting in ordered:
        release = meeting.release_pence if meeting.is_funding_round else 0
        released += release
        here = by_meeting.get(meeting.meeting_id, 0)
        awarded += here
        positions.append(BudgetPosition(
            meeting.meeting_id, meeting.half_term, meeting.held_on, meeting.is_funding_round,
            release, released, here, awarded, released - awarded, available_pence - released,
            reserve_pence))
    planned = sum(m.release_pence for m in ordered if m.is_funding_round)
    return YearBudget(academic_year, available_pence, reserve_pence, running_on, planned,
                      tuple(positions))
