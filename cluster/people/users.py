"""User administration by the host: create, change role and school, deactivate and reactivate,
reset a password. Users are never deleted, because the audit log refers to them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core import audit
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotAllowed, NotOpenToYou
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.core.versioning import check_not_stale
from cluster.models import Role, School, User, UserCreate
from cluster.people.accounts import hash_password, one_time_password
from cluster.people.sessions import Ended, end_sessions_of

FIELD_LABELS = {"username": "Username", "display_name": "Name", "role": "Role",
                "school_id": "School", "title": "Title", "email": "E-mail"}
ROLES_WITH_SCHOOL = frozenset({Role.SCHOOL})


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    title: str
    school_id: int | None
    school_name: str
    email: str
    active: bool
    locked: bool
    last_sign_in_at: datetime | None
    must_change_password: bool
    version: int

    def drawn_from(self) -> dict[str, object]:
        return {"role": self.role, "school_id": self.school_id, "title": self.title,
                "display_name": self.display_name, "active": self.active}


@dataclass(frozen=True)
class NewCredentials:
    username: str
    one_time_password: str


def staff_names(session: Session, cluster_id: int | None) -> tuple[str, ...]:
    """The names on the cluster's accounts: the toolkit writes them into minutes and papers, so
    the one text check lets them pass where a typed name is asked about."""
    return tuple(session.exec(select(User.display_name)
                              .where(User.cluster_id == cluster_id)).all())


def _row(user: User, school_name: str | None) -> UserRow:
    assert user.id is not None
    from cluster.core.clock import now

    return UserRow(user.id, user.username, user.display_name, user.role,
                   Role.label_of(user.role), user.title, user.school_id,
                   school_name or "", user.email or "", user.active,
                   user.locked_until is not None and user.locked_until > now(),
                   user.last_sign_in_at, user.must_change_password, user.version)


def list_users(engine: Engine, actor: Actor) -> list[UserRow]:
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        rows = session.exec(
            select(User, School.name).join(School, col(User.school_id) == School.id, isouter=True)
            .where((User.cluster_id == actor.cluster_id) | (User.role == Role.LA_ADVISER))
            .order_by(User.role, User.username)
        ).all()
        return [_row(user, name) for user, name in rows]


def _validated(values: dict[str, object]) -> UserCreate:
    email = values.get("email")
    if isinstance(email, str) and not _EMAIL.fullmatch(email.strip()):
        raise InvalidInput("E-mail", f"'{email[:60]}' is not an e-mail address: it needs a name, "
                                     "an @ and the school's domain, such as "
                                     "senco@school.norfolk.sch.uk")
    try:
        return UserCreate.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = FIELD_LABELS.get(str(first["loc"][0]), str(first["loc"][0]))
        raise InvalidInput(field, _plain(first, values.get(str(first["loc"][0])))) from error


# A name, an @ and a domain with a dot: what a mail server would take, in plain terms.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def _plain(problem: Mapping[str, Any], given: object) -> str:
    """A validator's problem in the users' words, never its internals ("String should have at
    most 120 characters")."""
    kind = str(problem.get("type", ""))
    context = problem.get("ctx") or {}
    if kind == "string_too_long":
        typed = f", {len(given):,} typed" if isinstance(given, str) else ""
        return f"{int(context.get('max_length', 0)):,} characters at most{typed}"
    if kind == "enum":
        return "choose one of the roles offered"
    return str(problem.get("msg", "is not valid")).removeprefix("Value error, ")


def _check_school(session: Session, actor: Actor, role: str, school_id: int | None) -> None:
    if role in ROLES_WITH_SCHOOL and school_id is None:
        raise InvalidInput("School", "A headteacher or SENCO must belong to one school.")
    if school_id is None:
        return
    school = session.get(School, school_id)
    if school is None or school.cluster_id != actor.cluster_id:
        raise InvalidInput("School", "Choose one of the cluster's schools.")


@audit.mutating("create_user")
def create_user(engine: Engine, actor: Actor, *, username: str, display_name: str, role: str,
                school_id: int | None, title: str = "", email: str | None = None) -> NewCredentials:
    """Creates the account with a one-time password the person must change at first sign-in."""
    require(can_manage_cluster(actor))
    data = _validated({"username": username, "display_name": display_name, "role": role,
                       "title": title, "school_id": school_id, "email": email or None,
                       "cluster_id": actor.cluster_id})
    if data.role == Role.LA_ADVISER:
        raise NotAllowed("LA adviser accounts are created by the local authority, not a cluster.")
    password = one_time_password()
    password_hash = hash_password(password)  # slow on purpose: kept outside the write lock
    with write_session(engine) as session:
        _check_school(session, actor, data.role, data.school_id)
        if session.exec(select(User).where(User.username == data.username)).first():
            raise InvalidInput("Username", f"{data.username} is already taken.")
        if data.email and session.exec(select(User).where(User.email == data.email)).first():
            raise InvalidInput("E-mail", "Another account already uses that e-mail address.")
        user = User(**data.model_dump(), password_hash=password_hash,
                    must_change_password=True)
        session.add(user)
        session.flush()
        audit.record(session, actor, "create_user", entity="user", entity_id=user.id,
                     after={"username": user.username, "role": user.role,
                            "school_id": user.school_id})
    return NewCredentials(data.username, password)


def _describe(session: Session, field: str, value: object) -> str:
    if field == "school_id":
        school = session.get(School, value) if isinstance(value, int) else None
        return school.name if school else "no school"
    if field == "role":
        return Role.label_of(str(value))
    return str(value)


def _own_user(session: Session, actor: Actor, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.cluster_id != actor.cluster_id:
        raise NotOpenToYou("user", user_id)
    return user


@audit.mutating("update_user")
def update_user(engine: Engine, actor: Actor, user_id: int, *, role: str, school_id: int | None,
                title: str, display_name: str, expected_version: int,
                drawn_from: dict[str, object]) -> UserRow:
    require(can_manage_cluster(actor))
    data = _validated({"username": "placeholder", "display_name": display_name, "role": role,
                       "title": title, "school_id": school_id})
    with write_session(engine) as session:
        user = _own_user(session, actor, user_id)
        check_not_stale(session, user, expected_version=expected_version, drawn_from=drawn_from,
                        entity="user", labels=FIELD_LABELS,
                        describe=lambda field, value: _describe(session, field, value))
        _check_school(session, actor, data.role, data.school_id)
        if user.id == actor.user_id and data.role != Role.HOST:
            raise InvalidInput("Role", "You cannot remove your own host role; ask the deputy.")
        before = {"role": user.role, "school_id": user.school_id, "title": user.title}
        if (user.role, user.school_id) != (data.role, data.school_id):
            # What their open pages show was chosen for the old role or school.
            end_sessions_of(session, user_id, Ended.ACCOUNT_CHANGED)
        user.role, user.school_id, user.title = data.role, data.school_id, data.title
        user.display_name = data.display_name
        session.add(user)
        session.flush()
        audit.record(session, actor, "update_user", entity="user", entity_id=user.id,
                     before=before, after={"role": user.role, "school_id": user.school_id,
                                           "title": user.title})
        school = session.get(School, user.school_id) if user.school_id else None
        return _row(user, school.name if school else None)  # _check_school found it above


@audit.mutating("set_user_active")
def set_user_active(engine: Engine, actor: Actor, user_id: int, active: bool) -> None:
    """Deactivating keeps the row (the audit log names it) but stops every sign-in."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        user = _own_user(session, actor, user_id)
        if user.id == actor.user_id and not active:
            raise InvalidInput("Active", "You cannot deactivate your own account.")
        before = {"active": user.active}
        user.active = active
        if not active:
            end_sessions_of(session, user_id, Ended.DEACTIVATED)
        session.add(user)
        audit.record(session, actor, "set_user_active", entity="user", entity_id=user.id,
                     before=before, after={"active": active})


@audit.mutating("reset_password")
def reset_password(engine: Engine, actor: Actor, user_id: int) -> NewCredentials:
    """A new one-time password, shown once to the host; the lock-out is lifted."""
    require(can_manage_cluster(actor))
    password = one_time_password()
    password_hash = hash_password(password)  # slow on purpose: kept outside the write lock
    with write_session(engine) as session:
        user = _own_user(session, actor, user_id)
        user.password_hash = password_hash
        user.must_change_password = True
        user.failed_sign_ins = 0
        user.locked_until = None
        session.add(user)
        end_sessions_of(session, user_id, Ended.PASSWORD_RESET)
        audit.record(session, actor, "reset_password", entity="user", entity_id=user.id,
                     before={"password": "old"}, after={"password": "one-time"})
        return NewCredentials(user.username, password)
