"""User accounts (host): create, change role and school, deactivate and reactivate, reset a
password.

Accounts are never deleted: the audit log refers to them.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cluster.common.calendar import format_date
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.models import ROLE_LABELS, Role
from cluster.people.schools import list_schools
from cluster.people.users import (
    UserRow,
    create_user,
    list_users,
    reset_password,
    set_user_active,
    update_user,
)
from toolkit.components.forms import flash_and_rerun, show_flash
from toolkit.engine import engine
from toolkit.guard import guard_view

CLUSTER_ROLES = (Role.HOST, Role.SCHOOL, Role.GOVERNOR)


def render() -> None:
    actor = guard_view(__file__)
    st.title("User accounts")
    show_flash()
    st.caption("Create accounts for headteachers, SENCOs and governors. Accounts are deactivated, "
               "never deleted, because the record of decisions refers to them.")
    users = list_users(engine(), actor)
    schools = {s.id: s.name for s in list_schools(engine(), actor)}
    st.dataframe([_table_row(u) for u in users], hide_index=True, width="stretch")
    create_tab, edit_tab = st.tabs(["Create an account", "Change an account"])
    with create_tab:
        _create_form(actor, schools)
    with edit_tab:
        _edit_account(actor, users, schools)


def _table_row(user: UserRow) -> dict[str, object]:
    last = user.last_sign_in_at
    return {"Username": user.username, "Name": user.display_name, "Role": user.role_label,
            "Title": user.title, "School": user.school_name,
            "Status": "locked" if user.locked else ("active" if user.active else "deactivated"),
            "Last sign-in": f"{format_date(last.date())} {last:%H:%M}" if last else "never"}


def _school_choice(schools: dict[int, str], label: str, key: str,
                   current: int | None = None) -> int | None:
    options: list[int | None] = [None, *schools]
    return st.selectbox(label, options, index=options.index(current) if current in options else 0,
                        format_func=lambda s: ("No school (cluster-wide)" if s is None
                                               else schools[s]),
                        key=key)


def _create_form(actor: Actor, schools: dict[int, str]) -> None:
    with st.form("create_user", clear_on_submit=True):
        display_name = st.text_input("Name")
        username = st.text_input("Username", help="Letters, digits, dots and dashes, e.g. senco.bi")
        role = st.selectbox("Role", CLUSTER_ROLES, format_func=lambda r: ROLE_LABELS[r])
        title = st.text_input("Title", placeholder="SENCO, Headteacher, SEN governor…")
        school_id = _school_choice(schools, "School", "create_school")
        email = st.text_input("E-mail (for signing in with the school's account; optional)")
        submitted = st.form_submit_button("Create account", type="primary")
    if not submitted:
        return
    try:
        made = create_user(engine(), actor, username=username, display_name=display_name,
                           role=role, school_id=school_id, title=title, email=email or None)
    except ClusterError as error:
        st.error(error.message)
        return
    flash_and_rerun(f"Account **{made.username}** created. Give them this one-time password: "
                    f"`{made.one_time_password}` — it is shown only now; they choose their own "
                    "at first sign-in.")


def _edit_account(actor: Actor, users: list[UserRow], schools: dict[int, str]) -> None:
    chosen = st.selectbox("Account", users,
                          format_func=lambda u: f"{u.display_name} ({u.username})",
                          key="edit_user")
    if chosen is None:
        return
    with st.form("update_user"):
        name = st.text_input("Name", value=chosen.display_name)
        role = st.selectbox("Role", CLUSTER_ROLES, format_func=lambda r: ROLE_LABELS[r],
                            index=CLUSTER_ROLES.index(chosen.role)
                            if chosen.role in CLUSTER_ROLES else 0)
        title = st.text_input("Title", value=chosen.title)
        school_id = _school_choice(schools, "School", "update_school", chosen.school_id)
        saved = st.form_submit_button("Save changes")
    if saved:
        _run(lambda: update_user(engine(), actor, chosen.id, role=role, school_id=school_id,
                                 title=title, display_name=name, expected_version=chosen.version,
                                 drawn_from=chosen.drawn_from()), "Changes saved.")
    first, second = st.columns(2)
    if chosen.active and first.button("Deactivate account"):
        _run(lambda: set_user_active(engine(), actor, chosen.id, False), "Account deactivated.")
    if not chosen.active and first.button("Reactivate account"):
        _run(lambda: set_user_active(engine(), actor, chosen.id, True), "Account reactivated.")
    if second.button("Reset password"):
        try:
            made = reset_password(engine(), actor, chosen.id)
        except ClusterError as error:
            st.error(error.message)
        else:
            flash_and_rerun(f"One-time password for **{made.username}**: "
                            f"`{made.one_time_password}` — shown only now.")


def _run(action: Callable[[], object], done: str) -> None:
    try:
        action()
    except ClusterError as error:
        st.error(error.message)
        return
    flash_and_rerun(done)


render()
