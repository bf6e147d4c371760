"""Heavy read-only sums remembered per state of the data.

Every transaction that changes anything also writes a fresh random stamp into the one `DataStamp`
row (the hooks below run on every SQLAlchemy session, so no service can forget). A sum computed
after reading stamp S describes the data as it was at S, so it can be handed out again to anyone
who reads S later — in this process, for any user. Another app process on the same database, or
a restore from a backup, changes or brings back the stamp with the data, so nothing stale is
ever served. Role checks stay in the services: only the role-free sums are remembered.

A sum is worked out by one thread at a time: others asking for the same sum of the same data
wait for that answer rather than working it out again beside it (two people of one school
opening Finance at once each took the whole cold sum, and on a busy server both pages stuck).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from uuid import uuid4

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from cluster.models import SIGN_IN_COLUMNS, AuditEvent, DataStamp, SignInSession, User

T = TypeVar("T")

CHANGED = "cluster_changed"
STAMP_ROW = 1
MAX_REMEMBERED = 512
WAIT_FOR_OTHER_S = 60.0  # then work it out too: a sum that never ends must not hold others

Key = tuple[str, tuple[Hashable, ...]]

_lock = threading.Lock()
_remembered: OrderedDict[Key, object] = OrderedDict()
_working: dict[Key, tuple[int, threading.Event]] = {}  # sums being worked out, and by whom
_counts = {"hits": 0, "misses": 0}


def remembered(session: Session, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """`compute()` for the data this session sees, or the answer already worked out for exactly
    that data. `key` names the sum and its arguments (include the day when the sum depends on it).
    """
    if _has_changes(session):
        return compute()  # uncommitted changes are not the state any stamp names
    stamp = current_stamp(session)  # read first: what compute() then sees is at least this new
    if stamp is None:
        return compute()
    full_key = (stamp, key)
    me = threading.get_ident()
    with _lock:
        if full_key in _remembered:
            return _hit(full_key)  # type: ignore[return-value]  # the key names compute()
        owner, done = _working.setdefault(full_key, (me, threading.Event()))
    if owner != me:
        done.wait(WAIT_FOR_OTHER_S)
        with _lock:
            if full_key in _remembered:
                return _hit(full_key)  # type: ignore[return-value]  # the key names compute()
        return compute()  # the other thread failed or is still at it
    try:
        value = compute()
        with _lock:
            _counts["misses"] += 1
            _remembered[full_key] = value
            while len(_remembered) > MAX_REMEMBERED:
                _remembered.popitem(last=False)
        return value
    finally:
        with _lock:
            if _working.get(full_key, (None,))[0] == me:
                del _working[full_key]
        done.set()


def _hit(full_key: Key) -> object:
    """The remembered answer, counted (call holding `_lock`)."""
    _remembered.move_to_end(full_key)
    _counts["hits"] += 1
    return _remembered[full_key]


def current_stamp(session: Session) -> str | None:
    return session.exec(select(DataStamp.stamp).where(DataStamp.id == STAMP_ROW)).first()


def forget_everything() -> None:
    with _lock:
        _remembered.clear()
        _counts.update(hits=0, misses=0)


def counts() -> dict[str, int]:
    """Hits and misses since the last `forget_everything()` (for tests and benchmarks)."""
    with _lock:
        return dict(_counts)


def _has_changes(session: OrmSession) -> bool:
    return bool(session.info.get(CHANGED) or session.new or session.dirty or session.deleted)


@event.listens_for(OrmSession, "before_flush")
def _note_flushed_changes(session: OrmSession, _context: Any, _instances: Any) -> None:
    if any(_changes_a_figure(row) for row in session.new | session.deleted):
        session.info[CHANGED] = True
    elif any(_changes_a_figure(row, dirty=True) for row in session.dirty):
        session.info[CHANGED] = True


def _changes_a_figure(row: object, dirty: bool = False) -> bool:
    """False for what people's coming and going writes: restamping on it would throw away every
    remembered sum each time a school opens a list (an audited read), a browser moves about (its
    sign-in session) or someone signs in (the user's sign-in columns)."""
    if isinstance(row, AuditEvent | SignInSession):
        return False
    if dirty and isinstance(row, User):
        state = inspect(row)
        return any(attribute.history.has_changes() for attribute in state.attrs
                   if attribute.key not in SIGN_IN_COLUMNS)
    return True


@event.listens_for(OrmSession, "do_orm_execute")
def _note_statement_changes(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[CHANGED] = True


@event.listens_for(OrmSession, "before_commit")
def _restamp(session: OrmSession) -> None:
    session.flush()  # commit would flush after this hook; the stamp must see those changes too
    if not session.info.pop(CHANGED, False):
        return
    result = session.execute(update(DataStamp).where(col(DataStamp.id) == STAMP_ROW)
                             .values(stamp=uuid4().hex))
    if result.rowcount == 0:  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
        session.add(DataStamp(id=STAMP_ROW, stamp=uuid4().hex))
        session.flush()
    session.info.pop(CHANGED, None)


@event.listens_for(OrmSession, "after_rollback")
def _forget_rolled_back(session: OrmSession) -> None:
    session.info.pop(CHANGED, None)
