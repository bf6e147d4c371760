"""Random small clusters' protected pupils, for the disclosure audit's tests and bench: shaped like
the demo's (6-14 schools, most with 0-3 protected pupils, a few with more, funding ending in any of
the next six years, £3,000-£15,000 a year in whole pounds); and a year's awards to given schools
(most with 0-3 awards, a few with more, and 0-4 urgent awards from the reserve). Seeded, so a
failure can be rerun."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from cluster.disclosure.audit import AuditResult, audit
from cluster.funding.budget import AwardForBudget
from cluster.funding.protected_figures import forecast_pattern
from cluster.funding.psf import ProtectedFunding, release_forecast
from cluster.funding.release import AwardRun

FROM_YEAR = 2026


def random_pupils(seed: int) -> list[ProtectedFunding]:
    draw = random.Random(seed)
    pupils = []
    for school in range(draw.randint(6, 14)):
        many = draw.random() < 0.2
        for _ in range(draw.randint(0, 9) if many else draw.randint(0, 3)):
            ends = date(FROM_YEAR + draw.randint(1, 6), 8, 31)
            pupils.append(ProtectedFunding(f"School {school + 1}", ends,
                                           draw.randint(30, 150) * 10_000))
    return pupils


def random_awards(seed: int, school_ids: list[int]) -> list[AwardForBudget]:
    """A year's awards to these schools, made at its first meeting for one to three terms
    (£500-£6,000 in whole pounds), with 0-4 of them urgent awards from the reserve."""
    draw = random.Random(seed)
    awards = []
    for school_id in school_ids:
        many = draw.random() < 0.2
        for _ in range(draw.randint(0, 9) if many else draw.randint(0, 3)):
            awards.append(AwardForBudget(_run(draw), school_id))
    for _ in range(draw.randint(0, 4)):
        awards.append(AwardForBudget(_run(draw), draw.choice(school_ids), from_reserve=True))
    return awards


def _run(draw: random.Random) -> AwardRun:
    return AwardRun(0, FROM_YEAR, "Autumn 1", draw.randint(1, 3), draw.randint(5, 60) * 10_000)


@dataclass(frozen=True)
class ReaderCheck:
    reader: str
    result: AuditResult


def audit_random_cluster(seed: int) -> list[ReaderCheck]:
    """The forecast's pattern for the LA adviser, the cluster governor and two schools' governors,
    each audited."""
    pupils = random_pupils(seed)
    detail = release_forecast(pupils, FROM_YEAR)
    largest: dict[str, int] = {}
    for p in pupils:
        largest[p.school] = max(largest.get(p.school, 0), p.annual_pence)
    schools = sorted(largest)
    views: list[tuple[str, frozenset[str] | None]] = [("LA adviser", None),
                                                      ("Cluster governor", frozenset())]
    views += [(f"Governor of {s}", frozenset({s})) for s in schools[:2]]
    return [ReaderCheck(label, audit(forecast_pattern(detail, largest, view)))
            for label, view in views]
