"""Requests for the next meeting (host): every request submitted for it, with need scores and
flags, filtered by school, area of need and status; open one to return it for more information."""

from __future__ import annotations

import streamlit as st

from cluster.common.money import format_pounds
from cluster.common.needs import AREA_CHOICES
from cluster.models import RequestStatus
from cluster.reporting.home import cluster_headline
from cluster.requests.need_score import score_text
from cluster.requests.reading import requests_for_meeting
from toolkit.components.requests import request_links
from toolkit.components.shared import headline_caption
from toolkit.engine import engine
from toolkit.guard import guard_view

LISTED_STATUSES = [s for s in RequestStatus if s != RequestStatus.DRAFT]


def render() -> None:
    actor = guard_view(__file__)
    st.title("Requests for the next meeting")
    headline_caption(cluster_headline(engine(), actor))
    first = requests_for_meeting(engine(), actor)
    if first.meeting is None:
        st.info("No meeting is set up for this year yet.")
        return
    ids = [m.id for m in first.meetings]
    chosen = st.selectbox("Meeting", ids, index=ids.index(first.meeting.id),
                          format_func=lambda i: next(m.label for m in first.meetings if m.id == i))
    school, area, status = st.columns(3)
    schools = school.multiselect("Schools", first.schools, placeholder="All schools")
    areas = area.multiselect("Areas of need", AREA_CHOICES, placeholder="All areas")
    statuses = status.multiselect("Status", LISTED_STATUSES, placeholder="All statuses",
                                  format_func=RequestStatus.label_of)
    listing = requests_for_meeting(engine(), actor, chosen, schools=schools, areas=areas,
                                   statuses=statuses)
    rows = listing.rows
    waiting = (RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA)
    asked = sum(r.amount_pence for r in rows if r.status in waiting)
    st.markdown(f"**{len(rows)} request(s)** shown · {format_pounds(asked)} asked by those "
                "waiting to be decided. Highest need score first.")
    if not rows:
        st.info("No requests match.")
        return
    # The figures the host decides by come first and narrow, so at 1,366 px they are in view
    # without scrolling sideways; the longer words follow.
    small = st.column_config.TextColumn(width="small")
    st.dataframe([{
        "No.": row.id, "School": row.school_name,
        "Asked": format_pounds(row.amount_pence), "Minimum": format_pounds(row.minimum_pence),
        "Need score": score_text(row.need_score),
        "Band": row.band or "—", "Title": row.title, "Status": row.status_label,
        "Kind": row.kind_label, "Area": row.main_area,
        "Flags": "; ".join(f.split(":")[0] for f in row.flags) or "—",
    } for row in rows], hide_index=True, width="stretch", column_config={
        "No.": st.column_config.NumberColumn(width="small", pinned=True),
        "School": st.column_config.TextColumn(width="medium", pinned=True),
        "Asked": small, "Minimum": small, "Need score": small, "Band": small,
        "Title": st.column_config.TextColumn(width="medium"), "Status": small})
    flagged = [row for row in rows if row.flags]
    if flagged:
        with st.expander(f"Flags in full ({len(flagged)} request(s))"):
            for row in flagged:
                st.markdown(f"**Request {row.id}** ({row.school_name}):\n"
                            + "\n".join(f"- {flag}" for flag in row.flags))
    st.markdown("**Open a request** to read it in full or return it for more information:")
    request_links(rows)


render()
