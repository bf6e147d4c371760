"""The audit log as people read it: the host's for their cluster, the LA adviser's for a cluster
they choose, filtered by person, record and dates; and "who changed this" for one record.

The rows are the append-only log's own (cluster/core/audit.py): who, when, what, which fields,
and before/after values that were already made safe when written (free text is only ever "changed",
never copied), so nothing here can show a pupil's words. A row belongs to a cluster through the
account that made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func, select

from cluster.common.calendar import format_date
from cluster.core.db import read_session
from cluster.core.errors import InvalidInput
from cluster.core.permissions import Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.models import AuditEvent, AuditOutcome, Role, User

# The log is kept in UTC; people read and filter it by the day on their own (English) clocks.
LONDON = ZoneInfo("Europe/London")
ROW_LIMIT = 1000  # newest first; a narrower filter finds older rows
READER_ROLES = frozenset({Role.HOST, Role.LA_ADVISER})

# The records people ask about, in their words, and the names the log files them under (two
# services spelt the request differently before the names were settled; both are read).
RECORDS: dict[str, tuple[str, ...]] = {
    "request": ("support_request", "supportrequest", "requestpupil"),
    "award": ("award",),
    "review": ("review",),
    "meeting": ("meeting",),
    "urgent decision": ("urgent_decision",),
    "reconsideration": ("reconsideration",),
    "impact record": ("impact_record",),
    "action": ("action",),
    "user account": ("user",),
    "school": ("school",),
    "funding year": ("fundingyear", "funding_year"),
}
_WORDS = {entity: words for words, entities in RECORDS.items() for entity in entities}
# Reads leave rows too (another school's request, a pack): the log shows them, but they changed
# nothing, so "who changed this" leaves them out.
_READ_PREFIXES = ("read_", "list_")


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    record: str | None = None  # a key of RECORDS
    record_id: int | None = None
    from_day: date | None = None
    to_day: date | None = None


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    username: str
    action: str  # the service's name in words: "return for information"
    record: str  # "request 12", or "" when the action names no record
    outcome: str  # "done" or "refused"
    changes: str  # "status: submitted → returned; missing_items: changed"

    def as_row(self) -> dict[str, object]:
        return {"When": self.at.astimezone(LONDON).strftime("%d/%m/%Y %H:%M"), "Who": self.username,
                "What": self.action, "Record": self.record, "Outcome": self.outcome,
                "Changes": self.changes}


@dataclass(frozen=True)
class AuditPage:
    cluster_name: str
    lines: tuple[AuditLine, ...]
    total: int  # rows matching the filter; lines holds the newest ROW_LIMIT of them
    people: tuple[str, ...]  # everyone in the cluster with rows, for the filter


def audit_log(engine: Engine, actor: Actor, wanted: AuditFilter,
              cluster_id: int | None = None) -> AuditPage:
    """The cluster's log, newest first. The LA adviser names the cluster; a host reads their own."""
    require(has_role(actor, READER_ROLES))
    _check(wanted)
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        assert cluster.id is not None
        conditions = [*_in_cluster(cluster.id), *_matching(wanted)]
        total = session.exec(select(func.count()).select_from(AuditEvent).join(
            User, col(User.id) == AuditEvent.user_id).where(*conditions)).one()
        rows = session.exec(select(AuditEvent).join(User, col(User.id) == AuditEvent.user_id)
                            .where(*conditions).order_by(col(AuditEvent.id).desc())
                            .limit(ROW_LIMIT)).all()
        return AuditPage(cluster.name, tuple(_line(row) for row in rows), total,
                         _people(session, cluster.id))


def who_changed(engine: Engine, actor: Actor, record: str, record_id: int) -> list[AuditLine]:
    """Every change made to one record by people in the host's cluster, newest first."""
    require(has_role(actor, {Role.HOST}))
    if record not in RECORDS:
        raise InvalidInput("record", f"“{record}” is not a kind of record the log files.")
    with read_session(engine) as session:
        rows = session.exec(
            select(AuditEvent).join(User, col(User.id) == AuditEvent.user_id)
            .where(*_in_cluster(actor.cluster_id or 0),
                   col(AuditEvent.entity).in_(RECORDS[record]), AuditEvent.entity_id == record_id,
                   AuditEvent.outcome != AuditOutcome.REFUSED)
            .order_by(col(AuditEvent.id).desc())).all()
        return [_line(row) for row in rows if not row.action.startswith(_READ_PREFIXES)]


def _check(wanted: AuditFilter) -> None:
    if wanted.record is not None and wanted.record not in RECORDS:
        raise InvalidInput("record", f"“{wanted.record}” is not a kind of record the log files.")
    if wanted.record_id is not None and wanted.record is None:
        raise InvalidInput("record", "Choose what kind of record the number is (a request, an "
                                     "award…) before giving its number.")
    if wanted.from_day and wanted.to_day and wanted.from_day > wanted.to_day:
        raise InvalidInput("to_day", f"The last day ({format_date(wanted.to_day)}) is before the "
                                     f"first ({format_date(wanted.from_day)}).")


def _in_cluster(cluster_id: int) -> list[ColumnElement[bool]]:
    return [col(User.cluster_id) == cluster_id]


def _matching(wanted: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.username:
        conditions.append(col(AuditEvent.username) == wanted.username)
    if wanted.record:
        conditions.append(col(AuditEvent.entity).in_(RECORDS[wanted.record]))
    if wanted.record_id is not None:
        conditions.append(col(AuditEvent.entity_id) == wanted.record_id)
    if wanted.from_day:
        first = datetime.combine(wanted.from_day, time.min, tzinfo=LONDON)
        conditions.append(col(AuditEvent.at) >= first)
    if wanted.to_day:
        next_day = datetime.combine(wanted.to_day + timedelta(days=1), time.min,
                                    tzinfo=LONDON)
        conditions.append(col(AuditEvent.at) < next_day)
    return conditions


def _people(session: Session, cluster_id: int) -> tuple[str, ...]:
    names = session.exec(select(AuditEvent.username).join(User, col(User.id) == AuditEvent.user_id)
                         .where(*_in_cluster(cluster_id)).distinct()).all()
    return tuple(sorted(name for name in names if name))


def _line(row: AuditEvent) -> AuditLine:
    words = _WORDS.get(row.entity, row.entity.replace("_", " "))
    record = f"{words} {row.entity_id}" if row.entity_id is not None else words
    return AuditLine(row.at, row.username, row.action.replace("_", " "), record.strip(),
                     "refused" if row.outcome == AuditOutcome.REFUSED else "done",
                     _changes(row.changed_fields, row.before, row.after))


def _changes(fields: Sequence[str], before: dict[str, object], after: dict[str, object]) -> str:
    parts = []
    for name in fields:
        old, new = before.get(name), after.get(name)
        if old is None and new is None:
            parts.append(f"{name}: changed")
        else:
            parts.append(f"{name}: {_value(old)} → {_value(new)}")
    return "; ".join(parts)


def _value(value: object) -> str:
    return "–" if value is None else str(value)
