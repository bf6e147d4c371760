"""The append-only audit log, and the registry of services that change data.

A row says who, when, what and which fields changed, with non-personal before/after values only:
free text that might describe a pupil is recorded as "changed", never copied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
import functools
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.models import AuditEvent
from cluster.permissions import Actor

P = ParamSpec("P")
T = TypeVar("T")

# Every service that writes registers here; a test checks each one leaves an audit row.
MUTATING_SERVICES: dict[str, Callable[..., Any]] = {}

_SAFE_TYPES = (int, float, bool, type(None))


# Set by the test suite: every successful call of a registered service is checked for an audit row.
AUDIT_CHECK: dict[str, object] = {"enabled": False, "missing": []}


def mutating(action: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    def register(function: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(function)
        def checked(*args: P.args, **kwargs: P.kwargs) -> T:
            engine = args[0] if args else None
            if not AUDIT_CHECK["enabled"] or not isinstance(engine, Engine):
                return function(*args, **kwargs)
            before = _audit_rows(engine)
            result = function(*args, **kwargs)
            if _audit_rows(engine) <= before:
                AUDIT_CHECK["missing"].append(action)  # type: ignore[union-attr]
            return result

        MUTATING_SERVICES[action] = checked
        return checked

    return register


def _audit_rows(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(AuditEvent)).one())


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
    outcome: str = "ok",
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
    row = session.exec(
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    return row.username if row else None
