"""A governor's home: the cluster's money and meetings, as aggregates only."""

from __future__ import annotations

import streamlit as st

from cluster.home import cluster_headline
from toolkit.components import headline_caption, money, next_meeting_text
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    headline = cluster_headline(engine(), actor)
    st.title(f"Welcome, {actor.display_name}")
    headline_caption(headline)
    st.markdown(next_meeting_text(headline.next_meeting))
    first, second = st.columns(2)
    first.metric("Available for new awards this year", money(headline.pot_available_pence))
    second.metric("Schools in the cluster", headline.schools)
    st.caption("Governors see figures for groups of pupils only; groups of fewer than 5 are hidden.")


render()
