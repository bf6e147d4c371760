"""What the optimiser answers: frozen results whose mappings are read-only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Status = Literal["optimal", "time_limited", "infeasible"]
Outcome = Literal["funded_in_full", "part_funded", "not_funded", "locked"]

OUTCOME_WORDS: Mapping[str, str] = MappingProxyType({
    "funded_in_full": "funded in full",
    "part_funded": "part-funded",
    "not_funded": "not funded",
    "locked": "locked by the host",
})


def outcome_of(award: float, asked: float) -> Outcome:
    """How far a request was funded: in full at or above the amount asked, part-funded above £0."""
    if award >= asked:
        return "funded_in_full"
    return "part_funded" if award > 0 else "not_funded"


def read_only(mapping: Mapping[str, object] | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class AllocationResult:
    """A suggested split.

    `awards` and `explanations` are keyed by request reference, in request-reference order.
    `objective_value` is the need met: the sum over requests of need score x award / ask.
    `gap` is HiGHS's relative MIP gap when the time limit stopped the search (0.0 when optimal;
    infinite, with no awards, in the rare case the time ran out before any split was found).
    `cut_off_need_per_pound` is the need per pound below which the pot stopped paying (None when
    the objective is fair shares or nothing was held back by the pot).
    `timings_ms` records how long building, solving and explaining took, for the benchmark.
    """

    status: Status
    objective: str
    pot_pounds: int
    awards: Mapping[str, int]
    explanations: Mapping[str, str]
    outcomes: Mapping[str, Outcome]
    objective_value: float
    marginal_need_per_pound: float | None
    gap: float
    conflicts: tuple[str, ...] = ()
    cut_off_need_per_pound: float | None = None
    summary: str = ""
    timings_ms: Mapping[str, float] = field(default_factory=read_only)

    @property
    def total_awarded(self) -> int:
        return sum(self.awards.values())

    @property
    def requests_funded(self) -> int:
        return sum(1 for pounds in self.awards.values() if pounds > 0)


@dataclass(frozen=True)
class WhatIfPoint:
    """One point of the what-if curve: the same requests with a bigger or smaller pot."""

    pot_factor: float
    pot_pounds: int
    status: Status
    need_met: float | None
    requests_funded: int
    total_awarded: int
    gap: float


@dataclass(frozen=True)
class SchoolSummary:
    """One school's award beside its formula share and its need share, in whole pounds."""

    school_id: str
    awarded_pounds: int
    formula_share_pounds: int
    need_share_pounds: int
    requests: int
    requests_funded: int
    sentence: str
