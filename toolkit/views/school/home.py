"""A headteacher's or SENCO's home: our requests, reviews we owe, the next deadline, our money."""

from __future__ import annotations

import streamlit as st

from cluster.common.glossary import label
from cluster.models import RequestStatus
from cluster.reporting.home import cluster_headline, school_attention
from toolkit.components.shared import link_to, money, welcome
from toolkit.components.todo import show_todo
from toolkit.components.year import next_deadlines_line
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    headline = cluster_headline(engine(), actor)
    attention = school_attention(engine(), actor)
    welcome(actor.display_name, headline)
    next_deadlines_line(actor, link=False)
    show_todo(actor)
    counts = attention.requests
    first, second, third, fourth = st.columns(4)
    first.metric("Our draft requests", counts.count(RequestStatus.DRAFT))
    second.metric("Our requests submitted", counts.count(RequestStatus.SUBMITTED))
    third.metric(label("returned_requests"), counts.count(RequestStatus.RETURNED))
    fourth.metric("Our requests decided", counts.count(RequestStatus.DECIDED))
    first, second, third = st.columns(3)
    first.metric("Reviews we owe for the next meeting", attention.reviews_owed.due_next_meeting)
    second.metric("Reviews overdue", attention.reviews_owed.overdue)
    third.metric(label("awarded_to_us_this_year"), money(attention.received_this_year_pence),
                 help=f"{attention.awards_this_year} award(s) agreed at this year's meetings.")
    st.divider()
    for url_path, words in (("our-requests", "Our requests"), ("new-request", "Start a request"),
                            ("our-reviews", "Reviews and impact we owe"),
                            ("timeline", "The year's deadlines")):
        link_to(actor.role, url_path, words)


render()
