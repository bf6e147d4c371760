"""Urgent decisions (host and deputy): an award between meetings from the emergency reserve —
proposed by one, agreed by the other, with reasons, and put to the next meeting to ratify."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.money import format_pounds
from cluster.core.permissions import Actor
from cluster.meetings.rules import MAX_TERMS, MAX_TEXT_CHARACTERS
from cluster.meetings.urgent import (
    UrgentScreen,
    agree_urgent_decision,
    propose_urgent_decision,
    urgent_screen,
)
from cluster.models import UrgentStatus
from cluster.reporting.home import cluster_headline
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.components.forms import show_flash
from toolkit.components.shared import headline_caption
from toolkit.components.year import view_link
from toolkit.engine import engine
from toolkit.guard import guard_view

NAMES_FORM = "urgent"  # the registered form (toolkit/components/forms.py)


def render() -> None:
    actor = guard_view(__file__)
    st.title("Urgent decisions")
    headline_caption(cluster_headline(engine(), actor))
    st.caption("For a newly arrived pupil with complex needs, or a rising risk of exclusion, that "
               "cannot wait for the next funding round. The host and the deputy decide together "
               "(neither from the requesting school), from the emergency reserve, with reasons; "
               "the next meeting ratifies it.")
    show_flash(state.URGENT_MESSAGE)
    screen = urgent_screen(engine(), actor)
    reserve = screen.reserve
    st.markdown(f"Emergency reserve this year **{format_pounds(reserve.pence)}** · used "
                f"**{format_pounds(reserve.used_pence)}** · left "
                f"**{format_pounds(reserve.left_pence)}**")
    if screen.next_meeting is not None:
        st.caption(f"Decisions made now go to the {screen.next_meeting.title} on "
                   f"{format_date(screen.next_meeting.held_on)} to be ratified.")
    _waiting(screen, actor)
    _propose(screen, actor)
    if screen.decisions:
        st.subheader("On record")
        st.dataframe(pd.DataFrame([{
            "No.": u.request_id, "School": u.school_name, "Amount": format_pounds(u.amount_pence),
            "Proposed by": u.proposed_by, "Agreed by": u.agreed_by or "-",
            "Agreed on": format_date(u.agreed_on), "Status": UrgentStatus.label_of(u.status),
            "Reason": u.reason} for u in screen.decisions]), hide_index=True, width="stretch")
    view_link(actor, "run-meeting", "Run a meeting: ratify at the next meeting")


def _waiting(screen: UrgentScreen, actor: Actor) -> None:
    waiting = [u for u in screen.decisions if u.status == UrgentStatus.AWAITING_SECOND]
    for line in waiting:
        st.info(f"Request {line.request_id}, {line.school_name}: "
                f"{format_pounds(line.amount_pence)} proposed by {line.proposed_by}. Reason: "
                f"{line.reason}")
        if st.button(f"Agree urgent decision on request {line.request_id}",
                     key=f"agree.{line.id}.{line.version}"):
            forms.save(NAMES_FORM, partial(agree_urgent_decision, engine(), actor, line.id,
                                           expected_version=line.version),
                       done=f"Agreed: request {line.request_id} is funded from the reserve and "
                            "its instalments are scheduled.", flash_key=state.URGENT_MESSAGE)


def _propose(screen: UrgentScreen, actor: Actor) -> None:
    candidates = {c.request_id: c for c in screen.candidates}
    st.subheader("Propose an urgent decision")
    if not candidates:
        st.caption("No submitted request is waiting for a decision.")
        return
    with forms.form(NAMES_FORM) as drawn:
        request_id = st.selectbox("Request", list(candidates),
                                  format_func=lambda i: candidates[i].label)
        amount = st.number_input("Amount (£)", min_value=1, step=100, value=1000)
        terms = st.number_input("Terms the award runs", min_value=1, max_value=MAX_TERMS, value=1)
        reason = drawn.text("Why it cannot wait for the next meeting", MAX_TEXT_CHARACTERS,
                            area=True, about="No pupil names")
        conditions = drawn.text("Conditions (optional)", MAX_TEXT_CHARACTERS, area=True)
        submitted = drawn.buttons("Propose it")
    if submitted:
        forms.save(drawn.name, lambda: propose_urgent_decision(
            engine(), actor, int(request_id), int(amount), int(terms), reason, conditions,
            confirmed_not_names=names_prompt.confirmed(drawn.name)),
            done="Proposed. The other host (the host or the deputy) now agrees it.",
            flash_key=state.URGENT_MESSAGE, drawn=drawn, fresh=True)


render()
