"""Sign-in sessions: what keeps a browser signed in across a reload, a new tab or a link.

Signing in opens a session and hands the browser a one-time code; the toolkit's own web route
trades the code for a random token that the browser keeps in an HttpOnly cookie. Only SHA-256
hashes of the code and the token are stored (both are long random strings, so a fast hash is
enough: nothing can be guessed from it), so a copy of the database signs nobody in.

A session ends when its person signs out, signs out of every device, changes their password, is
locked out, has their role, school or account changed by the host, or when it has gone unused
for the idle limit or reached the absolute limit (`cluster.core.settings`). An ended row stays,
saying why (its token's hash too, so a browser still holding the cookie is told why it was
signed out; an ended row signs nobody in).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core import audit
from cluster.core.clock import now
from cluster.core.db import write_session
from cluster.core.permissions import Actor
from cluster.core.settings import session_absolute_hours, session_idle_minutes
from cluster.models import SignInSession

# The code only has to survive the browser's one request that trades it for the cookie; a
# loaded machine can take a while to draw the page that sends it.
CODE_LIFETIME = timedelta(minutes=2)
# Seen-at is written at most this often: often enough for the idle limit, rarely enough that a
# busy page does not queue a write on every click.
TOUCH_EVERY = timedelta(minutes=1)


class Ended(StrEnum):
    SIGNED_OUT = "signed out"
    EVERY_DEVICE = "every device"
    PASSWORD_CHANGED = "password changed"
    PASSWORD_RESET = "password reset"
    LOCKED_OUT = "locked out"
    ACCOUNT_CHANGED = "account changed"
    DEACTIVATED = "deactivated"
    IDLE = "idle"
    TOO_LONG = "too long"


# What the sign-in page says to someone whose browser's session has ended without them signing
# out (signing out, or out of every device on this one, needs no explanation).
ENDED_MESSAGES: dict[str, str] = {
    Ended.EVERY_DEVICE: "You were signed out: your account was signed out of every device.",
    Ended.PASSWORD_CHANGED: "You were signed out: your password was changed. Sign in with the "
                            "new one.",
    Ended.PASSWORD_RESET: "You were signed out: the host reset your password.",
    Ended.LOCKED_OUT: "You were signed out: your username was locked after failed sign-ins.",
    Ended.ACCOUNT_CHANGED: "You were signed out: the host changed your account. Sign in again "
                           "to see what it now opens.",
    Ended.DEACTIVATED: "You were signed out: your account has been deactivated.",
    Ended.IDLE: "You were signed out after {idle} without use. Sign in again to carry on.",
    Ended.TOO_LONG: "You were signed out: a sign-in lasts {hours} hours at most. Sign in again "
                    "to carry on.",
}


@dataclass(frozen=True)
class OpenedSession:
    session_id: int
    code: str  # for the browser to trade for its cookie; never stored, never shown


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _in_utc(moment: datetime) -> datetime:
    """A stored time read back without its zone (SQLite keeps none) is UTC, as the clock wrote
    it."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def idle_limit() -> timedelta:
    return timedelta(minutes=session_idle_minutes())


def absolute_limit() -> timedelta:
    return timedelta(hours=session_absolute_hours())


def ended_message(because: str) -> str | None:
    """The sign-in page's words for a session that ended by itself or by someone else."""
    words = ENDED_MESSAGES.get(because)
    if words is None:
        return None
    minutes = session_idle_minutes()
    idle = f"{minutes // 60} hours" if minutes % 60 == 0 and minutes >= 120 else (
        "1 hour" if minutes == 60 else f"{minutes} minutes")
    return words.format(idle=idle, hours=session_absolute_hours())


def expired_because(row: SignInSession, at: datetime) -> str | None:
    """Why the session can no longer be used at `at`, or None while it can."""
    if row.ended_at is not None:
        return row.ended_because or Ended.SIGNED_OUT
    if at - _in_utc(row.started_at) >= absolute_limit():
        return Ended.TOO_LONG
    if at - _in_utc(row.last_seen_at) >= idle_limit():
        return Ended.IDLE
    return None


