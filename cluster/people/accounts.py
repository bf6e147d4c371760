"""Sign-in and accounts: local passwords (Argon2id), lock-out, and OIDC identities mapped to
users."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.core import audit
from cluster.core.clock import now
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotFound
from cluster.core.permissions import Actor
from cluster.models import AuditEvent, AuditOutcome, Cluster, Role, SignInSession, User
from cluster.people.sessions import (
    Ended,
    end_sessions_of,
    ended_message,
    expired_because,
    mark_seen,
    session_for_token,
)

MAX_FAILED_SIGN_INS = 5
LOCK_OUT_MINUTES = 15
# One answer for an unknown username, an inactive account and a wrong password, with no count of
# tries left: a count shown for real usernames only would tell which usernames are real.
SIGN_IN_REFUSED = (
    "That username and password do not match an active account. "
    f"After {MAX_FAILED_SIGN_INS} failed attempts in a row, that username is locked for "
    f"{LOCK_OUT_MINUTES} minutes."
)
MIN_PASSWORD_LENGTH = 10
REQUIRED_OIDC_KEYS: tuple[str, ...] = ("redirect_uri", "cookie_secret")
REQUIRED_PROVIDER_KEYS: tuple[str, ...] = ("client_id", "client_secret", "server_metadata_url")

_hasher = PasswordHasher()


@dataclass(frozen=True)
class SignInResult:
    actor: Actor | None
    message: str


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if password.isdigit() or password.isalpha():
        return "Mix letters with digits or symbols."
    return None


def one_time_password() -> str:
    return "-".join(secrets.token_hex(3) for _ in range(3))


def actor_of(user: User) -> Actor:
    assert user.id is not None
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        cluster_id=user.cluster_id,
        school_id=user.school_id,
        title=user.title,
        must_change_password=user.must_change_password,
    )


def _find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username.strip().lower())).first()


def _is_locked(user: User, at: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > at


@functools.cache
def _decoy_hash() -> str:
    """A hash no password matches, checked when no account has the name, so an unknown username
    takes as long to refuse as a wrong password (the time would otherwise tell which are real)."""
    return hash_password(secrets.token_urlsafe(32))


def _stored_hash(engine: Engine, username: str) -> str | None:
    with read_session(engine) as session:
        user = _find_user(session, username)
        return user.password_hash if user is not None else None


def as_typed(name: str) -> str:
    """A name someone typed at sign-in that matches no account, as the log keeps it: printable
    characters only (a pasted control character must not stop the refusal being logged)."""
    return "".join(ch for ch in name.strip() if ch.isprintable())[:80]


def sign_in(engine: Engine, username: str, password: str) -> SignInResult:
    """Checks a local password. Every attempt, good or bad, leaves an audit row.

    The deliberately slow Argon2 check runs outside the write transaction, so one sign-in never
    holds the database's write lock while it hashes.
    """
    # No account's name holds a control character, and PostgreSQL cannot even look one up.
    lookup = username if username.strip().isprintable() else ""
    stored = _stored_hash(engine, lookup)
    verified = password_matches(stored or _decoy_hash(), password) and stored is not None
    at = now()
    with write_session(engine) as session:
        user = _find_user(session, lookup)
        if user is None or not user.active or (user.is_demo and not _demo_allowed()):
            return _refuse_unknown(session, username, at)
        if _is_locked(user, at):
            audit.record(session, actor_of(user), "sign_in", entity="user", entity_id=user.id,
                         outcome=AuditOutcome.LOCKED)
            return SignInResult(None, _locked_message(user.locked_until))
        if not verified or user.password_hash != stored:
            return _record_failure(session, user, at)
        user.failed_sign_ins = 0
        user.locked_until = None
        user.last_sign_in_at = at
        session.add(user)
        audit.record(session, actor_of(user), "sign_in", entity="user", entity_id=user.id)
        return SignInResult(actor_of(user), f"Signed in as {user.display_name}.")


def _demo_allowed() -> bool:
    from cluster.core.settings import is_demo

    return is_demo()


def _record_failure(session: Session, user: User, at: datetime) -> SignInResult:
    user.failed_sign_ins += 1
    actor = actor_of(user)
    if user.failed_sign_ins >= MAX_FAILED_SIGN_INS:
        user.locked_until = at + timedelta(minutes=LOCK_OUT_MINUTES)
        user.failed_sign_ins = 0
        session.add(user)
        # Someone is guessing this password: browsers already signed in as them are signed out.
        end_sessions_of(session, actor.user_id, Ended.LOCKED_OUT)
        audit.record(session, actor, "sign_in", entity="user", entity_id=user.id,
                     outcome=AuditOutcome.LOCKED)
        return SignInResult(None, _locked_message(user.locked_until))
    session.add(user)
    audit.record(session, actor, "sign_in", entity="user", entity_id=user.id,
                 outcome=AuditOutcome.REFUSED)
    return SignInResult(None, SIGN_IN_REFUSED)


def _refuse_unknown(session: Session, username: str, at: datetime) -> SignInResult:
    """A name with no active account is answered as an account would be: refused in the same
    words, and locked after the same run of failures for the same time. Otherwise five tries
    would tell a real username (locked) from a made-up one (never locked). Its failures are
    counted from its own refused rows in the audit log; no account row is made for it."""
    typed = as_typed(username)
    same_name = (AuditEvent.action == "sign_in", col(AuditEvent.user_id).is_(None),
                 func.lower(AuditEvent.username) == typed.lower())
    locked_at = session.exec(select(func.max(AuditEvent.at))
                             .where(*same_name, AuditEvent.outcome == AuditOutcome.LOCKED)).one()
    lock_ends = locked_at + timedelta(minutes=LOCK_OUT_MINUTES) if locked_at else None
    if lock_ends is not None and _in_utc(lock_ends) > at:
        # Tries while locked are refused rows before the lock's end: they count towards nothing,
        # as an account's do not.
        audit.record(session, None, "sign_in", outcome=AuditOutcome.REFUSED, username=typed)
        return SignInResult(None, _locked_message(lock_ends))
    failures = select(func.count()).select_from(AuditEvent).where(
        *same_name, AuditEvent.outcome == AuditOutcome.REFUSED)
    if lock_ends is not None:
        failures = failures.where(AuditEvent.at > lock_ends)
    if session.exec(failures).one() + 1 >= MAX_FAILED_SIGN_INS:
        audit.record(session, None, "sign_in", outcome=AuditOutcome.LOCKED, username=typed)
        return SignInResult(None, _locked_message(at + timedelta(minutes=LOCK_OUT_MINUTES)))
    audit.record(session, None, "sign_in", outcome=AuditOutcome.REFUSED, username=typed)
    return SignInResult(None, SIGN_IN_REFUSED)


def _in_utc(moment: datetime) -> datetime:
    """A stored time read back without its zone (SQLite keeps none) is UTC, as the clock
    wrote it."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _locked_message(until: datetime | None) -> str:
    # The same words whether or not an account has the name (see `_refuse_unknown`).
    return (
        f"This username is locked after {MAX_FAILED_SIGN_INS} failed sign-ins. "
        f"Try again after {until.strftime('%H:%M') if until else 'a while'}, or ask your "
        "cluster host to reset the password."
    )


