"""Finds pupil identifiers in free text, so they are refused before anything is stored.

Refused (`find_identifiers`): a UPN (a letter, 11 digits, then a digit or a letter, any case), a
10-digit number (a ULN or an NHS number, also written 3-3-4 as NHS numbers often are) and a full
date that could be a pupil's date of birth. Only warned about (`find_names`): words that look like a
person's name, since a detector cannot be sure and staff names are not pupil identifiers.

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


# --- names: warned about, never refused --------------------------------------------------------

# Common given names in England (ONS lists of baby names, and adults' names). Words that are also
# ordinary English words or months ("May", "June", "Will", "Grace", "Summer") are left out so that
# ordinary sentences do not set off the warning.
FIRST_NAMES: frozenset[str] = frozenset("""
aaron abdul abigail adam adrian aisha alex alexander alfie alice alicia amber amelia amir amy
andrew anna annie archie aria arthur ava bella ben benjamin bethany billy bobby bonnie callum
caroline charlie charlotte chloe christopher connor daisy daniel david declan dylan eleanor elijah
eliza elizabeth ella ellie emily emma ethan evelyn evie ezra fatima felix finley finn florence
frankie freddie freya gabriel george georgia gracie hamza hannah harley harper harriet harrison
harry harvey hassan heidi henry holly hugo ibrahim imogen isaac isabella isabelle isla ivy jack
jacob jake james jamie jasmine jayden jenson jessica joe joel john jonathan joseph joshua jude
julia kai katie kayden leah leo leon lewis liam lily lola louie louis lucas lucy luke luna maisie
maria martha maryam matilda matthew max maya megan mia michael millie mohammed muhammad mohammad
mila molly musa nathan niamh noah oliver olivia ollie omar oscar owen paige peter phoebe poppy
rachel reggie riley robert rory rosie ruby ryan sam samuel sara sarah scarlett sebastian sienna
sofia sophia sophie stanley stella teddy theo theodore thomas toby tommy tyler victoria william
willow yusuf zachary zara zoe
""".split())
_NOT_SURNAMES = frozenset("""
year years reception nursery school primary junior infant high academy cluster team class group
and or the with of to in on
""".split())
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Master)\.?\s+"
                     r"[A-Z](?:[a-z]+|['’][A-Z][a-z]+)(?:-[A-Z][a-z]+)*")
_WORD = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")
_POSSESSIVE = re.compile(r"['’]s$")


def find_names(text: str) -> list[str]:
    """Words that look like a person's name: a title with a surname, or a common given name
    written with a capital (alone or followed by a surname)."""
    if not text:
        return []
    found = [m.group(0) for m in _TITLED.finditer(text)]
    words = list(_WORD.finditer(text))
    for index, word in enumerate(words):
        value = _POSSESSIVE.sub("", word.group(0))
        if not (value[0].isupper() and value[1:].islower()) or value.lower() not in FIRST_NAMES:
            continue
        name = value
        following = words[index + 1] if index + 1 < len(words) else None
        if (following is not None and text[word.end():following.start()].strip() == ""
                and following.group(0)[0].isupper()
                and following.group(0).lower() not in _NOT_SURNAMES):
            name = f"{value} {_POSSESSIVE.sub('', following.group(0))}"
        if not any(name in earlier or earlier in name for earlier in found):
            found.append(name)
    return found
