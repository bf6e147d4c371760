"""The host's home: what needs attention before the next meeting."""

from __future__ import annotations

import streamlit as st

from cluster.funding.ledger import AVAILABLE, AWARDED_THIS_YEAR, NOT_YET_AWARDED
from cluster.reporting.home import cluster_headline, host_attention
from toolkit.components.shared import link_to, money, welcome
from toolkit.components.todo import show_todo
from toolkit.components.year import next_deadlines_line
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    headline = cluster_headline(engine(), actor)
    attention = host_attention(engine(), actor)
    welcome(actor.display_name, headline)
    if headline.year_to_set_up:
        st.warning(f"No meeting is booked. Set up {headline.year_to_set_up}: its six meetings "
                   "first, then its funding year and request rules.")
        for url_path, label in (("meeting-agendas", f"Set up the {headline.year_to_set_up} "
                                                    "meetings"),
                                ("funding-year", "Check the funding year"),
                                ("request-settings", "Check the request rules")):
            link_to(actor.role, url_path, label)
    next_deadlines_line(actor)
    show_todo(actor)
    received = headline.next_meeting.requests_received if headline.next_meeting else 0
    first, second, third, fourth = st.columns(4)
    first.metric("Requests for the next meeting", received)
    second.metric("Requests waiting for triage", attention.waiting_for_triage)
    third.metric("Reviews due at the next meeting", attention.reviews.due_next_meeting)
    fourth.metric("Reviews overdue", attention.reviews.overdue,
                  delta="needs chasing" if attention.reviews.overdue else None,
                  delta_color="inverse")
    st.metric("Actions open", attention.actions_open)
    st.markdown(
        f"**Budget:** {AVAILABLE} {money(headline.pot_available_pence)}; "
        f"{AWARDED_THIS_YEAR.lower()} {money(attention.awarded_this_year_pence)}; "
        f"**{NOT_YET_AWARDED.lower()} {money(attention.not_yet_awarded_pence)}**."
    )
    st.divider()
    for url_path, label in (("host-requests", "Triage the requests"),
                            ("reviews", "Reviews: overdue, due and to confirm"),
                            ("run-meeting", "Run a meeting"),
                            ("meeting-agendas", "Meetings and agendas"),
                            ("funding", "See the pot in full"),
                            ("users", "Manage user accounts")):
        link_to(actor.role, url_path, label)


render()
