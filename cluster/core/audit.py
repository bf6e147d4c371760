"""The append-only audit log, and the registry of services that change data.

A row says who, when, what and which fields changed, with non-personal before/after values only:
free text that might describe a pupil is recorded as "changed", never copied.

Refusals are logged here too, in one place: a service decorated with `mutating` (every change) or
`refusals_logged` (the reads of pupil-level data) that raises `NotAllowed` leaves a row with
outcome "refused", the service's action, the actor, the record if known and the reason.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, ParamSpec, TypedDict, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, func, select

from cluster.core.db import write_session
from cluster.core.errors import NotAllowed
from cluster.core.permissions import Actor
from cluster.models import AuditEvent, AuditOutcome

P = ParamSpec("P")
T = TypeVar("T")

# Every service that writes registers here; a test checks each one leaves an audit row.
MUTATING_SERVICES: dict[str, Callable[..., Any]] = {}
# Every service whose refusals are logged: the writers above and the reads of pupil-level data
# (the role matrix in tests/trust checks every read here against every role).
AUDITED_SERVICES: dict[str, Callable[..., Any]] = {}

_SAFE_TYPES = (int, float, bool, type(None))

REASON_LIMIT = 200  # reasons are our own sentences; the cap only guards the log's size
# PostgreSQL's INTEGER: a number typed beyond it names no record, and would stop the row being
# written at all, so the refusal is kept without it.
ENTITY_ID_LIMIT = 2**31 - 1

_log = logging.getLogger(__name__)


class AuditCheck(TypedDict):
    enabled: bool  # set by the test suite
    missing: list[str]  # the services that changed data but wrote no audit row


# Set by the test suite: every successful call of a registered service is checked for an audit row.
AUDIT_CHECK: AuditCheck = {"enabled": False, "missing": []}


def mutating(action: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Registers a service that changes data. Its refusals are logged like any audited service's;
    while the test suite checks, a success that wrote no audit row of its own is reported."""

    def register(function: Callable[P, T]) -> Callable[P, T]:
        logged = refusals_logged(action)(function)

        @functools.wraps(function)
        def checked(*args: P.args, **kwargs: P.kwargs) -> T:
            engine = args[0] if args else None
            if not AUDIT_CHECK["enabled"] or not isinstance(engine, Engine):
                return logged(*args, **kwargs)
            before = _change_rows(engine)
            result = logged(*args, **kwargs)  # a refusal raises here: its own row is its audit
            if _change_rows(engine) <= before:
                AUDIT_CHECK["missing"].append(action)
            return result

        MUTATING_SERVICES[action] = checked
        return checked

    return register


def refusals_logged(action: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Wraps a service `(engine, actor, ...)` so a `NotAllowed` it raises, from `require` or
    directly, is written to the audit log and then re-raised unchanged. Decorating the service,
    not `require`, is what gives the row its engine, actor, action and record."""

    def register(function: Callable[P, T]) -> Callable[P, T]:
        signature = inspect.signature(function)  # once, not on every call

        @functools.wraps(function)
        def logged(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return function(*args, **kwargs)
            except NotAllowed as refusal:
                arguments = signature.bind_partial(*args, **kwargs).arguments
                log_refusal(action, refusal, arguments)
                raise

        AUDITED_SERVICES[action] = logged
        return logged

    return register


def log_refusal(action: str, refusal: NotAllowed, arguments: Mapping[str, object]) -> None:
    """Writes the refusal row in its own short transaction: the caller's has been (or will be)
    rolled back, and the row must outlive it. A failure to write is logged, never raised, so the
    person still gets the refusal rather than a database error."""
    if refusal.audit_logged:
        return  # an audited service called inside this one has logged it already
    engine = arguments.get("engine")
    if not isinstance(engine, Engine):
        return  # not called as a service (engine first): there is no log to write to
    actor = arguments.get("actor")
    entity, entity_id = refused_record(arguments)
    try:
        with write_session(engine) as session:
            session.add(refusal_event(actor if isinstance(actor, Actor) else None, action,
                                      entity, entity_id, refusal.message))
    except SQLAlchemyError:
        _log.exception("Could not log the refusal of %s", action)
        if AUDIT_CHECK["enabled"]:
            AUDIT_CHECK["missing"].append(f"{action} (refusal)")
        return
    refusal.audit_logged = True


def refused_record(arguments: Mapping[str, object]) -> tuple[str, int | None]:
    """The first `<thing>_id` argument names the record asked for: `request_id=12` → request 12.
    Other arguments (forms, references, free text) are never copied: they may describe a pupil."""
    for name, value in arguments.items():
        if name.endswith("_id") and isinstance(value, int) and not isinstance(value, bool):
            return name.removesuffix("_id"), value if abs(value) <= ENTITY_ID_LIMIT else None
    return "", None


def refusal_event(actor: Actor | None, action: str, entity: str, entity_id: int | None,
                  reason: str) -> AuditEvent:
    """A refusal changed nothing, so it has no before/after: only why it was refused. Reasons are
    the services' own sentences (roles, statuses, dates, staff names), never pupil text."""
    return AuditEvent(user_id=actor.user_id if actor else None,
                      username=actor.username if actor else "", action=action, entity=entity,
                      entity_id=entity_id, outcome=AuditOutcome.REFUSED, changed_fields=[],
                      before={}, after={"reason": reason[:REASON_LIMIT]})


def _change_rows(engine: Engine) -> int:
    """Rows other than refusals: a refusal logged inside a service never stands in for the row
    its change should have written."""
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(AuditEvent)
                                .where(AuditEvent.outcome != AuditOutcome.REFUSED)).one())


def safe_value(name: str, value: object, text_fields: frozenset[str]) -> object:
    if name in text_fields:
        return "(text changed)"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, _SAFE_TYPES):
        return value
    return str(value)[:80]


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    *,
    entity: str = "",
    entity_id: int | None = None,
    before: Mapping[str, object] | None = None,
    after: Mapping[str, object] | None = None,
    outcome: str = AuditOutcome.OK,
    username: str | None = None,
    text_fields: frozenset[str] = frozenset(),
) -> None:
    before = dict(before or {})
    after = dict(after or {})
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    session.add(
        AuditEvent(
            user_id=actor.user_id if actor else None,
            username=username if username is not None else (actor.username if actor else ""),
            action=action,
            entity=entity,
            entity_id=entity_id,
            outcome=outcome,
            changed_fields=changed,
            before={k: safe_value(k, before.get(k), text_fields) for k in changed if k in before},
            after={k: safe_value(k, after.get(k), text_fields) for k in changed if k in after},
        )
    )


def last_change_by(session: Session, entity: str, entity_id: int) -> str | None:
    # A refused attempt changed nothing, so its actor is never "who changed this".
    row = session.exec(
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id,
               AuditEvent.outcome != AuditOutcome.REFUSED)
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    return row.username if row else None
