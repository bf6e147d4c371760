"""Protected pupil-tied funding (Norfolk's Pupil Specific Funding, PSF), as pure rules.

FAQ 3-6 of the LA's sheet: the money stays with the child until the end of their current phase,
judged by age (date of birth), never by the year group they are taught in; it ends on transfer from
nursery to Reception and on a casual admission elsewhere; it follows the child on a managed move and
on a planned transfer inside the phase (infant to junior school). Released money goes back to the
LA, which re-distributes it to all clusters by the cluster formula.

Only the year and month of birth are ever used (or stored): they fix the academic year a child
starts Reception, because the year group comes from the age on 31 August (DESIGN.md §3).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from cluster.core.labelled import LabelledEnum

PSF_PHASES: tuple[str, ...] = ("nursery", "primary", "secondary")
# Academic years after the Reception year in which the phase's last year falls:
# nursery ends the year before Reception, Year 6 is six years on, Year 11 eleven years on.
_LAST_YEAR_AFTER_RECEPTION: dict[str, int] = {"nursery": -1, "primary": 6, "secondary": 11}
EARLIEST_BIRTH_YEAR = 1900
LATEST_BIRTH_YEAR = 2200


class PsfEventKind(LabelledEnum):
    NURSERY_TO_RECEPTION = ("nursery_to_reception",
                            "Moved from nursery to Reception (funding ends)")
    CASUAL_MOVE = "casual_move", "Casual admission to another school (funding ends)"
    MANAGED_MOVE = "managed_move", "Managed move (funding follows the child)"
    PLANNED_TRANSFER = ("planned_transfer", "Planned transfer inside the phase, e.g. infant to "
                                            "junior (funding follows the child)")


ENDING_EVENTS = frozenset({PsfEventKind.NURSERY_TO_RECEPTION, PsfEventKind.CASUAL_MOVE})
FOLLOWING_EVENTS = frozenset({PsfEventKind.MANAGED_MOVE, PsfEventKind.PLANNED_TRANSFER})

END_OF_PHASE = "end of phase"


def check_birth(birth_year: int, birth_month: int) -> None:
    if isinstance(birth_year, bool) or not isinstance(birth_year, int):
        raise ValueError(f"Birth year must be a whole number, not {birth_year!r}")
    if isinstance(birth_month, bool) or not isinstance(birth_month, int):
        raise ValueError(f"Birth month must be a whole number from 1 to 12, not {birth_month!r}")
    if not 1 <= birth_month <= 12:
        raise ValueError(f"Birth month must be 1 to 12, not {birth_month}")
    if not EARLIEST_BIRTH_YEAR <= birth_year <= LATEST_BIRTH_YEAR:
        raise ValueError(f"Birth year {birth_year} is not a plausible year of birth")


def check_phase(phase: str) -> str:
    if phase not in PSF_PHASES:
        known = ", ".join(f'"{p}"' for p in PSF_PHASES)
        raise ValueError(f"Phase must be one of {known}, not {phase!r}")
    return phase


def reception_year(birth_year: int, birth_month: int) -> int:
    """The academic year (by its starting calendar year) in which the child turns 5: Reception.

    Aged 4 on 31 August → Reception. A child born January-August turns 5 in the spring or summer of
    the academic year that starts four years after the birth year; September-December births are a
    year later.
    """
    check_birth(birth_year, birth_month)
    return birth_year + 4 if birth_month <= 8 else birth_year + 5


def psf_end_date(birth_year: int, birth_month: int, phase: str) -> date:
    """The 31 August that ends the academic year in which the child, by age, finishes `phase`.

    >>> psf_end_date(birth_year=2016, birth_month=8, phase="primary")
    datetime.date(2027, 8, 31)
    """
    check_phase(phase)
    last_year_starts = reception_year(birth_year, birth_month) + _LAST_YEAR_AFTER_RECEPTION[phase]
    return date(last_year_starts + 1, 8, 31)


# --- one pupil's funding through events ---------------------------------------------------------


@dataclass(frozen=True)
class PsfEvent:
    kind: str
    on: date
    to_school: str | None = None  # the receiving school for a managed move or planned transfer


@dataclass(frozen=True)
class FundedSpell:
    school: str
    starts: date | None  # None: from before the toolkit's records
    ends: date


@dataclass(frozen=True)
class PsfOutcome:
    """Where the funding sits and when (and why) it ends, once the events are applied."""

    school: str
    ends_on: date
    end_reason: str
    spells: tuple[FundedSpell, ...]

    def funded_on(self, day: date) -> bool:
        return day <= self.ends_on


def apply_events(*, birth_year: int, birth_month: int, phase: str, school: str,
                 events: Iterable[PsfEvent]) -> PsfOutcome:
    """Walk the child's events in date order and say where the funding is and when it ends.

    Events after the funding has ended change nothing (the money has gone back to the LA).
    """
    phase_end = psf_end_date(birth_year, birth_month, phase)
    ordered = sorted(events, key=lambda e: e.on)
    current, since = school, None
    spells: list[FundedSpell] = []
    for event in ordered:
        check_event(event, phase)
        if event.on > phase_end:
            break
        if event.kind in ENDING_EVENTS:
            spells.append(FundedSpell(current, since, event.on))
            return PsfOutcome(current, event.on, event.kind, tuple(spells))
        assert event.to_school is not None
        spells.append(FundedSpell(current, since, event.on))
        current, since = event.to_school, event.on
    spells.append(FundedSpell(current, since, phase_end))
    return PsfOutcome(current, phase_end, END_OF_PHASE, tuple(spells))


def check_event(event: PsfEvent, phase: str) -> None:
    if event.kind not in PsfEventKind.labels():
        raise ValueError(f"Unknown event {event.kind!r}")
    if event.kind in FOLLOWING_EVENTS and not (event.to_school or "").strip():
        raise ValueError("A managed move or planned transfer must name the receiving school")
    if event.kind == PsfEventKind.NURSERY_TO_RECEPTION and phase != "nursery":
        raise ValueError("Only a child funded in the nursery phase moves from nursery to Reception")


# --- what the cluster's schools release, year by year --------------------------------------------


@dataclass(frozen=True)
class ProtectedFunding:
    """One protected pupil as the forecast needs it: no reference, no pupil detail."""

    school: str
    ends_on: date
    annual_pence: int


@dataclass(frozen=True)
class ReleaseForecastRow:
    academic_year: int  # starting calendar year
    school: str
    pupils_protected: int  # pupils funded during the year
    protected_pence: int  # their annual funding during the year
    pupils_leaving: int  # whose funding ends at the end of the year
    released_pence: int  # the annual funding that goes back to the LA after the year


def release_forecast(pupils: Sequence[ProtectedFunding],
                     from_year: int) -> list[ReleaseForecastRow]:
    """Year by year and school by school from `from_year`, until the last protected pupil leaves.

    A pupil counts in every academic year up to the one their funding ends in; the annual amount is
    released at the end of that year (back to the LA, to be re-distributed by formula).
    """
    rows: list[ReleaseForecastRow] = []
    still_funded = [p for p in pupils if p.ends_on >= date(from_year, 9, 1)]
    if not still_funded:
        return rows
    last_year = max(_year_ending(p.ends_on) for p in still_funded)
    schools = sorted({p.school for p in still_funded})
    for year in range(from_year, last_year + 1):
        for school in schools:
            funded = [p for p in still_funded
                      if p.school == school and _year_ending(p.ends_on) >= year]
            if not funded:
                continue
            leaving = [p for p in funded if _year_ending(p.ends_on) == year]
            rows.append(ReleaseForecastRow(year, school, len(funded),
                                           sum(p.annual_pence for p in funded), len(leaving),
                                           sum(p.annual_pence for p in leaving)))
    return rows


def _year_ending(day: date) -> int:
    """The academic year (start year) that contains `day`."""
    return day.year if day.month >= 9 else day.year - 1
