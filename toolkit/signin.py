"""The sign-in screen: local accounts, the organisation's sign-in when configured, demo accounts."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from cluster.core.deployment import production_problems
from cluster.demo.la_clusters import DATA_NOTE
from cluster.demo.seed import DEMO_PASSWORD
from cluster.people.accounts import (
    demo_accounts,
    oidc_configuration_problems,
    sign_in,
    sign_in_with_identity,
)
from toolkit import state
from toolkit.engine import engine


def auth_section() -> Mapping[str, object] | None:
    try:
        section = st.secrets.get("auth")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return None
    return dict(section) if section else None


def oidc_ready() -> bool:
    section = auth_section()
    return section is not None and not oidc_configuration_problems(section)


def adopt_oidc_identity() -> None:
    """After `st.login` returns, map the identity to a user row once per browser session."""
    if state.ACTOR in st.session_state or not oidc_ready() or not st.user.is_logged_in:
        return
    result = sign_in_with_identity(engine(), st.user.to_dict())
    if result.actor is None:
        st.session_state[state.SIGN_IN_MESSAGE] = result.message
        st.logout()
    else:
        st.session_state[state.ACTOR] = result.actor


def check_deployment() -> None:
    """Production mode refuses to serve until sign-in and error handling are safe."""
    problems = production_problems(
        engine(), oidc_ready=oidc_ready(),
        show_error_details=st.get_option("client.showErrorDetails") not in (False, "none", "type"),
        max_upload_mb=int(st.get_option("server.maxUploadSize")))
    if problems:
        st.error("The toolkit cannot start in production mode yet:\n\n"
                 + "\n".join(f"- {p}" for p in problems))
        st.stop()


def render_sign_in() -> None:
    st.title("Cluster SEN Toolkit")
    st.markdown("Sharing the cluster's SEN funding fairly, and showing what it achieved.")
    message = st.session_state.pop(state.SIGN_IN_MESSAGE, None)
    if message:
        st.error(message)
    if oidc_ready():
        st.button("Sign in with your school account", on_click=st.login, type="primary")
        st.divider()
    with st.form("sign_in"):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        _sign_in(username, password)
    _show_demo_accounts()


def _sign_in(username: str, password: str) -> None:
    if not username.strip() or not password:
        st.error("Enter your username and your password.")
        return
    result = sign_in(engine(), username, password)
    if result.actor is None:
        st.error(result.message)
        return
    st.session_state[state.ACTOR] = result.actor
    st.rerun()


def _show_demo_accounts() -> None:
    accounts = demo_accounts(engine())
    if not accounts:
        return
    with st.expander("Demo accounts (demo mode only)", expanded=True):
        st.markdown(f"Every demo account uses the password `{DEMO_PASSWORD}`.")
        st.caption(DATA_NOTE)
        st.dataframe(
            [{"Username": a.username, "Role": a.role_label, "Title": a.title,
              "School": a.school_name} for a in accounts],
            hide_index=True, width="stretch",
        )
