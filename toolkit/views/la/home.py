"""The LA adviser's home: each cluster's pot and next meeting."""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.glossary import label
from cluster.reporting.home import clusters_overview
from toolkit.components.shared import link_to, money
from toolkit.components.todo import show_todo
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    st.title(f"Welcome, {actor.display_name}")
    show_todo(actor)
    st.caption("Clusters in the local authority, figures for this academic year.")
    rows = [
        {
            "Cluster": row.cluster_name,
            "Schools": row.schools,
            "Pupils on roll": f"{row.pupils:,}",
            label("available_short"): money(row.pot_available_pence),
            "Next meeting": format_date(row.next_meeting_on) or "none booked",
        }
        for row in clusters_overview(engine(), actor)
    ]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.info("No clusters are set up yet.")
    link_to(actor.role, "la-clusters", "Clusters and need: awards, unmet need, outcomes and a "
            "need element")


render()