def oidc_configuration_problems(auth_section: Mapping[str, object] | None) -> list[str]:
    """What is missing from `[auth]` in secrets.toml before `st.login` can work (empty = ready)."""
    if not auth_section:
        return ["There is no [auth] section in .streamlit/secrets.toml."]
    problems = [f"[auth] needs {key}." for key in REQUIRED_OIDC_KEYS if not auth_section.get(key)]
    providers = {k: v for k, v in auth_section.items() if isinstance(v, Mapping)}
    flat_provider = all(auth_section.get(key) for key in REQUIRED_PROVIDER_KEYS)
    if not providers and not flat_provider:
        problems.append("[auth] needs client_id, client_secret and server_metadata_url "
                        "(or a provider section such as [auth.microsoft] with them).")
    for name, provider in providers.items():
        problems += [f"[auth.{name}] needs {key}." for key in REQUIRED_PROVIDER_KEYS
                     if not provider.get(key)]
    redirect = str(auth_section.get("redirect_uri", ""))
    if redirect and not redirect.endswith("/oauth2callback"):
        problems.append("[auth] redirect_uri must end with /oauth2callback.")
    return problems


def sign_in_with_identity(engine: Engine, claims: Mapping[str, object]) -> SignInResult:
    """Maps an identity provider's claims to a user row: by issuer+subject, else by e-mail once."""
    subject = f"{claims.get('iss', '')}|{claims.get('sub', '')}"
    email = str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()
    with write_session(engine) as session:
        user = session.exec(select(User).where(User.oidc_subject == subject)).first()
        if user is None and email:
            user = session.exec(select(User).where(func.lower(User.email) == email)).first()
            if user is not None and user.oidc_subject is None:
                user.oidc_subject = subject
        if user is None or not user.active:
            audit.record(session, None, "sign_in_oidc", outcome=AuditOutcome.REFUSED,
                         username=as_typed(email))
            return SignInResult(None, "Your organisation account is not linked to a user here. "
                                      "Ask your cluster host to add you with this e-mail address.")
        user.last_sign_in_at = now()
        session.add(user)
        audit.record(session, actor_of(user), "sign_in_oidc", entity="user", entity_id=user.id)
        return SignInResult(actor_of(user), f"Signed in as {user.display_name}.")


