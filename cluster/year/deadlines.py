"""Meeting deadlines, derived from the meeting's date so a moved meeting moves its deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

REQUESTS_DUE_DAYS_BEFORE = 14
PAPERS_OUT_DAYS_BEFORE = 7


@dataclass(frozen=True)
class Deadlines:
    requests_due: date
    papers_out: date
    # Reviews booked at a meeting are due on its day: the meeting is where they are heard.
    reviews_due: date


def deadlines_for(held_on: date) -> Deadlines:
    return Deadlines(
        requests_due=held_on - timedelta(days=REQUESTS_DUE_DAYS_BEFORE),
        papers_out=held_on - timedelta(days=PAPERS_OUT_DAYS_BEFORE),
        reviews_due=held_on,
    )
