"""Sign-in sessions: a browser's token keeps it signed in until it is signed out, changed, locked
or left too long; the database holds hashes only. Times move by pinning the clock's `now`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import cluster.people.accounts as accounts
import cluster.people.sessions as sessions
from cluster.core.clock import now
from cluster.core.permissions import Actor
from cluster.demo.seed import DEMO_PASSWORD
from cluster.models import SignInSession, User
from cluster.people.accounts import (
    MAX_FAILED_SIGN_INS,
    change_own_password,
    resume_session,
    session_actor,
    sign_in,
)
from cluster.people.sessions import end_every_session, end_session, open_session, trade_code
from cluster.people.users import list_users, reset_password, set_user_active, update_user

START = now().replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[timedelta], None]:
    """Pins the time both modules read to 09:00 on the pinned day; `clock(later)` moves it on."""

    def pin(after: timedelta) -> None:
        moment: datetime = START + after
        monkeypatch.setattr(sessions, "now", lambda: moment)
        monkeypatch.setattr(accounts, "now", lambda: moment)

    pin(timedelta())
    return pin


def signed_in(engine: Engine, username: str) -> tuple[Actor, int, str]:
    """Signs in as the browser does: the password, a session, the code traded for a token."""
    actor = sign_in(engine, username, DEMO_PASSWORD).actor
    assert actor is not None
    opened = open_session(engine, actor)
    token = trade_code(engine, opened.code)
    assert token is not None
    return actor, opened.session_id, token


def test_a_token_signs_a_new_page_in_as_its_person(demo_engine: Engine,
                                                   clock: Callable[[timedelta], None]) -> None:
    actor, session_id, token = signed_in(demo_engine, "senco.ap")
    resumed = resume_session(demo_engine, token)
    assert resumed.actor == actor and resumed.session_id == session_id
    assert session_actor(demo_engine, session_id).actor == actor
    assert resume_session(demo_engine, token + "x").actor is None


def test_only_hashes_are_stored(demo_engine: Engine, clock: Callable[[timedelta], None]) -> None:
    actor = sign_in(demo_engine, "host", DEMO_PASSWORD).actor
    assert actor is not None
    opened = open_session(demo_engine, actor)
    token = trade_code(demo_engine, opened.code)
    assert token is not None
    with Session(demo_engine) as session:
        row = session.exec(select(SignInSession)).one()
    stored = " ".join(str(v) for v in row.model_dump().values())
    assert token not in stored and opened.code not in stored
    assert row.token_hash is not None and len(row.token_hash) == 64


def test_a_code_works_once_and_only_for_two_minutes(demo_engine: Engine,
                                                    clock: Callable[[timedelta], None]) -> None:
    actor = sign_in(demo_engine, "host", DEMO_PASSWORD).actor
    assert actor is not None
    first = open_session(demo_engine, actor)
    assert trade_code(demo_engine, first.code) is not None
    assert trade_code(demo_engine, first.code) is None  # a copied code is worth nothing
    late = open_session(demo_engine, actor)
    clock(timedelta(minutes=3))
    assert trade_code(demo_engine, late.code) is None
    assert trade_code(demo_engine, "") is None and trade_code(demo_engine, "x" * 500) is None


def test_two_idle_hours_sign_a_browser_out(demo_engine: Engine,
                                           clock: Callable[[timedelta], None]) -> None:
    _, session_id, token = signed_in(demo_engine, "governor")
    clock(timedelta(hours=1, minutes=59))
    assert session_actor(demo_engine, session_id).actor is not None  # and it counts as use
    clock(timedelta(hours=3, minutes=58))
    assert resume_session(demo_engine, token).actor is not None
    clock(timedelta(hours=5, minutes=58))
    ended = resume_session(demo_engine, token)
    assert ended.actor is None
    assert ended.message == "You were signed out after 2 hours without use. Sign in again to " \
                            "carry on."


def test_twelve_hours_end_a_session_however_busy(demo_engine: Engine,
                                                 clock: Callable[[timedelta], None]) -> None:
    _, session_id, _ = signed_in(demo_engine, "host")
    for hour in range(1, 12):
        clock(timedelta(hours=hour))
        assert session_actor(demo_engine, session_id).actor is not None
    clock(timedelta(hours=12))
    check = session_actor(demo_engine, session_id)
    assert check.actor is None
    assert check.message is not None and "12 hours at most" in check.message


def test_the_limits_are_settings(demo_engine: Engine, clock: Callable[[timedelta], None],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_SESSION_IDLE_MINUTES", "30")
    _, session_id, _ = signed_in(demo_engine, "host")
    clock(timedelta(minutes=31))
    check = session_actor(demo_engine, session_id)
    assert check.actor is None and check.message is not None and "30 minutes" in check.message


def test_signing_out_refuses_the_token_afterwards(demo_engine: Engine,
                                                  clock: Callable[[timedelta], None]) -> None:
    actor, session_id, token = signed_in(demo_engine, "senco.ap")
    end_session(demo_engine, actor, session_id)
    assert resume_session(demo_engine, token).actor is None
    assert resume_session(demo_engine, token).message is None  # nothing to explain
    assert session_actor(demo_engine, session_id).actor is None


def test_signing_out_of_every_device(demo_engine: Engine,
                                     clock: Callable[[timedelta], None]) -> None:
    actor, here, _ = signed_in(demo_engine, "senco.ap")
    _, laptop, token = signed_in(demo_engine, "senco.ap")
    _, other_person, _ = signed_in(demo_engine, "senco.bi")
    assert end_every_session(demo_engine, actor) == 2
    assert session_actor(demo_engine, here).actor is None
    assert resume_session(demo_engine, token).message == (
        "You were signed out: your account was signed out of every device.")
    assert session_actor(demo_engine, laptop).actor is None
    assert session_actor(demo_engine, other_person).actor is not None


def test_a_password_change_signs_out_every_other_browser(
        demo_engine: Engine, clock: Callable[[timedelta], None]) -> None:
    actor, here, _ = signed_in(demo_engine, "governor")
    _, elsewhere, _ = signed_in(demo_engine, "governor")
    change_own_password(demo_engine, actor, DEMO_PASSWORD, "a-new-password-2", keep_session=here)
    assert session_actor(demo_engine, here).actor is not None
    gone = session_actor(demo_engine, elsewhere)
    assert gone.actor is None and gone.message is not None and "password was changed" in \
        gone.message


def test_a_lock_out_signs_the_person_out(demo_engine: Engine,
                                         clock: Callable[[timedelta], None]) -> None:
    _, session_id, _ = signed_in(demo_engine, "senco.ap")
    for attempt in range(MAX_FAILED_SIGN_INS):
        sign_in(demo_engine, "senco.ap", f"guess-{attempt}")
    check = session_actor(demo_engine, session_id)
    assert check.actor is None and check.message is not None and "locked" in check.message


def host(engine: Engine) -> Actor:
    actor = sign_in(engine, "host", DEMO_PASSWORD).actor
    assert actor is not None
    return actor


def test_the_hosts_changes_to_an_account_sign_it_out(
        demo_engine: Engine, clock: Callable[[timedelta], None]) -> None:
    the_host = host(demo_engine)
    _, changed, _ = signed_in(demo_engine, "governor.ap")
    _, retitled, _ = signed_in(demo_engine, "senco.bi")
    rows = {row.username: row for row in list_users(demo_engine, the_host)}
    governor = rows["governor.ap"]
    update_user(demo_engine, the_host, governor.id, role="school", school_id=governor.school_id,
                title="SENCO", display_name=governor.display_name,
                expected_version=governor.version, drawn_from=governor.drawn_from())
    senco = rows["senco.bi"]
    update_user(demo_engine, the_host, senco.id, role=senco.role, school_id=senco.school_id,
                title="Deputy SENCO", display_name=senco.display_name,
                expected_version=senco.version, drawn_from=senco.drawn_from())
    assert session_actor(demo_engine, changed).actor is None
    assert session_actor(demo_engine, retitled).actor is not None  # a new title opens nothing new


@pytest.mark.parametrize("change", ["deactivate", "reset"])
def test_deactivating_or_resetting_a_password_signs_the_account_out(
        demo_engine: Engine, clock: Callable[[timedelta], None], change: str) -> None:
    the_host = host(demo_engine)
    _, session_id, token = signed_in(demo_engine, "head.ap")
    with Session(demo_engine) as session:
        user_id = session.exec(select(User.id).where(User.username == "head.ap")).one()
    assert user_id is not None
    if change == "deactivate":
        set_user_active(demo_engine, the_host, user_id, False)
    else:
        reset_password(demo_engine, the_host, user_id)
    assert session_actor(demo_engine, session_id).actor is None
    assert resume_session(demo_engine, token).actor is None
