"""Meeting deadlines, derived from the meeting's date so a moved meeting moves its deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

REQUESTS_DUE_DAYS_BEFORE = 14
PAPERS_OUT_DAYS_BEFORE = 7
# The host's half-day preparation meeting with the LA Senior Adviser before each meeting (FAQ 17):
# the working morning before the papers go out, so what it settles reaches the papers.
PREPARATION_STARTS = time(9, 30)
PREPARATION_ENDS = time(12, 30)


@dataclass(frozen=True)
class Deadlines:
    requests_due: date
    papers_out: date
    # Reviews booked at a meeting are due on its day: the meeting is where they are heard.
    reviews_due: date
    preparation: date  # the host meets the LA Senior Adviser


def working_day_before(day: date) -> date:
    earlier = day - timedelta(days=1)
    while earlier.weekday() >= 5:  # Saturday or Sunday
        earlier -= timedelta(days=1)
    return earlier


def deadlines_for(held_on: date) -> Deadlines:
    return Deadlines(
        requests_due=held_on - timedelta(days=REQUESTS_DUE_DAYS_BEFORE),
        papers_out=held_on - timedelta(days=PAPERS_OUT_DAYS_BEFORE),
        reviews_due=held_on,
        preparation=working_day_before(held_on - timedelta(days=PAPERS_OUT_DAYS_BEFORE)),
    )
