"""The cluster pot: the LA formula and the lines a governor can follow down to "available", the
release plan and budget position, and protected pupil-tied funding (PSF). Pure rules only here;
the services that read and save them are `cluster.funding.budget` and `cluster.funding.protected`,
and every figure of the year's money (released, awarded, returned, stopped, left) is read through
the one ledger, `cluster.funding.ledger`.
"""

from cluster.funding.pot import PotBreakdown, PotLine, SchoolShare, build_pot
from cluster.funding.psf import (
    PsfEvent,
    PsfEventKind,
    PsfOutcome,
    apply_events,
    psf_end_date,
    release_forecast,
)
from cluster.funding.release import (
    AwardRun,
    BudgetPosition,
    MeetingInYear,
    YearBudget,
    part_in_year,
    spread_evenly,
    year_budget,
)

__all__ = [
    "AwardRun",
    "BudgetPosition",
    "MeetingInYear",
    "PotBreakdown",
    "PotLine",
    "PsfEvent",
    "PsfEventKind",
    "PsfOutcome",
    "SchoolShare",
    "YearBudget",
    "apply_events",
    "build_pot",
    "part_in_year",
    "psf_end_date",
    "release_forecast",
    "spread_evenly",
    "year_budget",
]
