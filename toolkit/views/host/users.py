"""User accounts (host): create, change role and school, deactivate and reactivate, reset a
password.

Accounts are never deleted: the audit log refers to them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from cluster.common.calendar import format_date
from cluster.core.permissions import Actor
from cluster.models import Role
from cluster.people.schools import list_schools
from cluster.people.users import (
    UserRow,
    create_user,
    list_users,
    reset_password,
    set_user_active,
    update_user,
)
from toolkit.components import forms
from toolkit.components.forms import show_flash
from toolkit.engine import engine
from toolkit.guard import guard_view

CLUSTER_ROLES = (Role.HOST, Role.SCHOOL, Role.GOVERNOR)
HOST_POWERS = "sees every school's requests and runs the meetings and the money"
NAME_LIMIT = 120  # the User columns' lengths (cluster/models.py UserCreate)
TITLE_LIMIT = 60
T = TypeVar("T")


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
    with forms.form("account.create") as drawn:
        # A member of staff's own name: checked for length by the service, never as a name.
        display_name = st.text_input("Name", help=f"The member of staff's name. "
                                     f"{NAME_LIMIT:,} characters at most.")
        username = st.text_input("Username", help="Letters, digits, dots and dashes, e.g. senco.bi")
        # No role is chosen for the host: three accounts titled SENCO were once made hosts.
        role = st.selectbox("Role", CLUSTER_ROLES, index=None, placeholder="Choose a role",
                            format_func=Role.label_of)
        sure_host = st.checkbox(f"Yes: this account may run the cluster ({HOST_POWERS})")
        title = drawn.text("Title", TITLE_LIMIT, placeholder="SENCO, Headteacher, SEN governor…")
        school_id = _school_choice(schools, "School", "create_school")
        email = st.text_input("E-mail (for signing in with the school's account; optional)")
        submitted = drawn.buttons("Create account")
    if not submitted:
        return
    if role is None:
        st.error("Not created: choose the account's role.")
        return
    if role == Role.HOST and not sure_host:
        st.error(f"Not created: a cluster SEN host {HOST_POWERS}. Tick the box to confirm, or "
                 "choose another role.")
        return
    forms.save(drawn.name, lambda: create_user(
        engine(), actor, username=username, display_name=display_name, role=role,
        school_id=school_id, title=title, email=email.strip() or None),
        done=lambda made: (f"Account **{made.username}** created. Give them this one-time "
                           f"password: `{made.one_time_password}` — it is shown only now; they "
                           "choose their own at first sign-in."), fresh=True)


def _edit_account(actor: Actor, users: list[UserRow], schools: dict[int, str]) -> None:
    # Labelled by the username alone, which a save never changes: a browser sends back the label
    # it showed, and a label holding the name or role would stop matching after a save.
    by_id = {u.id: u for u in users}
    chosen_id = st.selectbox("Account (username)", list(by_id),
                             format_func=lambda i: by_id[i].username, key="edit_user")
    chosen = by_id.get(chosen_id) if chosen_id is not None else None
    if chosen is None:
        return
    st.caption(f"{chosen.display_name}, {chosen.role_label}"
               + (f", {chosen.school_name}" if chosen.school_name else ""))
    # Every box is keyed by the account and its version, so each shows the chosen account's
    # stored values (the school box once kept the previous account's school).
    suffix = f"{chosen.id}.{chosen.version}"
    with forms.form("account.change", suffix) as drawn:
        name = st.text_input("Name", chosen.display_name, key=f"user-name.{suffix}",
                             help=f"{NAME_LIMIT:,} characters at most.")
        role = st.selectbox("Role", CLUSTER_ROLES, format_func=Role.label_of,
                            index=CLUSTER_ROLES.index(chosen.role)
                            if chosen.role in CLUSTER_ROLES else None,
                            placeholder="Choose a role", key=f"user-role.{suffix}")
        sure_host = chosen.role == Role.HOST or st.checkbox(
            f"If making this account a host: yes, it may run the cluster ({HOST_POWERS})",
            key=f"user-host.{suffix}")
        title = st.text_input("Title", chosen.title, key=f"user-title.{suffix}",
                              help=f"{TITLE_LIMIT:,} characters at most.")
        school_id = _school_choice(schools, "School", f"user-school.{suffix}", chosen.school_id)
        saved = drawn.buttons("Save changes")
    if saved:
        if role is None:
            st.error("Not saved: choose the account's role.")
        elif role == Role.HOST and not sure_host:
            st.error(f"Not saved: a cluster SEN host {HOST_POWERS}. Tick the box to confirm.")
        else:
            forms.save(drawn.name, lambda: update_user(
                engine(), actor, chosen.id, role=role, school_id=school_id, title=title,
                display_name=name, expected_version=chosen.version,
                drawn_from=chosen.drawn_from()), done=f"Changes to {chosen.username} saved.")
    first, second = st.columns(2)
    if chosen.active and first.button("Deactivate account"):
        _run(lambda: set_user_active(engine(), actor, chosen.id, False), "Account deactivated.")
    if not chosen.active and first.button("Reactivate account"):
        _run(lambda: set_user_active(engine(), actor, chosen.id, True), "Account reactivated.")
    if second.button("Reset password"):
        _run(lambda: reset_password(engine(), actor, chosen.id),
             lambda made: f"One-time password for **{made.username}**: "
                          f"`{made.one_time_password}` — shown only now.")


def _run(action: Callable[[], T], done: str | Callable[[T], str]) -> None:
    forms.save("account.change", action, done=done)


render()
