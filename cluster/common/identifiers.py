"""Finds pupil identifiers in free text, so they are refused before anything is stored.

Refused (`find_identifiers`): a UPN (a letter, 11 digits, then a digit or a letter, any case), a
10-digit number (a ULN or an NHS number, also written 3-3-4 as NHS numbers often are) and a full
date that could be a pupil's date of birth. People's names are found by `pupil_names`; every field
goes through both in `text_check`.

Dates: a request legitimately mentions recent dates ("assessed on 14/03/2026"), so a full date
counts as a possible date of birth when it falls between 25 and 2 years before today (the ages of
pupils and young people in school), or whatever its year when "born", "DOB", "birthday" or "date of
birth" comes just before it. A month and year alone ("March 2016") is never refused: it is what the
toolkit itself records for pupil-tied funding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cluster.core.clock import today

UPN_PATTERN = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]\d{11}[0-9A-Za-z](?![0-9A-Za-z])")
TEN_DIGIT_PATTERN = re.compile(r"(?<!\d)(?:\d{10}|\d{3}[ -]\d{3}[ -]\d{4})(?!\d)")

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_WORD = "(?P<month_word>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 12/03/2015, 12-3-15, 12.03.2015 (day first, as in England)
    re.compile(r"(?<!\d)(?P<day>\d{1,2})\s?[/.\-]\s?(?P<month>\d{1,2})\s?[/.\-]\s?"
               r"(?P<year>\d{4}|\d{2})(?!\d)"),
    # 2015-03-12
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    # 12 March 2015, 12th of Mar 2015
    re.compile(r"(?<![0-9A-Za-z])(?P<day>\d{1,2})" + _ORDINAL + r"\s+(?:of\s+)?" + _MONTH_WORD
               + r",?\s+(?P<year>\d{4}|'?\d{2})(?![0-9A-Za-z])", re.IGNORECASE),
    # March 12, 2015
    re.compile(r"(?<![A-Za-z])" + _MONTH_WORD + r"\s+(?P<day>\d{1,2})" + _ORDINAL
               + r",?\s+(?P<year>\d{4})(?!\d)", re.IGNORECASE),
)
_BIRTH_WORDS = re.compile(
    r"(born|d\.?\s?o\.?\s?b\.?|birthday|date of birth|birth date)\W*(on\W*)?$", re.IGNORECASE)
OLDEST_PUPIL_YEARS = 25
YOUNGEST_PUPIL_YEARS = 2


@dataclass(frozen=True)
class Identifier:
    kind: str  # "UPN", "ULN or NHS number", "date of birth"
    text: str

    @property
    def explanation(self) -> str:
        if self.kind == "UPN":
            return (f"contains what looks like a UPN ({self.text}); never enter a pupil's UPN, "
                    "use the school's pseudonymous reference")
        if self.kind == "ULN or NHS number":
            return (f"contains a 10-digit number ({self.text}) that could be a ULN or an NHS "
                    "number; remove it")
        return (f"contains a full date that could be a date of birth ({self.text}); give the "
                "year group, or the month and year only")


def find_identifiers(text: str, on: date | None = None) -> list[Identifier]:
    """Every UPN, ULN/NHS number and possible date of birth in the text, in order."""
    if not text:
        return []
    found = [Identifier("UPN", m.group(0)) for m in UPN_PATTERN.finditer(text)]
    found += [Identifier("ULN or NHS number", m.group(0)) for m in TEN_DIGIT_PATTERN.finditer(text)]
    found += [Identifier("date of birth", d) for d in _possible_birth_dates(text, on or today())]
    return found


def _possible_birth_dates(text: str, on: date) -> list[str]:
    hits: list[str] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            day = _parsed(match)
            if day is None:
                continue
            just_before = text[max(0, match.start() - 30):match.start()]
            near_birth_word = bool(_BIRTH_WORDS.search(just_before))
            if near_birth_word or _pupil_age_range(on)[0] <= day <= _pupil_age_range(on)[1]:
                if match.group(0) not in hits:
                    hits.append(match.group(0))
    return hits


def _pupil_age_range(on: date) -> tuple[date, date]:
    return (date(on.year - OLDEST_PUPIL_YEARS, 1, 1),
            date(on.year - YOUNGEST_PUPIL_YEARS, 12, 31))


def _parsed(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    month_word = groups.get("month_word")
    month = _MONTHS[month_word.lower().rstrip(".")] if month_word else int(groups["month"])
    year_text = groups["year"].lstrip("'")
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year <= today().year % 100 else 1900
    try:
        return date(year, month, int(groups["day"]))
    except ValueError:
        return None
