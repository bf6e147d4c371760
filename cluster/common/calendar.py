"""English school calendar: academic years (1 Sept - 31 Aug), half-terms and year groups.

Half-term boundaries vary by LA and year; these are the typical Norfolk ones, fixed so that every
screen agrees which half-term "today" is in.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

HALF_TERMS: tuple[str, ...] = (
    "Autumn 1",
    "Autumn 2",
    "Spring 1",
    "Spring 2",
    "Summer 1",
    "Summer 2",
)

# (month, day) on which each half-term starts, counted within the academic year.
_HALF_TERM_STARTS: tuple[tuple[int, int], ...] = (
    (9, 1), (10, 28), (1, 1), (2, 17), (4, 15), (6, 1))


@dataclass(frozen=True)
class AcademicYear:
    start_year: int

    @property
    def starts(self) -> date:
        return date(self.start_year, 9, 1)

    @property
    def ends(self) -> date:
        return date(self.start_year + 1, 8, 31)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{str(self.start_year + 1)[-2:]}"

    def contains(self, day: date) -> bool:
        return self.starts <= day <= self.ends


class OfAcademicYear:
    """Mixed into a screen's record for one academic year: the year's words ("2026/27") come from
    its `academic_year` by AcademicYear's rule, never stored beside it, so a screen cannot show a
    year and words that disagree."""

    academic_year: int

    @property
    def year_label(self) -> str:
        return AcademicYear(self.academic_year).label


def academic_year_of(day: date) -> AcademicYear:
    return AcademicYear(day.year if day.month >= 9 else day.year - 1)


def year_choices(on_record: Iterable[int], on: date, *, ahead: int = 0) -> list[int]:
    """The academic years a year picker offers, oldest first: every year with something on record,
    this year (chosen first), and the `ahead` years after it that can be set up in advance."""
    current = academic_year_of(on).start_year
    return sorted(set(on_record) | {current + n for n in range(ahead + 1)})


def half_term_start(academic_year: AcademicYear, half_term: str) -> date:
    index = HALF_TERMS.index(half_term)
    month, day = _HALF_TERM_STARTS[index]
    year = academic_year.start_year if month >= 9 else academic_year.start_year + 1
    return date(year, month, day)


def half_term_of(day: date) -> str:
    year = academic_year_of(day)
    current = HALF_TERMS[0]
    for name in HALF_TERMS:
        if half_term_start(year, name) <= day:
            current = name
    return current


def age_on_31_august(birth_year: int, birth_month: int, academic_year: AcademicYear) -> int:
    """Age at the 31 August before the academic year starts (the rule that sets year groups)."""
    if not 1 <= birth_month <= 12:
        raise ValueError(f"Birth month must be 1 to 12, not {birth_month}")
    age = academic_year.start_year - birth_year
    return age - 1 if birth_month >= 9 else age


def year_group_label(age_on_31_august_value: int) -> str:
    """Aged 4 -> Reception, 5 -> Year 1 ... 15 -> Year 11."""
    if age_on_31_august_value < 4:
        return "Nursery"
    if age_on_31_august_value == 4:
        return "Reception"
    if age_on_31_august_value <= 15:
        return f"Year {age_on_31_august_value - 4}"
    return "Post-16"


YEAR_GROUPS: tuple[str, ...] = ("Nursery", "Reception") + tuple(f"Year {n}" for n in range(1, 12))

# The year groups a school of each phase teaches (schools.phase): a primary school is never
# offered Years 7-11. An unknown phase is offered every year group rather than none.
_PHASE_YEARS: dict[str, tuple[str, str]] = {
    "nursery": ("Nursery", "Nursery"), "infant": ("Nursery", "Year 2"),
    "junior": ("Year 3", "Year 6"), "primary": ("Nursery", "Year 6"),
    "secondary": ("Year 7", "Year 11"), "all-through": ("Nursery", "Year 11"),
}


def year_groups_for(phase: str) -> tuple[str, ...]:
    first, last = _PHASE_YEARS.get(phase, (YEAR_GROUPS[0], YEAR_GROUPS[-1]))
    return YEAR_GROUPS[YEAR_GROUPS.index(first):YEAR_GROUPS.index(last) + 1]


def format_date(day: date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def meeting_in_year(half_term: str, academic_year: int, held_on: date) -> str:
    """"Autumn 1 2025/26 (15/10/2025)": for lists that run across years."""
    return f"{half_term} {AcademicYear(academic_year).label} ({format_date(held_on)})"


def meeting_on(half_term: str, held_on: date) -> str:
    """"Spring 1 meeting on 20/01/2027": for a sentence, where the date says which year."""
    return f"{half_term} meeting on {format_date(held_on)}"


_DAY = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*")


def date_problem(text: str) -> str | None:
    """Why `text` is not a DD/MM/YYYY date, in plain words, or None when it is one. An impossible
    day is refused with the reason ("February 2027 has 28 days"), never moved to a real one."""
    match = _DAY.fullmatch(text or "")
    if match is None:
        return f"'{(text or '')[:20]}' is not a date: write it as DD/MM/YYYY, such as 03/03/2027"
    day, month, year = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"{text.strip()} is not a date: there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return (f"{text.strip()} is not a date: {calendar.month_name[month]} {year} has "
                f"{days} days")
    return None


def parse_date(text: str) -> date:
    """A DD/MM/YYYY date; ValueError with `date_problem`'s words when it is not one."""
    problem = date_problem(text)
    if problem is not None:
        raise ValueError(problem)
    day, month, year = (int(part) for part in _DAY.fullmatch(text).groups())  # type: ignore[union-attr]
    return date(year, month, day)


def half_terms_from(academic_year: AcademicYear, first: str, count: int) -> list[tuple[int, str]]:
    """`count` half-terms starting at `first`, as (academic year start, half-term), across years."""
    index = HALF_TERMS.index(first)
    return [(academic_year.start_year + (index + n) // len(HALF_TERMS),
             HALF_TERMS[(index + n) % len(HALF_TERMS)]) for n in range(count)]


def award_half_terms(academic_year: int, first: str, terms: int) -> list[tuple[int, str]]:
    """The half-terms an award runs: a term is two half-terms, from the half-term it starts."""
    return half_terms_from(AcademicYear(academic_year), first, 2 * terms)


def half_term_order(academic_year: int, half_term: str) -> tuple[int, int]:
    return academic_year, HALF_TERMS.index(half_term)