def open_session(engine: Engine, actor: Actor) -> OpenedSession:
    """Right after a successful sign-in: a session for this browser, and the one-time code the
    browser trades for its cookie (see `trade_code`)."""
    code = secrets.token_urlsafe(32)
    at = now()
    with write_session(engine) as session:
        row = SignInSession(user_id=actor.user_id, code_hash=_digest(code),
                            code_expires_at=at + CODE_LIFETIME, started_at=at, last_seen_at=at)
        session.add(row)
        session.flush()
        assert row.id is not None
        return OpenedSession(row.id, code)


def trade_code(engine: Engine, code: str) -> str | None:
    """The browser's token for a one-time code, or None when the code is unknown, used, late,
    or its session has ended. The code works once: it is wiped as the token is made."""
    if not code or len(code) > 100:
        return None
    at = now()
    with write_session(engine) as session:
        row = session.exec(select(SignInSession).where(
            SignInSession.code_hash == _digest(code))).first()
        if row is None:
            return None
        late = row.code_expires_at is None or _in_utc(row.code_expires_at) < at
        row.code_hash, row.code_expires_at = None, None
        session.add(row)
        if late or expired_because(row, at) is not None:
            return None
        token = secrets.token_urlsafe(32)
        row.token_hash = _digest(token)
        return token


def session_for_token(session: Session, token: str) -> SignInSession | None:
    if not token or len(token) > 100:
        return None
    return session.exec(select(SignInSession).where(
        SignInSession.token_hash == _digest(token))).first()


def mark_seen(session: Session, row: SignInSession, at: datetime) -> None:
    if at - _in_utc(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = at
        session.add(row)


def end_sessions_of(session: Session, user_id: int, because: str,
                    keep: int | None = None) -> int:
    """Ends every live session of the person (all but `keep`, the browser that asked); returns
    how many. Called inside the transaction that changes their password, lock or account, so the
    change and the sign-out land together."""
    at = now()
    live = session.exec(select(SignInSession).where(
        SignInSession.user_id == user_id, col(SignInSession.ended_at).is_(None))).all()
    ended = 0
    for row in live:
        if row.id == keep:
            continue
        row.ended_at, row.ended_because = at, because
        row.code_hash, row.code_expires_at = None, None
        session.add(row)
        ended += 1
    return ended


def end_session(engine: Engine, actor: Actor, session_id: int) -> None:
    """Signing out of this browser. Ending a session that has ended already changes nothing."""
    with write_session(engine) as session:
        row = session.get(SignInSession, session_id)
        if row is None or row.user_id != actor.user_id or row.ended_at is not None:
            return
        row.ended_at, row.ended_because = now(), Ended.SIGNED_OUT
        row.code_hash, row.code_expires_at = None, None
        session.add(row)
        audit.record(session, actor, "sign_out", entity="user", entity_id=actor.user_id)


def end_session_by_token(engine: Engine, token: str) -> None:
    """The web route's sign-out: ends whatever session the cookie names (the route knows the
    cookie, not the person)."""
    with write_session(engine) as session:
        row = session_for_token(session, token)
        if row is None or row.ended_at is not None:
            return
        row.ended_at, row.ended_because = now(), Ended.SIGNED_OUT
        session.add(row)


@audit.mutating("sign_out_everywhere")
def end_every_session(engine: Engine, actor: Actor) -> int:
    """"Sign out of every device": every browser signed in as this person, this one included.
    Returns how many were signed out."""
    with write_session(engine) as session:
        ended = end_sessions_of(session, actor.user_id, Ended.EVERY_DEVICE)
        audit.record(session, actor, "sign_out_everywhere", entity="user",
                     entity_id=actor.user_id, after={"sessions_ended": ended})
        return ended
