"""Our requests: every request the school has made, its status, what was asked and awarded, and
when reviews are due; then other schools' requests open to read while on an agenda."""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.glossary import label
from cluster.common.money import format_pounds
from cluster.reporting.home import cluster_headline
from cluster.requests.need_score import score_text
from cluster.requests.reading import agenda_requests, our_requests
from toolkit.components.requests import NEW_REQUEST_VIEW, request_links
from toolkit.components.shared import headline_caption
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    st.title("Our requests")
    headline_caption(cluster_headline(engine(), actor))
    rows = our_requests(engine(), actor)
    st.page_link(NEW_REQUEST_VIEW, label="Start a new request", icon=":material/note_add:")
    if not rows:
        st.info("Your school has made no requests yet.")
    else:
        # What a school follows (where each request is, what it was given, when its review is
        # due) comes first and narrow, so at 1,366 px it is in view without scrolling sideways.
        small = st.column_config.TextColumn(width="small")
        st.dataframe([{
            "No.": row.id, "Title": row.title + (" (joint, led by another school)"
                                                 if row.partner else ""),
            "Status": row.status_label, "Meeting": row.meeting,
            "Asked": format_pounds(row.amount_pence),
            label("awarded"): ("—" if row.awarded_pence is None
                               else format_pounds(row.awarded_pence)),
            "Next review due": format_date(row.next_review_due) or "—",
            "Need score": score_text(row.need_score),
            "Flags": len(row.flags), "Kind": row.kind_label,
        } for row in rows], hide_index=True, width="stretch", column_config={
            "No.": st.column_config.NumberColumn(width="small", pinned=True),
            "Title": st.column_config.TextColumn(width="medium", pinned=True),
            "Status": small, "Asked": small, label("awarded"): small})
        st.markdown("**Open a request**")
        request_links(rows)
    others = agenda_requests(engine(), actor)
    if others:
        st.subheader("Other schools' requests on an agenda")
        st.caption("Open to read from papers-out until the meeting's minutes are approved. "
                   "Each read is recorded.")
        request_links(others)


render()