@audit.mutating("change_own_password")
def change_own_password(engine: Engine, actor: Actor, current: str, new: str,
                        keep_session: int | None = None) -> None:
    """Every other browser signed in as this person is signed out; the one that changed the
    password (`keep_session`) stays signed in."""
    problem = password_problem(new)
    if problem:
        raise InvalidInput("New password", problem)
    if current == new:
        raise InvalidInput("New password", "Choose a password different from the current one.")
    stored = _stored_hash(engine, actor.username)
    if not password_matches(stored, current):
        raise InvalidInput("Current password", "That is not your current password.")
    new_hash = hash_password(new)
    with write_session(engine) as session:
        user = session.get(User, actor.user_id)
        if user is None or user.password_hash != stored:
            raise InvalidInput("Current password", "Your password was changed meanwhile; "
                                                   "sign in again.")
        user.password_hash = new_hash
        user.must_change_password = False
        session.add(user)
        end_sessions_of(session, actor.user_id, Ended.PASSWORD_CHANGED, keep=keep_session)
        audit.record(session, actor, "change_own_password", entity="user", entity_id=user.id,
                     before={"password": "old"}, after={"password": "new"})


@dataclass(frozen=True)
class SessionCheck:
    """Who a browser's session signs in, or (actor None) why it no longer does: `message` is for
    the sign-in page, None when there is nothing to explain (no session, or signed out)."""

    session_id: int | None
    actor: Actor | None
    message: str | None = None


def _live_actor(session: Session, row: SignInSession | None) -> SessionCheck:
    """The session's person as they are now, when the session may still be used (it is marked
    seen), else why not."""
    if row is None:
        return SessionCheck(None, None)
    at = now()
    because = expired_because(row, at)
    user = session.get(User, row.user_id)
    if because is None and (user is None or not user.active or _is_locked(user, at)
                            or (user.is_demo and not _demo_allowed())):
        because = Ended.DEACTIVATED
    if because is not None or user is None:
        return SessionCheck(row.id, None, ended_message(because or Ended.DEACTIVATED))
    mark_seen(session, row, at)
    return SessionCheck(row.id, actor_of(user))


def resume_session(engine: Engine, token: str) -> SessionCheck:
    """A new page (a reload, a new tab, a link) whose browser holds a sign-in cookie."""
    with write_session(engine) as session:
        return _live_actor(session, session_for_token(session, token))


def session_actor(engine: Engine, session_id: int) -> SessionCheck:
    """Checked on every run of a signed-in page, so a sign-out elsewhere, a role change or the
    idle limit takes effect at the next click. A read, and a write at most once a minute."""
    with read_session(engine) as session:
        row = session.get(SignInSession, session_id)
        check = _live_actor(session, row)
        touched = row is not None and row in session.dirty
    if touched:
        with write_session(engine) as session:
            row = session.get(SignInSession, session_id)
            if row is not None and row.ended_at is None:
                mark_seen(session, row, now())
    return check


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role_label: str
    title: str
    school_name: str


def demo_accounts(engine: Engine) -> list[DemoAccount]:
    """The demo users, for the sign-in page; empty outside demo mode, whatever the database
    holds."""
    from cluster.core.settings import is_demo
    from cluster.models import Role, School

    if not is_demo():
        return []
    with read_session(engine) as session:
        rows = session.exec(
            select(User, School.name).join(School, col(User.school_id) == School.id, isouter=True)
            .where(User.is_demo, User.active).order_by(col(User.id))
        ).all()
        return [DemoAccount(u.username, Role.label_of(u.role), u.title, name or "")
                for u, name in rows]


def record_refused_view(engine: Engine, actor: Actor | None, view: str) -> None:
    """A page opened by someone whose role may not see it: logged, as every refusal is."""
    with write_session(engine) as session:
        audit.record(session, actor, "view_refused", entity="view", outcome=AuditOutcome.REFUSED,
                     after={"view": view[:80]})


def command_line_host(engine: Engine, username: str | None = None) -> Actor:
    """Whom a command run on the server acts as: the named host account, or, when the database
    holds one cluster, its first active host account (the host before the deputy). A command
    that changes records needs a person for the audit log, and only a host may run it."""
    with read_session(engine) as session:
        hosts = select(User).where(User.role == Role.HOST, User.active).order_by(col(User.id))
        if username:
            user = session.exec(hosts.where(User.username == username.strip().lower())).first()
            if user is None:
                raise NotFound(f"No active host account is called {username!r}.")
            return actor_of(user)
        clusters = session.exec(select(Cluster.id)).all()
        if len(clusters) != 1:
            raise NotFound("The database holds no cluster or several: name the host account "
                           "with --as USERNAME.")
        user = session.exec(hosts.where(User.cluster_id == clusters[0])).first()
        if user is None:
            raise NotFound("The cluster has no active host account.")
        return actor_of(user)
