from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.models import AuditEvent
from cluster.people.accounts import change_own_password, sign_in
from cluster.people.users import (
    create_user,
    list_users,
    reset_password,
    set_user_active,
    update_user,
)
from tests.helpers.actors import actor


def audit_actions(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return [e.action for e in session.exec(select(AuditEvent)).all()]


def school_id(engine: Engine, username: str) -> int:
    found = actor(engine, username).school_id
    assert found is not None
    return found


def test_host_creates_a_senco_who_must_set_a_new_password(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    made = create_user(demo_engine, host, username="new.senco", display_name="Alex Moore",
                       role="school", school_id=school_id(demo_engine, "senco.bi"), title="SENCO")
    first = sign_in(demo_engine, "new.senco", made.one_time_password)
    assert first.actor is not None and first.actor.must_change_password
    change_own_password(demo_engine, first.actor, made.one_time_password, "my-own-pass-42")
    again = sign_in(demo_engine, "new.senco", "my-own-pass-42")
    assert again.actor is not None and not again.actor.must_change_password
    assert "create_user" in audit_actions(demo_engine)


@pytest.mark.parametrize(("values", "field", "problem"), [
    ({"username": "x"}, "Username", "3 to 80"),
    ({"display_name": " "}, "Name", "Name is required"),
    ({"role": "school", "school_id": None}, "School", "belong to one school"),
    ({"username": "host"}, "Username", "already taken"),
    ({"role": "pupil"}, "Role", "choose one of the roles offered"),  # never validator words
    ({"display_name": "A" * 500}, "Name", "120 characters at most, 500 typed"),
    ({"email": "not-an-email"}, "E-mail", "'not-an-email' is not an e-mail address"),
])
def test_bad_new_accounts_are_refused_and_nothing_is_written(
        demo_engine: Engine, values: dict[str, object], field: str, problem: str) -> None:
    host = actor(demo_engine, "host")
    before = len(list_users(demo_engine, host))
    arguments = {"username": "fresh.user", "display_name": "Fresh User", "role": "governor",
                 "school_id": None, "title": ""} | values
    with pytest.raises(InvalidInput) as refused:
        create_user(demo_engine, host, **arguments)  # type: ignore[arg-type]  # bad values on purpose
    assert refused.value.field == field
    assert problem in refused.value.problem
    assert len(list_users(demo_engine, host)) == before


def test_only_the_host_administers_users(demo_engine: Engine) -> None:
    for username in ("senco.ap", "governor", "la.adviser"):
        with pytest.raises(NotAllowed):
            list_users(demo_engine, actor(demo_engine, username))
    with pytest.raises(NotAllowed):
        create_user(demo_engine, actor(demo_engine, "head.ap"), username="sneaky",
                    display_name="Sneaky", role="host", school_id=None)


def test_deactivate_and_reactivate_never_delete(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    target = next(u for u in list_users(demo_engine, host) if u.username == "head.gw")
    set_user_active(demo_engine, host, target.id, False)
    assert sign_in(demo_engine, "head.gw", "cluster-demo-1").actor is None
    assert any(u.username == "head.gw" and not u.active for u in list_users(demo_engine, host))
    set_user_active(demo_engine, host, target.id, True)
    assert sign_in(demo_engine, "head.gw", "cluster-demo-1").actor is not None
    with pytest.raises(InvalidInput, match="your own account"):
        set_user_active(demo_engine, host, host.user_id, False)


def test_reset_password_lifts_the_lock_and_shows_a_one_time_password(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    for _ in range(5):
        sign_in(demo_engine, "senco.cp", "wrong-password-0")
    target = next(u for u in list_users(demo_engine, host) if u.username == "senco.cp")
    assert target.locked
    made = reset_password(demo_engine, host, target.id)
    result = sign_in(demo_engine, "senco.cp", made.one_time_password)
    assert result.actor is not None and result.actor.must_change_password
    with Session(demo_engine) as session:
        row = session.exec(select(AuditEvent).where(AuditEvent.action == "reset_password")).one()
    assert made.one_time_password not in str(row.after)


def test_role_change_is_stale_safe(demo_engine: Engine) -> None:
    host, deputy = actor(demo_engine, "host"), actor(demo_engine, "deputy")
    drawn = next(u for u in list_users(demo_engine, host) if u.username == "governor.ap")
    update_user(demo_engine, deputy, drawn.id, role="governor", school_id=None,
                title="Cluster link governor", display_name=drawn.display_name,
                expected_version=drawn.version, drawn_from=drawn.drawn_from())
    with pytest.raises(StaleEdit, match="School: Aylsham Road Primary School → no school; "
                                        "Title: SEN governor → Cluster link governor"):
        update_user(demo_engine, host, drawn.id, role="governor", school_id=drawn.school_id,
                    title="Chair of governors", display_name=drawn.display_name,
                    expected_version=drawn.version, drawn_from=drawn.drawn_from())


def test_last_sign_in_is_shown(demo_engine: Engine) -> None:
    sign_in(demo_engine, "senco.re", "cluster-demo-1")
    rows = {u.username: u for u in list_users(demo_engine, actor(demo_engine, "host"))}
    assert rows["senco.re"].last_sign_in_at is not None
    assert rows["senco.tj"].last_sign_in_at is None
