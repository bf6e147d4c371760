"""The rules of a meeting, as pure functions: quorum, who stands aside, who chairs an item, which
decisions need a written reason and how an award is paid (when it is reviewed: cluster/year/
review_points.py).

No database here: the services in `attendance`, `decisions`, `payments` and `urgent` read the rows
and call these, so each rule is tested on its own and holds whichever screen reached it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cluster.common.money import (
    format_pounds,
    is_whole_pounds,
    pence_from_pounds,
    pounds_up,
)
from cluster.models import AttendanceStatus, Decision, DecisionType

CAPACITIES: tuple[str, str, str] = ("headteacher", "senco", "governor")
CAPACITY_LABELS: dict[str, str] = {"headteacher": "Headteacher", "senco": "SENCO",
                                   "governor": "Governor"}
# A school is represented when its headteacher or its SENCO is there: they speak for the school.
REPRESENTING_CAPACITIES = frozenset({"headteacher", "senco"})
ATTENDANCE_CHOICES: tuple[str, ...] = tuple(AttendanceStatus)

MIN_REASON_CHARACTERS = 10
MAX_TEXT_CHARACTERS = 2_000
MAX_TERMS = 6  # two academic years: longer support comes back as a new request


# --- attendance and quorum ------------------------------------------------------------------------

QUORUM_CHOICES: dict[float, str] = {1 / 2: "half", 3 / 5: "three-fifths", 2 / 3: "two-thirds",
                                    3 / 4: "three-quarters", 1.0: "all"}


def fraction_words(fraction: float) -> str:
    return next((words for value, words in QUORUM_CHOICES.items() if abs(value - fraction) < 1e-6),
                f"{fraction:.0%}")


@dataclass(frozen=True)
class Quorum:
    schools: int
    represented: int
    needed: int
    fraction: float
    recorded: bool  # has any attendance been taken at all

    @property
    def quorate(self) -> bool:
        return self.recorded and self.schools > 0 and self.represented >= self.needed

    @property
    def message(self) -> str:
        rule = f"at least {fraction_words(self.fraction)} of schools ({self.needed} of " \
               f"{self.schools})"
        if not self.recorded:
            return (f"Take attendance first: the quorum is {rule} represented by their "
                    "headteacher or SENCO.")
        if self.quorate:
            return f"Quorate: {self.represented} of {self.schools} schools represented ({rule})."
        return (f"Not quorate: {self.represented} of {self.schools} schools represented; the "
                f"quorum is {rule}. The meeting can discuss but cannot record decisions.")


def schools_needed(schools: int, fraction: float) -> int:
    """The fewest schools that meet the fraction (two-thirds of 12 is 8; of 10 it is 7)."""
    if not 0 < fraction <= 1:
        raise ValueError("The quorum must be more than 0% and at most 100% of schools")
    return max(1, math.ceil(schools * fraction - 1e-9)) if schools else 0


def represented_schools(marks: Iterable[tuple[int, str, bool]]) -> frozenset[int]:
    """Schools with their headteacher or SENCO present, from (school id, capacity, present)."""
    return frozenset(school for school, capacity, present in marks
                     if present and capacity in REPRESENTING_CAPACITIES)


def quorum_of(school_ids: Iterable[int], marks: Sequence[tuple[int, str, bool]],
              fraction: float) -> Quorum:
    schools = set(school_ids)
    represented = represented_schools(marks) & schools
    return Quorum(len(schools), len(represented), schools_needed(len(schools), fraction),
                  fraction, recorded=bool(marks))


# --- conflicts and the chair ----------------------------------------------------------------------


def deciding_schools(represented: Iterable[int], stood_aside: Iterable[int]) -> list[int]:
    aside = set(stood_aside)
    return sorted(school for school in set(represented) if school not in aside)


# --- what a decision needs ----------------------------------------------------------------------


def decision_for(agreed_pence: int, asked_pence: int, deferred: bool) -> str:
    if deferred:
        return Decision.DEFERRED
    if agreed_pence <= 0:
        return Decision.NONE
    return Decision.FULL if agreed_pence >= asked_pence else Decision.PART


def asked_pounds(asked_pence: int) -> int:
    """Awards are whole pounds: an ask with pence is funded in full by the next whole pound."""
    return pounds_up(asked_pence)


@dataclass(frozen=True)
class DecisionFacts:
    """What the rules look at for one decision."""

    asked_pence: int
    asked_terms: int
    agreed_pence: int
    deferred: bool
    terms: int
    suggested_pence: int | None
    suggestion_locked: bool
    reason: str
    length_reason: str
    decision_type: str
    votes_for: int | None
    votes_against: int | None
    votes_abstaining: int | None
    deciding: int  # schools that may vote on this item


def decision_problems(facts: DecisionFacts) -> list[tuple[str, str]]:
    """Every rule the decision breaks, as (field, problem) in words for the screen."""
    problems: list[tuple[str, str]] = []
    limit = pence_from_pounds(asked_pounds(facts.asked_pence))
    if facts.agreed_pence < 0 or not is_whole_pounds(facts.agreed_pence):
        problems.append(("agreed", "must be whole pounds, £0 or more"))
    elif facts.agreed_pence > limit:
        problems.append(("agreed", f"is more than the {format_pounds(limit)} asked"))
    if facts.deferred and facts.agreed_pence:
        problems.append(("agreed", "a deferred request gets £0 at this meeting"))
    if facts.agreed_pence and not 1 <= facts.terms <= MAX_TERMS:
        problems.append(("terms", f"an award runs for 1 to {MAX_TERMS} terms"))
    needs = reason_needed(facts)
    if needs and len(facts.reason.strip()) < MIN_REASON_CHARACTERS:
        problems.append(("reason", needs))
    if facts.agreed_pence and facts.terms < facts.asked_terms and \
            len(facts.length_reason.strip()) < MIN_REASON_CHARACTERS:
        problems.append(("why shorter", f"it runs for {facts.terms} of the {facts.asked_terms} "
                                        "terms asked: say why"))
    problems += _vote_problems(facts)
    return problems


def reason_needed(facts: DecisionFacts) -> str:
    """Why this decision needs a written reason ("" when it does not)."""
    if facts.deferred:
        return "every deferral needs a written reason"
    if facts.agreed_pence <= 0:
        return "every decision not to fund needs a written reason"
    if facts.suggested_pence is not None and facts.agreed_pence != facts.suggested_pence:
        return (f"it differs from the suggested {format_pounds(facts.suggested_pence)}: give a "
                "written reason")
    if facts.suggestion_locked:
        return "the suggested figure was one the host locked: give a written reason"
    return ""


def _vote_problems(facts: DecisionFacts) -> list[tuple[str, str]]:
    if facts.decision_type not in DecisionType.labels():
        return [("decision type", "choose consensus or vote")]
    if facts.decision_type == DecisionType.CONSENSUS:
        return []
    counts = (facts.votes_for, facts.votes_against, facts.votes_abstaining)
    if any(c is None or c < 0 for c in counts):
        return [("votes", "give the votes for, against and abstaining (0 or more each)")]
    total = sum(c or 0 for c in counts)
    if total > facts.deciding:
        return [("votes", f"{total} votes, but only {facts.deciding} schools may vote on this "
                          "item (one vote each; a school's own people stand aside)")]
    if (facts.votes_for or 0) <= (facts.votes_against or 0):
        return [("votes", "the vote did not carry (more votes for than against are needed); "
                          "record the decision the meeting did carry")]
    return []


# --- payments -----------------------------------------------------------------------------------
