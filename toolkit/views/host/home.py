"""The host's home: what needs attention before the next meeting."""

from __future__ import annotations

import streamlit as st

from cluster.home import cluster_headline, request_counts
from cluster.models import RequestStatus
from toolkit.components import headline_caption, money, next_meeting_text
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    headline = cluster_headline(engine(), actor)
    counts = request_counts(engine(), actor)
    st.title(f"Welcome, {actor.display_name}")
    headline_caption(headline)
    st.markdown(next_meeting_text(headline.next_meeting))
    received = headline.next_meeting.requests_received if headline.next_meeting else 0
    first, second, third = st.columns(3)
    first.metric("Requests received for the next meeting", received)
    second.metric("Requests waiting for triage", counts.count(RequestStatus.SUBMITTED))
    third.metric("Schools in the cluster", headline.schools)
    st.markdown(f"**Budget:** {money(headline.pot_available_pence)} available for new awards "
                f"this year, after top-slices and the emergency reserve.")


render()
