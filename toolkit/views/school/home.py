"""A headteacher's or SENCO's home: our requests, the next deadline."""

from __future__ import annotations

import streamlit as st

from cluster.home import cluster_headline, request_counts
from cluster.models import RequestStatus
from toolkit.components import headline_caption, next_meeting_text
from toolkit.engine import engine
from toolkit.format import format_date
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    headline = cluster_headline(engine(), actor)
    counts = request_counts(engine(), actor)
    st.title(f"Welcome, {actor.display_name}")
    headline_caption(headline)
    meeting = headline.next_meeting
    if meeting is not None:
        st.info(f"Next deadline: requests for the {meeting.half_term} meeting are due by "
                f"**{format_date(meeting.requests_due)}**.")
    st.markdown(next_meeting_text(meeting))
    first, second, third = st.columns(3)
    first.metric("Our draft requests", counts.count(RequestStatus.DRAFT))
    second.metric("Our requests submitted", counts.count(RequestStatus.SUBMITTED))
    third.metric("Our requests decided", counts.count(RequestStatus.DECIDED))


render()
