from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core.errors import InvalidInput
from cluster.demo.seed import DEMO_PASSWORD
from cluster.models import AuditEvent, Role, User
from cluster.people.accounts import (
    MAX_FAILED_SIGN_INS,
    SIGN_IN_REFUSED,
    change_own_password,
    demo_accounts,
    hash_password,
    oidc_configuration_problems,
    sign_in,
    sign_in_with_identity,
)


def audit_rows(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)
                                 .order_by(col(AuditEvent.id))).all())


@pytest.mark.parametrize(("username", "role"), [
    ("host", Role.HOST), ("senco.ap", Role.SCHOOL), ("governor", Role.GOVERNOR),
    ("la.adviser", Role.LA_ADVISER),
])
def test_each_role_signs_in_and_the_sign_in_is_logged(demo_engine: Engine, username: str,
                                                      role: str) -> None:
    result = sign_in(demo_engine, username.upper() + " ", DEMO_PASSWORD)
    assert result.actor is not None
    assert result.actor.role == role
    rows = audit_rows(demo_engine, "sign_in")
    assert [(r.username, r.outcome) for r in rows] == [(username, "ok")]


def test_passwords_are_stored_as_argon2_hashes(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        user = session.exec(select(User).where(User.username == "host")).one()
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert DEMO_PASSWORD not in user.password_hash


def test_a_wrong_password_is_refused_in_the_words_an_unknown_username_gets(
        demo_engine: Engine) -> None:
    """No "4 more failed attempts" for real usernames only: that would say which are real."""
    wrong = sign_in(demo_engine, "host", "not-the-password")
    unknown = sign_in(demo_engine, "no.such.person", "not-the-password")
    assert wrong.actor is None and unknown.actor is None
    assert wrong.message == unknown.message == SIGN_IN_REFUSED
    assert "more failed attempt" not in wrong.message
    assert [(r.username, r.outcome) for r in audit_rows(demo_engine, "sign_in")] == [
        ("host", "refused"), ("no.such.person", "refused")]


def test_an_unknown_username_is_checked_against_a_hash_too(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The slow Argon2 check runs for a made-up name as for a real one, so the time taken does
    not tell them apart either."""
    import cluster.people.accounts as accounts

    checked: list[str | None] = []
    real_check = accounts.password_matches
    monkeypatch.setattr(accounts, "password_matches",
                        lambda stored, password: checked.append(stored) or real_check(stored,
                                                                                       password))
    assert sign_in(demo_engine, "no.such.person", DEMO_PASSWORD).actor is None
    assert len(checked) == 1 and (checked[0] or "").startswith("$argon2id$")


def test_five_failures_answer_alike_for_a_real_and_a_made_up_username(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock-out still counts per real account; a made-up name is answered as one would be,
    locked after the same run for the same time, so locking does not reveal real usernames."""
    from datetime import timedelta

    import cluster.people.accounts as accounts

    def answers(username: str) -> list[str]:
        # The lock's end is a time of day; the two runs may straddle a minute.
        return [re.sub(r"\d\d:\d\d", "HH:MM", sign_in(demo_engine, username, f"wrong-{n}").message)
                for n in range(MAX_FAILED_SIGN_INS + 1)]

    real, made_up = answers("senco.ap"), answers("Senco.Nobody")
    assert real == made_up
    assert real[:4] == [SIGN_IN_REFUSED] * 4
    assert "locked after 5 failed sign-ins" in real[4] and real[5] == real[4]
    later = accounts.now() + timedelta(minutes=16)
    monkeypatch.setattr(accounts, "now", lambda: later)
    assert sign_in(demo_engine, "senco.nobody", "wrong-again").message == SIGN_IN_REFUSED
    assert sign_in(demo_engine, "senco.ap", DEMO_PASSWORD).actor is not None


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
        demo_engine: Engine) -> None:
    for _ in range(MAX_FAILED_SIGN_INS):
        last = sign_in(demo_engine, "senco.ap", "wrong-password-1")
    assert "locked" in last.message
    locked = sign_in(demo_engine, "senco.ap", DEMO_PASSWORD)
    assert locked.actor is None
    assert "locked after 5 failed sign-ins" in locked.message
    outcomes = [r.outcome for r in audit_rows(demo_engine, "sign_in")]
    assert outcomes == ["refused"] * 4 + ["locked", "locked"]


def test_the_lock_lifts_after_fifteen_minutes(demo_engine: Engine,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    import cluster.people.accounts as accounts

    for _ in range(MAX_FAILED_SIGN_INS):
        sign_in(demo_engine, "host", "wrong-password-1")
    later = accounts.now() + timedelta(minutes=16)
    monkeypatch.setattr(accounts, "now", lambda: later)
    assert sign_in(demo_engine, "host", DEMO_PASSWORD).actor is not None


def test_unknown_and_deactivated_users_get_the_same_answer(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        user = session.exec(select(User).where(User.username == "head.ap")).one()
        user.active = False
        session.add(user)
        session.commit()
    unknown = sign_in(demo_engine, "nobody", DEMO_PASSWORD)
    inactive = sign_in(demo_engine, "head.ap", DEMO_PASSWORD)
    assert unknown.actor is None and inactive.actor is None
    assert unknown.message == inactive.message


def test_changing_your_own_password(demo_engine: Engine) -> None:
    actor = sign_in(demo_engine, "governor", DEMO_PASSWORD).actor
    assert actor is not None
    with pytest.raises(InvalidInput, match="Current password"):
        change_own_password(demo_engine, actor, "wrong", "a-new-pass-2026")
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        change_own_password(demo_engine, actor, DEMO_PASSWORD, "short1")
    change_own_password(demo_engine, actor, DEMO_PASSWORD, "a-new-pass-2026")
    assert sign_in(demo_engine, "governor", "a-new-pass-2026").actor is not None
    rows = audit_rows(demo_engine, "change_own_password")
    assert len(rows) == 1 and "a-new-pass" not in str(rows[0].after)


def test_demo_accounts_are_listed_only_in_demo_mode(demo_engine: Engine,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = demo_accounts(demo_engine)
    assert {a.role_label for a in accounts} == {
        "Cluster SEN host", "Headteacher / SENCO", "Governor", "LA adviser"}
    monkeypatch.setenv("CLUSTER_MODE", "production")
    assert demo_accounts(demo_engine) == []


GOOD_AUTH = {
    "redirect_uri": "https://toolkit.example.org/oauth2callback",
    "cookie_secret": "a-long-random-secret",
    "microsoft": {
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url":
            "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration",
    },
}


def test_a_complete_oidc_configuration_has_no_problems() -> None:
    assert oidc_configuration_problems(GOOD_AUTH) == []
    flat = {k: v for k, v in GOOD_AUTH.items() if k != "microsoft"} | GOOD_AUTH["microsoft"]
    assert oidc_configuration_problems(flat) == []


@pytest.mark.parametrize(("change", "problem"), [
    ({"redirect_uri": ""}, "[auth] needs redirect_uri."),
    ({"cookie_secret": None}, "[auth] needs cookie_secret."),
    ({"redirect_uri": "https://toolkit.example.org/"}, "must end with /oauth2callback"),
    ({"microsoft": {"client_id": "id", "client_secret": "s"}},
     "[auth.microsoft] needs server_metadata_url."),
])
def test_oidc_configuration_problems_are_named(change: dict[str, object], problem: str) -> None:
    problems = oidc_configuration_problems(GOOD_AUTH | change)
    assert any(problem in p for p in problems), problems


def test_no_auth_section_is_a_problem() -> None:
    assert oidc_configuration_problems(None) == [
        "There is no [auth] section in .streamlit/secrets.toml."]


def test_an_identity_maps_to_the_user_by_email_then_by_subject(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        user = session.exec(select(User).where(User.username == "head.bi")).one()
        user.email = "Head@Bintree.norfolk.sch.uk"
        session.add(user)
        session.commit()
    claims = {"iss": "https://login.microsoftonline.com/t/v2.0", "sub": "abc123",
              "email": "head@bintree.norfolk.sch.uk"}
    first = sign_in_with_identity(demo_engine, claims)
    assert first.actor is not None and first.actor.username == "head.bi"
    again = sign_in_with_identity(demo_engine, {**claims, "email": "changed@example.org"})
    assert again.actor is not None and again.actor.username == "head.bi"
    assert [r.outcome for r in audit_rows(demo_engine, "sign_in_oidc")] == ["ok", "ok"]


def test_an_unknown_identity_is_refused_and_logged(demo_engine: Engine) -> None:
    result = sign_in_with_identity(demo_engine, {"iss": "x", "sub": "y", "email": "who@x.org"})
    assert result.actor is None
    assert "not linked" in result.message
    assert audit_rows(demo_engine, "sign_in_oidc")[-1].outcome == "refused"


def test_hash_password_salts_each_hash() -> None:
    assert hash_password("same-password-1") != hash_password("same-password-1")


def test_a_pasted_control_character_is_a_plain_refusal_on_every_database(
        demo_engine: Engine) -> None:
    result = sign_in(demo_engine, "ho\x00st", DEMO_PASSWORD)
    assert result.actor is None and "do not match" in result.message
    rows = audit_rows(demo_engine, "sign_in")
    assert rows[-1].outcome == "refused" and rows[-1].username == "host"
