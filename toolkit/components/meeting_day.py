"""Where a meeting stands against its date, on the meeting screen: held, opened early (with the
reason, as the minutes say it), or not yet — with the host's form to open it early."""

from __future__ import annotations

import streamlit as st

from cluster.common.text_check import NamesToConfirm
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.meetings.context import MeetingSummary
from cluster.year.meeting_day import MAX_REASON_CHARACTERS, OPEN_EARLY_DAYS, open_meeting_early
from toolkit import state
from toolkit.components import names_prompt
from toolkit.components.names_prompt import limited
from toolkit.engine import engine

FORM = "open_early"


def meeting_day_panel(actor: Actor, meeting: MeetingSummary) -> None:
    if meeting.opened:
        if meeting.day_note:
            st.info(meeting.day_note)
        return
    st.info(meeting.day_note)
    with st.expander(f"Open this meeting early (up to {OPEN_EARLY_DAYS} days)"):
        with st.form(names_prompt.form_key(f"{FORM}.{meeting.id}")):
            reason = st.text_input("Why it opens early (shown in the minutes)",
                                   **limited(MAX_REASON_CHARACTERS,
                                             "For example: moved forward a week for the "
                                             "snow closure"))
            names_prompt.confirmation(f"{FORM}.{meeting.id}")
            pressed = st.form_submit_button("Open the meeting now")
    if pressed:
        _open(actor, meeting, reason)


def _open(actor: Actor, meeting: MeetingSummary, reason: str) -> None:
    form = f"{FORM}.{meeting.id}"
    try:
        day = open_meeting_early(engine(), actor, meeting.id, reason,
                                 expected_version=meeting.version,
                                 confirmed_not_names=names_prompt.confirmed(form))
    except NamesToConfirm as asked:
        names_prompt.ask(form, asked)
        return
    except ClusterError as error:
        st.error(error.message)
        return
    names_prompt.done(form, fresh=True)
    st.session_state[state.RUN_MEETING_MESSAGE] = ("success", day.message)
    st.rerun()
