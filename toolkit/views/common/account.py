"""My account: who I am signed in as, changing my password, and which reminders I get."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.people.accounts import change_own_password
from cluster.reporting.reminders import reminder_choices, set_reminders
from toolkit import state
from toolkit.components import forms
from toolkit.engine import engine
from toolkit.guard import guard_view
from toolkit.signin import render_sign_out_everywhere, this_session


def render() -> None:
    actor = guard_view(__file__)
    st.title("My account")
    forms.show_flash()
    # The host's title is often the role's own words: "Cluster SEN host, Cluster SEN host".
    title = actor.title if actor.title.casefold() != actor.role_label.casefold() else ""
    st.markdown(f"Signed in as **{actor.display_name}** ({actor.username}), {actor.role_label}"
                f"{', ' + title if title else ''}.")
    if actor.must_change_password:
        st.warning("You signed in with a one-time password. Choose your own password to carry on.")
    with forms.form("password") as drawn:
        current = st.text_input("Current password", type="password")
        new = st.text_input("New password", type="password",
                            help="At least 10 characters, mixing letters with digits or symbols.")
        again = st.text_input("New password again", type="password")
        submitted = drawn.buttons("Change password")
    if submitted:
        _change(actor, current, new, again)
    _reminders(actor)
    render_sign_out_everywhere()


def _reminders(actor: Actor) -> None:
    """Each kind of reminder this person's role is sent, on or off."""
    choices = reminder_choices(engine(), actor)
    st.subheader("Reminders")
    st.caption("Sent once each, by e-mail to the address on your account when the toolkit has a "
               "mail server, otherwise listed on your home page.")
    with forms.form("reminders", version=sorted(choices.items())) as drawn:
        wanted = {kind: st.checkbox(kind.label, value=on, key=f"reminder.{kind}")
                  for kind, on in choices.items()}
        pressed = drawn.buttons("Save reminder choices")
    if pressed:
        forms.save("reminders", lambda: set_reminders(engine(), actor, wanted),
                   done="Reminder choices saved.", drawn=drawn)


def _change(actor: Actor, current: str, new: str, again: str) -> None:
    if new != again:
        st.error("New password: the two entries differ.")
        return
    try:
        change_own_password(engine(), actor, current, new, keep_session=this_session())
    except ClusterError as error:
        st.error(error.message)
        return
    st.session_state[state.ACTOR] = replace(actor, must_change_password=False)
    st.success("Password changed.")


render()
