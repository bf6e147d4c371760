"""Signing in and out: the sign-in screen (local accounts, the organisation's sign-in when
configured, demo accounts), the browser's sign-in cookie that keeps a reload, a new tab or a link
signed in, and signing out with nothing of one person left for the next.

The cookie is set and cleared by the toolkit's web routes (`toolkit/web.py`): this module only
hands the browser the one-time code for it, or asks it to drop it, with a few lines of script.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import streamlit as st

from cluster.core.deployment import production_problems
from cluster.core.permissions import Actor
from cluster.demo.la_clusters import DATA_NOTE
from cluster.demo.seed import DEMO_PASSWORD
from cluster.people.accounts import (
    demo_accounts,
    oidc_configuration_problems,
    resume_session,
    session_actor,
    sign_in,
    sign_in_with_identity,
)
from cluster.people.sessions import end_every_session, end_session, open_session
from toolkit import state
from toolkit.engine import engine
from toolkit.guard import current_actor
from toolkit.web import COOKIE, END_PATH, HEADER, START_PATH, routes_served


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
        # Only "none" keeps an error's text from the browser: Streamlit reads false as
        # "stacktrace", and "type" still names the error.
        show_error_details=st.get_option("client.showErrorDetails") != "none",
        max_upload_mb=int(st.get_option("server.maxUploadSize")),
        served_by_toolkit=routes_served())
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
    begin_session(result.actor)
    # The address is kept: a link opened while signed out opens once signed in.
    st.rerun()


def begin_session(actor: Actor) -> None:
    """This tab is signed in at once; the browser gets its cookie on the next run (see
    `browser_steps`), so a reload or a new tab stays signed in too."""
    opened = open_session(engine(), actor)
    st.session_state[state.ACTOR] = actor
    st.session_state[state.SIGN_IN_SESSION] = opened.session_id
    if routes_served():
        st.session_state[state.SIGN_IN_CODE] = opened.code


def restore_sign_in() -> None:
    """First on every run: a signed-in tab's session is checked (signed out elsewhere, changed
    by the host, or left too long ends it here, at the next click); a new page whose browser has
    the cookie is signed in from it."""
    session_id = st.session_state.get(state.SIGN_IN_SESSION)
    if isinstance(session_id, int):
        check = session_actor(engine(), session_id)
        if check.actor is not None:
            st.session_state[state.ACTOR] = check.actor
        else:
            _forget_everything(check.message)
        return
    if state.ACTOR in st.session_state or st.session_state.get(state.SIGN_IN_COOKIE_READ):
        return  # the organisation's sign-in (st.login keeps its own cookie), or read already
    st.session_state[state.SIGN_IN_COOKIE_READ] = True  # the cookie this page was opened with
    token = st.context.cookies.get(COOKIE)
    if not isinstance(token, str) or not token:
        return  # no cookie (AppTest's stand-in context holds no real cookies either)
    check = resume_session(engine(), token)
    if check.actor is not None and check.session_id is not None:
        st.session_state[state.ACTOR] = check.actor
        st.session_state[state.SIGN_IN_SESSION] = check.session_id
    else:
        _forget_everything(check.message)


def _forget_everything(message: str | None, *, start_afresh: bool = False) -> None:
    """Nothing of the last person stays in this tab: every key goes, and the browser drops its
    cookie. After a sign-out it also reloads (`start_afresh`), so not even the page's drawing is
    left; a session that ended by itself keeps the page, to say why on the sign-in form."""
    st.session_state.clear()
    st.session_state[state.SIGN_IN_COOKIE_READ] = True
    if message:
        st.session_state[state.SIGN_IN_MESSAGE] = message
    if routes_served():
        st.session_state[state.SIGNED_OUT] = "afresh" if start_afresh else "quietly"


def sign_out() -> None:
    """The sidebar's Sign out: the session ends on the server (so a copy of the cookie is
    refused from now on), this tab forgets everything, and the browser starts afresh at the
    sign-in page."""
    actor = current_actor()
    session_id = st.session_state.get(state.SIGN_IN_SESSION)
    if actor is not None and isinstance(session_id, int):
        end_session(engine(), actor, session_id)
    st.query_params.clear()
    if actor is not None and not isinstance(session_id, int) and oidc_ready():
        st.session_state.clear()
        st.logout()  # the organisation's sign-in drops its own cookie and reloads
        return
    _forget_everything(None, start_afresh=True)


def this_session() -> int | None:
    """This browser's sign-in session, to keep when the password changes."""
    session_id = st.session_state.get(state.SIGN_IN_SESSION)
    return session_id if isinstance(session_id, int) else None


def sign_out_everywhere() -> None:
    actor = current_actor()
    if actor is None:
        return
    end_every_session(engine(), actor)
    st.query_params.clear()
    _forget_everything(None, start_afresh=True)


def render_sign_out_everywhere() -> None:
    """My account's button: for a lost laptop, or a shared computer left signed in."""
    if this_session() is None:
        return  # the organisation's sign-in: its own sign-out covers this browser only
    st.subheader("Devices")
    st.markdown("Signed in on another computer, a phone, or a shared machine you have left? "
                "This signs your account out everywhere, this browser included.")
    st.button("Sign out of every device", icon=":material/devices:", on_click=sign_out_everywhere,
              key="sign_out_everywhere")


def render_sign_out() -> None:
    st.button("Sign out", icon=":material/logout:", on_click=sign_out, key="sign_out",
              width="stretch")


_TRADE_CODE = """<script>
fetch({path}, {{method: "POST", credentials: "same-origin", cache: "no-store",
  headers: {{"Content-Type": "application/json", {header}: "1"}},
  body: JSON.stringify({{code: {code}}})}});
</script>"""
_DROP_COOKIE = """<script>
fetch({path}, {{method: "POST", credentials: "same-origin", cache: "no-store",
  headers: {{{header}: "1"}}}}){then};
</script>"""
_START_AFRESH = '.finally(() => window.location.replace("/"))'


def browser_steps() -> None:
    """The script that hands the browser its cookie after a sign-in, or has it drop the cookie
    and start afresh after a sign-out (a new page: nothing of the last person left in it)."""
    code = st.session_state.pop(state.SIGN_IN_CODE, None)
    signed_out = st.session_state.pop(state.SIGNED_OUT, None)
    if signed_out:
        script = _DROP_COOKIE.format(path=json.dumps(END_PATH), header=json.dumps(HEADER),
                                     then=_START_AFRESH if signed_out == "afresh" else "")
    elif isinstance(code, str):
        script = _TRADE_CODE.format(path=json.dumps(START_PATH), header=json.dumps(HEADER),
                                    code=json.dumps(code))
    else:
        return
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True, width="content")


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
