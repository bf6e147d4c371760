"""Where a meeting stands against its date, on the meeting screen: held, opened early (with the
reason, as the minutes say it), or not yet — with the host's form to open it early."""

from __future__ import annotations

import streamlit as st

from cluster.core.permissions import Actor
from cluster.meetings.context import MeetingSummary
from cluster.year.meeting_day import MAX_REASON_CHARACTERS, OPEN_EARLY_DAYS, open_meeting_early
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.engine import engine


def meeting_day_panel(actor: Actor, meeting: MeetingSummary) -> None:
    if meeting.day_note:
        st.info(meeting.day_note)
    if meeting.opened:
        return
    with st.expander(f"Open this meeting early (up to {OPEN_EARLY_DAYS} days)"):
        with forms.form("meeting.open-early", meeting.version, instance=meeting.id) as drawn:
            reason = drawn.text("Why it opens early (shown in the minutes)",
                                MAX_REASON_CHARACTERS,
                                about="For example: moved forward a week for the snow closure")
            pressed = drawn.buttons("Open the meeting now")
    if pressed:
        forms.save(drawn.name, lambda: open_meeting_early(
            engine(), actor, meeting.id, reason, expected_version=meeting.version,
            confirmed_not_names=names_prompt.confirmed(drawn.name)),
            done=lambda day: day.message, flash_key=state.RUN_MEETING_MESSAGE, drawn=drawn,
            fresh=True)
