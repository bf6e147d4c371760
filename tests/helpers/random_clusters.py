"""Random small clusters' protected pupils, for the disclosure audit's tests and bench: shaped like
the demo's (6-14 schools, most with 0-3 protected pupils, a few with more, funding ending in any of
the next six years, £3,000-£15,000 a year in whole pounds); and a year's awards to given schools
(most with 0-3 awards, a few with more, and 0-4 urgent awards from the reserve). Seeded, so a
failure can be rerun."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.disclosure.audit import AuditResult, audit
from cluster.funding.budget import AwardForBudget
from cluster.funding.protected_figures import forecast_pattern
from cluster.funding.psf import ProtectedFunding, release_forecast
from cluster.funding.release import AwardRun
from cluster.meetings.context import meetings_of
from cluster.models import Award, SupportRequest
from cluster.reporting.disclosure_audit import audit_reader
from tests.helpers.actors import actor

FROM_YEAR = 2026
# The demo's readers of hidden figures: the cluster governor, a school's governor, the LA adviser.
DEMO_READERS = ("governor", "governor.ap", "la.adviser")


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


def award_at_funding_rounds(engine: Engine, seed: int) -> None:
    """A random year's awards (`random_awards`) added to the demo cluster, each at one of this
    year's funding rounds, for one of its school's requests there."""
    draw = random.Random(seed)
    with Session(engine) as session:
        meetings = [m for m in meetings_of(session, 1)
                    if m.academic_year == FROM_YEAR and m.is_funding_round]
        requests = session.exec(select(SupportRequest.school_id, SupportRequest.id)
                                .where(col(SupportRequest.meeting_id).in_(
                                    [m.id for m in meetings]))).all()
        by_school: dict[int, list[int]] = {}
        for school_id, request_id in requests:
            by_school.setdefault(school_id, []).append(request_id or 0)
        for award in random_awards(seed, sorted(by_school)):
            session.add(Award(request_id=draw.choice(by_school[award.school_id]),
                              meeting_id=draw.choice(meetings).id or 0, decision="full",
                              amount_pence=award.run.amount_pence, terms=award.run.terms,
                              from_reserve=award.from_reserve))
        session.commit()


def audit_random_year(engine: Engine, seed: int) -> list[ReaderCheck]:
    """The demo with a random year's awards (`award_at_funding_rounds`), audited for each of
    `DEMO_READERS` over every page they see."""
    award_at_funding_rounds(engine, seed)
    return [ReaderCheck(username, audit_reader(engine, actor(engine, username)))
            for username in DEMO_READERS]
