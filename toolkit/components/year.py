"""Pieces the year's views and the home pages share: deadlines, links to guides and views."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cluster.common.calendar import AcademicYear, academic_year_of, format_date, year_choices
from cluster.core.clock import today
from cluster.core.permissions import Actor
from cluster.models import Role
from cluster.year.deadlines import PREPARATION_ENDS, PREPARATION_STARTS
from cluster.year.schedule import (
    ClusterChoice,
    MeetingRow,
    closed_to_requests,
    cluster_choices,
    requests_deadline,
)
from cluster.year.timeline import EntryKind, TimelineEntry, next_deadlines
from toolkit import state
from toolkit.engine import engine
from toolkit.registry import views_for

GUIDES_URL_PATH = "guides"
TIMELINE_URL_PATH = "timeline"
EVERY_YEAR = 0  # the year picker's "every year" choice, where a page offers one


def view_link(actor: Actor, url_path: str, label: str,
              query_params: dict[str, str] | None = None) -> None:
    """A link to another view, drawn only when this role may open it (a hidden page would fail)."""
    for view in views_for(actor.role):
        if view.url_path == url_path:
            st.page_link(view.path, label=label, icon=view.icon, query_params=query_params)
            return


def guide_link(actor: Actor, slug: str, label: str) -> None:
    view_link(actor, GUIDES_URL_PATH, label, {"guide": slug})


def entry_when(entry: TimelineEntry) -> str:
    meeting = entry.meeting
    if entry.is_preparation:
        return (f"{PREPARATION_STARTS:%H:%M}–{PREPARATION_ENDS:%H:%M}, with the LA Senior "
                "Adviser")
    if not entry.is_meeting:
        return ""
    where = meeting.venue or "online"
    if meeting.venue and meeting.video_link:
        where += " or online"
    return f"{meeting.starts_at:%H:%M}–{meeting.ends_at:%H:%M}, {where}"


def entry_note(entry: TimelineEntry) -> str:
    """The host's counts beside an entry (None for other roles, so nothing is shown)."""
    meeting = entry.meeting
    if entry.kind == EntryKind.REQUESTS_DUE and meeting.requests_received is not None:
        return f"{meeting.requests_received} request(s) received"
    if entry.kind == EntryKind.REVIEWS_DUE and meeting.reviews_scheduled is not None:
        return f"{meeting.reviews_scheduled} review(s) booked"
    if entry.is_meeting and meeting.reconsiderations:
        return f"{meeting.reconsiderations} reconsideration(s) to hear"
    return ""


def entry_status(entry: TimelineEntry, on: date) -> str:
    if entry.on < on:
        return "past"
    if entry.on == on:
        return "today"
    days = (entry.on - on).days
    return f"in {days} day{'s' if days != 1 else ''}"


def short_entry(entry: TimelineEntry) -> str:
    label = EntryKind.label_of(entry.kind)
    # Only the first letter goes small: "LA" stays the LA in the middle of a line.
    return f"{label[:1].lower()}{label[1:]} {format_date(entry.on)} ({entry.meeting.half_term})"


def next_deadlines_line(actor: Actor, *, link: bool = True) -> None:
    """One line for a home page: what is coming up next, linking to the year's timeline."""
    entries = next_deadlines(engine(), actor, limit=3)
    if not entries:
        st.markdown("**Next deadlines:** none booked; the host has not set up the next meetings.")
    else:
        st.markdown("**Next deadlines:** " + " · ".join(short_entry(e) for e in entries))
    if link:
        view_link(actor, TIMELINE_URL_PATH, "The year: meetings and deadlines")


def cluster_page(actor: Actor, title: str, about: str) -> ClusterChoice:
    """A page about one cluster: its title, the cluster (chosen by an LA adviser) and what the
    page covers, under the cluster's name."""
    st.title(title)
    cluster = choose_cluster(actor)
    st.caption(f"{cluster.name} · {about}")
    return cluster


def choose_cluster(actor: Actor) -> ClusterChoice:
    """The cluster a page is about: your own; an LA adviser picks one when there are several."""
    choices = cluster_choices(engine(), actor)
    if not choices:
        st.info("No clusters are set up yet.")
        st.stop()
    if len(choices) == 1 or actor.role != Role.LA_ADVISER:
        return choices[0]
    ids = [choice.id for choice in choices]
    names = {choice.id: choice.name for choice in choices}
    default = ids.index(actor.cluster_id) if actor.cluster_id in ids else 0
    chosen = st.selectbox("Cluster", ids, index=default, format_func=names.__getitem__,
                          key=state.CLUSTER_CHOSEN)
    return ClusterChoice(chosen, names[chosen])



def choose_academic_year(on_record: Iterable[int] = (), *, ahead: int = 0,
                         default: int | None = None, key: str | None = None,
                         label: str = "Academic year", where: DeltaGenerator | None = None,
                         every_year: str | None = None) -> int:
    """The one academic-year picker: the years on record, this year and `ahead` years after it
    (`year_choices`), this year chosen first unless `default` says otherwise; with `every_year`,
    a first choice of that name that returns EVERY_YEAR (0)."""
    years = year_choices(on_record, today(), ahead=ahead)
    first = default if default in years else academic_year_of(today()).start_year
    options = ([EVERY_YEAR] if every_year else []) + years
    chosen: int = (where or st).selectbox(
        label, options, index=options.index(first), key=key,
        format_func=lambda y: (every_year or "") if y == EVERY_YEAR else AcademicYear(y).label)
    return chosen


def deadlines_line(drawn: MeetingRow) -> str:
    """The deadlines the meeting's date gives; a confirmed round's requests deadline is gone."""
    papers = f"papers out **{format_date(drawn.papers_out)}**"
    if drawn.is_funding_round and requests_deadline(drawn, today()) is None:
        why = closed_to_requests(drawn, today())
        return f"{why[0].upper()}{why[1:]}: this round takes no new requests · {papers}."
    return (f"Requests due **{format_date(drawn.requests_due)}** (funding rounds) · {papers} · "
            "moving the date moves both.")
