"""The cluster's own figures for the how-to guides, so a guide can say "in our cluster now …".

Plain strings keyed by the guide's placeholder names. Governors and the LA see counts of requests
and the total asked only when at least 5 requests make them up (DESIGN.md §4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from cluster.common.calendar import format_date
from cluster.common.money import format_pounds
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.permissions import ALL_ROLES, SUPPRESSED_ROLES, Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.disclosure.suppression import HIDDEN_COUNT, is_small
from cluster.models import RequestStatus, SupportRequest
from cluster.year.deadlines import deadlines_for
from cluster.year.schedule import next_funding_round, next_meeting

GUIDE_PLACEHOLDERS: frozenset[str] = frozenset({
    "cluster_name", "next_round", "next_requests_due", "requests_received", "total_asked"})


@dataclass(frozen=True)
class GuideFigures:
    cluster_name: str
    figures: Mapping[str, str]


def guide_figures(engine: Engine, actor: Actor, cluster_id: int | None = None) -> GuideFigures:
    require(has_role(actor, ALL_ROLES))
    on = today()
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        upcoming = next_meeting(session, cluster.id or 0, on, funding_round=True)
        open_round = next_funding_round(session, cluster.id or 0, on)
        count, total = 0, 0
        if upcoming is not None:
            count, total = session.exec(
                select(func.count(), func.coalesce(func.sum(SupportRequest.amount_pence), 0))
                .where(SupportRequest.meeting_id == upcoming.id,
                       col(SupportRequest.status).in_([RequestStatus.SUBMITTED,
                                                       RequestStatus.ON_AGENDA]))).one()
        hidden = actor.role in SUPPRESSED_ROLES and is_small(count)
        figures = {
            "cluster_name": cluster.name,
            "next_round": (f"the {upcoming.half_term} meeting on {format_date(upcoming.held_on)}"
                           if upcoming else "the next funding round (none is booked yet)"),
            "next_requests_due": (format_date(deadlines_for(open_round.held_on).requests_due)
                                  if open_round else
                                  "set when the host books the next funding round"),
            "requests_received": HIDDEN_COUNT if hidden else str(count),
            "total_asked": "an amount not shown for so few requests" if hidden
            else format_pounds(int(total)),
        }
        return GuideFigures(cluster.name, MappingProxyType(figures))
