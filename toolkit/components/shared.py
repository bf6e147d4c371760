"""Pieces several views share."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.lib.mutable_expander_container import ExpanderContainer

from cluster.common.calendar import format_date
from cluster.common.money import format_pounds
from cluster.reporting.home import ClusterHeadline, NextMeeting
from toolkit.registry import views_for


def welcome(display_name: str, headline: ClusterHeadline) -> None:
    """The top of every home page: who is signed in, where and when, and the next meeting."""
    st.title(f"Welcome, {display_name}")
    headline_caption(headline)
    st.markdown(next_meeting_text(headline.next_meeting))


def headline_caption(headline: ClusterHeadline) -> None:
    school = f" · {headline.school_name}" if headline.school_name else ""
    st.caption(
        f"{headline.cluster_name}{school} · {headline.academic_year}, {headline.half_term} · "
        f"today {format_date(headline.today)}"
    )


def next_meeting_text(meeting: NextMeeting | None) -> str:
    """The next meeting, named: its deadlines are `next_deadlines_line`'s (a home page said the
    requests deadline twice when both gave it)."""
    if meeting is None:
        return "No meeting is booked for the rest of this year."
    kind = "funding round" if meeting.is_funding_round else "review meeting"
    named = f"**Next meeting:** {meeting.half_term} {kind} on {format_date(meeting.held_on)}"
    if meeting.closed_because and meeting.is_funding_round:
        return f"{named} · {meeting.closed_because}. {new_requests_text(meeting)}"
    if meeting.requests_due is None:  # a review meeting takes no requests
        return f"{named}. {new_requests_text(meeting)}"
    return named


def new_requests_text(meeting: NextMeeting) -> str:
    """Where a new request goes now (the same rule as the request form); its deadline is in the
    deadlines line."""
    if meeting.open_round is None:
        return "No funding round is taking new requests yet."
    half_term, held_on, _ = meeting.open_round
    return f"New requests go to the {half_term} funding round on {format_date(held_on)}."


def money(pence: int | None) -> str:
    return "not set" if pence is None else format_pounds(pence)


def link_to(role: str, url_path: str, label: str) -> None:
    """A link to another view, shown only when that view exists and this role may open it."""
    for view in views_for(role):
        if view.url_path == url_path:
            st.page_link(view.path, label=label, icon=view.icon)
            return


def open_tab(labels: Sequence[str], key: str) -> tuple[str, DeltaGenerator]:
    """Tabs drawn lazily: the open tab's label and its container. Only the open tab is worked
    out and drawn (a chart-heavy page drew every chart on every visit); the choice is kept."""
    tabs = st.tabs(labels, key=key, on_change="rerun")
    return next(((label, tab) for label, tab in zip(labels, tabs, strict=True) if tab.open),
                (labels[0], tabs[0]))


def open_section(label: str, key: str) -> tuple[ExpanderContainer, bool]:
    """An expander drawn lazily, folded at first: its container and whether it is open. What is
    inside is worked out and sent only while it is open (a folded expander's content was still
    drawn)."""
    section = st.expander(label, key=key, on_change="rerun")
    return section, bool(section.open)
