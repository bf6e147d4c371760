"""The optimiser: a suggested split of a funding round's pot, with reasons a host can read aloud.

    from cluster.optimiser import allocate, what_if, AllocationInput, RequestInput, SchoolLimit

    result = allocate(AllocationInput(pot_pounds=48_000, requests=(...), school_limits=(...),
                                      objective="need_per_pound", time_limit_s=10.0))

Rules every split keeps:

* each award is £0, or between the request's minimum and its ask, in whole pounds;
* a locked request gets exactly the host's figure (any whole pounds from £0 to its ask);
* awards add up to no more than the pot; each school stays within its cap, and gets at least its
  floor, as far as its requests ask for (a floor never asks for more than the requests do);
* the same requests, in any order, get the same awards.

Two ways to split ("objectives"):

**need_per_pound** (the default) meets the most need: a request funded in full meets all of its
need score, one funded at half its ask meets half. Money goes where it meets most need per pound,
except that a request is never funded below its minimum, so sometimes a smaller request with a
little less need per pound is funded instead of a big one that would not fit. See
`need_per_pound` for the model and `rounding` for whole pounds and ties.

**fair_shares** reads each award as a share of its ask. A request with more need never gets a
smaller share than one with less need (only a school's cap, where it is what stops a request, may
hold that request back, and only a school's floor may lift one, as little as possible). Within
that, as many requests as possible reach their minimum; then the smallest share among funded
requests is made as large as possible; then any money still free goes where it meets most need.
See `fair_shares`.

Clashing numbers (a lock above its ask, a negative pot, locks and floors that need more than the
pot) give status "infeasible" and the clashes in words, never an exception; nonsense input (a
negative ask, a minimum above the ask, a request listed twice, an unknown objective) raises
`ValueError` with a message for the screen.

The models are stated in PuLP and solved by HiGHS through PuLP's in-process interface
(`pulp.HiGHS`; see `solving` and `highs_model`); when its time limit stops the search the status
is "time_limited" and `gap` is HiGHS's relative MIP gap; it is never reported as optimal.
This package never imports Streamlit or the database.
"""

from cluster.optimiser.allocate import DEFAULT_POT_FACTORS, allocate, need_met, what_if
from cluster.optimiser.inputs import (
    OBJECTIVES,
    AllocationInput,
    Objective,
    RequestInput,
    SchoolLimit,
)
from cluster.optimiser.reporting import SUGGESTION_COLUMNS, school_summary, suggestion_rows
from cluster.optimiser.results import (
    OUTCOME_WORDS,
    AllocationResult,
    Outcome,
    SchoolSummary,
    Status,
    WhatIfPoint,
)

__all__ = [
    "DEFAULT_POT_FACTORS",
    "OBJECTIVES",
    "OUTCOME_WORDS",
    "SUGGESTION_COLUMNS",
    "AllocationInput",
    "AllocationResult",
    "Objective",
    "Outcome",
    "RequestInput",
    "SchoolLimit",
    "SchoolSummary",
    "Status",
    "WhatIfPoint",
    "allocate",
    "need_met",
    "school_summary",
    "suggestion_rows",
    "what_if",
]
