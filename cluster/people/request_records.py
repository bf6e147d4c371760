"""A request's records: the tables holding what was asked, decided and reviewed for one support
request, and how each hangs off the request (directly, through an award, or through a review).

The subject-access export, the retention policy's erasure and deletion, and the search for names
in stored text all walk these, so a table added under a request is added here once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from cluster.models import (
    Award,
    CostLine,
    ImpactRecord,
    Instalment,
    Reconsideration,
    RequestOutcome,
    RequestPupil,
    Review,
    ReviewOutcome,
    StatusChange,
    SupportRequest,
    UrgentDecision,
)

# Which requests: a subquery (a cluster's requests) or the ids themselves (one request).
Requests = SelectOfScalar[int | None] | Collection[int | None]


@dataclass(frozen=True)
class RecordTable:
    """One table and the record each of its rows belongs to."""

    table: type[SQLModel]
    # "request", "award" or "review"; outside a request's records, "cluster" or "meeting"
    parent: str
    link: str  # the column naming the parent ("id" when the row is the request itself)

    def of(self, requests: Requests) -> ColumnElement[bool]:
        """The table's rows belonging to these requests, as a condition."""
        return col(getattr(self.table, self.link)).in_(ids_of(self.parent, requests))

    def rows(self, requests: Requests) -> SelectOfScalar[Any]:
        """The table's rows belonging to these requests, oldest first."""
        return select(self.table).where(self.of(requests)).order_by(
            col(self.table.id))  # type: ignore[attr-defined]  # every record table has an id column


def ids_of(parent: str, requests: Requests) -> Requests:
    """The ids of these requests' records of one kind: the requests, their awards or the awards'
    reviews."""
    if parent == "request":
        return requests
    awards = select(col(Award.id)).where(col(Award.request_id).in_(requests))
    if parent == "award":
        return awards
    if parent == "review":
        return select(col(Review.id)).where(col(Review.award_id).in_(awards))
    raise ValueError(f"a {parent}'s records do not hang off a request")


REQUEST = RecordTable(SupportRequest, "request", "id")
HISTORY = RecordTable(StatusChange, "request", "request_id")
PUPILS = RecordTable(RequestPupil, "request", "request_id")
OUTCOMES = RecordTable(RequestOutcome, "request", "request_id")
COST_LINES = RecordTable(CostLine, "request", "request_id")
AWARDS = RecordTable(Award, "request", "request_id")
URGENT_DECISIONS = RecordTable(UrgentDecision, "request", "request_id")
RECONSIDERATIONS = RecordTable(Reconsideration, "award", "award_id")
INSTALMENTS = RecordTable(Instalment, "award", "award_id")
IMPACT = RecordTable(ImpactRecord, "award", "award_id")
REVIEWS = RecordTable(Review, "award", "award_id")
REVIEW_OUTCOMES = RecordTable(ReviewOutcome, "review", "review_id")

# Every table of a request's records, each after the tables its rows name (an award before its
# reviews and its urgent decision, an outcome before the costed lines, reviews and impact records
# naming it), so deleting them in the reverse order never leaves a row naming a deleted one.
RECORD_TABLES: tuple[RecordTable, ...] = (
    REQUEST, HISTORY, PUPILS, OUTCOMES, COST_LINES, AWARDS, URGENT_DECISIONS, RECONSIDERATIONS,
    INSTALMENTS, IMPACT, REVIEWS, REVIEW_OUTCOMES)
