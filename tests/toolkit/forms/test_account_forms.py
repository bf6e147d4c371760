"""Round trips of User accounts: create an account, change one."""

from __future__ import annotations

from cluster.core.db import make_engine
from cluster.people.users import UserRow, list_users
from tests.helpers.actors import demo_actor
from tests.helpers.forms import changed, open_view, press, round_trip, texts
from tests.toolkit.conftest import APP, ROOT

USERS = str(ROOT / "toolkit/views/host/users.py")


def account(url: str, username: str) -> UserRow | None:
    engine = make_engine(url)
    try:
        return next((u for u in list_users(engine, demo_actor(url, "host"))
                     if u.username == username), None)
    finally:
        engine.dispose()


def box(at, label: str, kind: str = "text_input"):  # type: ignore[no-untyped-def]
    return next(w for w in getattr(at, kind) if w.label == label)


@round_trip("account.change")
def test_changing_only_the_title_keeps_the_school_of_the_account_chosen(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", USERS)
    for username in ("senco.bj", "governor.ap"):  # the school box follows each choice
        before = account(demo_database, username)
        assert before is not None
        at.selectbox(key="edit_user").set_value(before.id).run()
        s = f"{before.id}.{before.version}"
        assert at.text_input(key=f"user-name.{s}").value == before.display_name
        assert at.text_input(key=f"user-title.{s}").value == before.title
        assert at.selectbox(key=f"user-role.{s}").value == before.role
        assert at.selectbox(key=f"user-school.{s}").value == before.school_id
    at.text_input(key=f"user-title.{s}").input("Chair of governors")
    press(at, "Save changes")
    after = account(demo_database, before.username)
    assert after is not None and changed(before, after) == {"title"}
    assert "Changes to" in texts(at)
    assert at.selectbox(key="edit_user").value == before.id
    assert before.username in at.selectbox(key="edit_user").options  # a label a save keeps


@round_trip("account.create")
def test_a_new_account_needs_a_role_and_a_real_e_mail_and_is_then_created(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", USERS)
    role = next(w for w in at.selectbox if w.label == "Role")
    assert role.value is None  # the host chooses
    box(at, "Name").input("Sam Reader")
    box(at, "Username").input("senco.new")
    box(at, "Title").input("SENCO")
    box(at, "E-mail (for signing in with the school's account; optional)").input("not-an-email")
    press(at, "Create account")
    assert "choose the account's role" in texts(at, "error")
    next(w for w in at.selectbox if w.label == "Role").set_value("school")
    next(w for w in at.selectbox if w.label == "School").select_index(1)
    press(at, "Create account")
    assert "is not an e-mail address" in texts(at, "error") and "Not saved" in texts(at, "error")
    assert account(demo_database, "senco.new") is None
    box(at, "E-mail (for signing in with the school's account; optional)").input(
        "senco.new@school.norfolk.sch.uk")
    press(at, "Create account")
    made = account(demo_database, "senco.new")
    assert made is not None and made.role == "school" and made.title == "SENCO"
    assert "Account **senco.new** created" in texts(at)


def test_making_a_host_asks_to_confirm_and_long_names_are_refused_in_plain_words(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", USERS)
    box(at, "Name").input("A" * 500)
    box(at, "Username").input("senco.host")
    next(w for w in at.selectbox if w.label == "Role").set_value("host")
    press(at, "Create account")
    assert "Tick the box to confirm" in texts(at, "error")
    next(c for c in at.checkbox if c.label.startswith("Yes: this account")).check()
    press(at, "Create account")
    errors = texts(at, "error")
    assert "120 characters at most, 500 typed" in errors and "String should" not in errors
    assert account(demo_database, "senco.host") is None
