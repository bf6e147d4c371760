"""The disclosure audit for the live data: every figure each kind of reader sees, checked at once.

Each page, download or paper that publishes suppressed figures registers a source here: a function
giving the figures one reader sees with their relations (`disclosure.figures`), built by the same
code that produces the page. The figures of every source are merged by name, so a figure shown on
two pages is one figure, and the audit (`disclosure.audit`) asks what every hidden one still
allows. The host runs it from the privacy page for the cluster governor, each school's governor
and the LA adviser.

Sources: the protected-funding forecast, the impact dashboard's outcome tables (by school, area,
kind, year, and school and year, with the sums linking them), the impact report's money (pupils,
asked, received and unmet need by school, area of need and kind of provision, year by year), the LA
consistency tables, Finance's budget position and "received this year" (with the urgent awards they
tell apart), the governors' minutes (decisions by kind with their totals, and urgent decisions),
and the governors' packs (requests by area of need, reviews due, and the budget's awarded before
and money for the round, which are Finance's figures).

Issued papers are audited as their readers hold them. The governors' minutes' figures are fixed as
issued (`minutes_year`). Each issued version of a governors' pack stored its figures, and those
are what is audited, every version (a reader may hold them all), with the pack as it reads now
only for a meeting with nothing issued (`pack_figures`); a version that shows a name with another
value than the live data (or another version) is a figure of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from cluster.core.db import read_session
from cluster.core.permissions import Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.disclosure.audit import AuditResult, audit
from cluster.disclosure.figures import FigureSet
from cluster.funding.finance_figures import finance_figures
from cluster.funding.protected import psf_forecast_figures
from cluster.meetings.minutes_figures import minutes_figures
from cluster.meetings.pack_figures import pack_figures
from cluster.models import Role, School
from cluster.outcomes.dashboard import outcome_audit_figures
from cluster.reporting.impact_report import impact_report_figures
from cluster.reporting.moderation import moderation_figures

FigureSource = Callable[[Engine, Actor, int | None], FigureSet]

SOURCES: tuple[tuple[str, FigureSource], ...] = (
    ("Protected-funding forecast", psf_forecast_figures),
    ("Impact dashboard outcomes", outcome_audit_figures),
    ("Impact report's money", impact_report_figures),
    ("LA consistency tables", moderation_figures),
    ("Finance's budget position and received this year", finance_figures),
    ("Governors' minutes", minutes_figures),
    ("Governors' packs", pack_figures),
)

SOURCES_NOTE = ("Checked so far: " + ", ".join(label.lower() for label, _ in SOURCES) + ". "
                "Other pages still hide small numbers table by table.")


@dataclass(frozen=True)
class ReaderAudit:
    """The audit of what one reader sees."""

    reader: str
    result: AuditResult
    seconds: float


def reader_figures(engine: Engine, actor: Actor, cluster_id: int | None = None) -> FigureSet:
    """Every figure this reader sees for the cluster, from every registered source."""
    figures = FigureSet()
    for _, source in SOURCES:
        figures.merge(source(engine, actor, cluster_id))
    return figures


def audit_reader(engine: Engine, actor: Actor, cluster_id: int | None = None) -> AuditResult:
    return audit(reader_figures(engine, actor, cluster_id))


def readers(engine: Engine, cluster_id: int) -> list[tuple[str, Actor]]:
    """The readers whose figures are suppressed: the cluster governor, each school's governor and
    the LA adviser, as the services see them (no account is needed to ask what they would see)."""
    with read_session(engine) as session:
        schools = session.exec(select(School.id, School.name)
                               .where(School.cluster_id == cluster_id)
                               .order_by(col(School.name))).all()
    out = [("Cluster governor", _reader(Role.GOVERNOR, cluster_id, None)),
           ("LA adviser", _reader(Role.LA_ADVISER, cluster_id, None))]
    out += [(f"Governor of {name}", _reader(Role.GOVERNOR, cluster_id, school_id))
            for school_id, name in schools]
    return out


def _reader(role: str, cluster_id: int, school_id: int | None) -> Actor:
    return Actor(user_id=0, username="", display_name="", role=role, cluster_id=cluster_id,
                 school_id=school_id)


def audit_for_host(engine: Engine, host: Actor) -> list[ReaderAudit]:
    """The host's on-demand check of the live data: one audit per reader of the host's cluster."""
    require(has_role(host, {Role.HOST}))
    with read_session(engine) as session:
        cluster_id = cluster_of(session, host).id
    assert cluster_id is not None
    results = []
    for label, reader in readers(engine, cluster_id):
        started = time.perf_counter()
        result = audit_reader(engine, reader, cluster_id)
        results.append(ReaderAudit(label, result, time.perf_counter() - started))
    return results
