"""The year: every meeting and the deadlines that lead to it, with a calendar file to download.

The host sees everything; a school sees meetings, request deadlines and papers-out dates; governors
and the LA see the meetings. Only the host changes anything, on "Meetings and agendas".
"""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import format_date
from cluster.core.clock import now, today
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.models import Role
from cluster.requests.reconsiderations import reconsiderations_on_agenda
from cluster.year.schedule import years_set_up
from cluster.year.timeline import (
    EntryKind,
    TimelineMeeting,
    YearTimeline,
    adviser_year,
    year_timeline,
)
from toolkit import state
from toolkit.components.year import (
    choose_academic_year,
    choose_cluster,
    entry_note,
    entry_status,
    entry_when,
    guide_link,
    view_link,
)
from toolkit.documents.calendar_file import (
    adviser_calendar_file_name,
    build_adviser_calendar,
    build_calendar,
    calendar_file_name,
)
from toolkit.engine import engine
from toolkit.guard import guard_view

WHAT_EACH_ROLE_SEES: dict[str, str] = {
    Role.HOST: "meetings, your preparation meetings with the LA Senior Adviser, request "
               "deadlines, papers-out dates and reviews due",
    Role.SCHOOL: "meetings, request deadlines and papers-out dates",
    Role.GOVERNOR: "the meetings",
    Role.LA_ADVISER: "the meetings and the host's preparation meetings with you",
}


def render() -> None:
    actor = guard_view(__file__)
    st.title("The year")
    cluster = choose_cluster(actor)
    year = choose_academic_year(years_set_up(engine(), actor, cluster.id), key=state.TIMELINE_YEAR)
    timeline = year_timeline(engine(), actor, year, cluster.id)
    st.caption(f"{timeline.cluster_name} · {timeline.year_label} · six half-termly meetings · "
               f"you see {WHAT_EACH_ROLE_SEES.get(actor.role, 'the meetings')}")
    if not timeline.meetings:
        st.info(f"The meetings for {timeline.year_label} are not set up yet.")
        view_link(actor, "meeting-agendas", "Set up the year's meetings")
        return
    _next_up(timeline)
    _timeline_table(actor, timeline)
    st.download_button(
        "Download the calendar (.ics) for Outlook or Google Calendar",
        data=build_calendar(timeline, now()), file_name=calendar_file_name(timeline),
        mime="text/calendar", icon=":material/calendar_add_on:",
        help="Import it into your calendar. If a meeting moves, download it again: the events "
             "update in place.")
    if actor.role == Role.LA_ADVISER:
        _adviser_calendar(actor, year)
    st.subheader("Meetings and agendas")
    for meeting in timeline.meetings:
        _meeting(actor, meeting)
    _links(actor)


def _adviser_calendar(actor: Actor, year: int | None) -> None:
    """The adviser's own calendar: every cluster's meetings and preparation meetings (FAQ 17)."""
    mine = adviser_year(engine(), actor, year)
    st.download_button(
        f"Download my calendar (.ics): every cluster's meetings and preparation meetings, "
        f"{mine.year_label}", data=build_adviser_calendar(mine, now()),
        file_name=adviser_calendar_file_name(mine), mime="text/calendar",
        icon=":material/calendar_add_on:", key="adviser-calendar",
        help=f"{len(mine.entries)} events across the LA's clusters.")


def _next_up(timeline: YearTimeline) -> None:
    upcoming = timeline.upcoming(today())
    if upcoming:
        entry = upcoming[0]
        st.success(f"Next: **{entry.title}** on {entry.on:%A} {format_date(entry.on)}.")
    else:
        st.info("Every meeting of this year has been held.")


def _timeline_table(actor: Actor, timeline: YearTimeline) -> None:
    on = today()
    rows = []
    for entry in timeline.entries:
        # The day sits in the date ("Tue 08/09/2026"), and the place, the longest, comes last: a
        # column for the day pushed "When" and the host's notes past a laptop's edge.
        row = {"Date": f"{entry.on:%a} {format_date(entry.on)}", "When": entry_status(entry, on),
               "What": EntryKind.label_of(entry.kind), "Details": entry.title}
        if actor.role == Role.HOST:
            row["Notes"] = entry_note(entry)
        row["Time and place"] = entry_when(entry)
        rows.append(row)
    # Tall enough to show the whole year without scrolling inside the table.
    st.dataframe(rows, hide_index=True, width="stretch", height="content",
                 column_config={"Date": st.column_config.TextColumn(pinned=True),
                                "Notes": st.column_config.TextColumn(width="medium")})


def _meeting(actor: Actor, meeting: TimelineMeeting) -> None:
    kind = "funding round" if meeting.is_funding_round else "meeting"
    title = (f"{meeting.half_term} {kind} · {meeting.held_on:%a} {format_date(meeting.held_on)}, "
             f"{meeting.starts_at:%H:%M}–{meeting.ends_at:%H:%M}")
    with st.expander(title):
        where = meeting.venue or "Online only"
        st.markdown(f"**Where:** {where}" + (f" · [join online]({meeting.video_link})"
                                              if meeting.video_link else ""))
        st.markdown(meeting.agenda_md or "*No agenda written yet.*")
        if meeting.is_funding_round and actor.role in (Role.HOST, Role.SCHOOL):
            _reconsiderations(actor, meeting)


def _reconsiderations(actor: Actor, meeting: TimelineMeeting) -> None:
    try:
        items = reconsiderations_on_agenda(engine(), actor, meeting.id)
    except ClusterError as error:
        st.error(error.message)
        return
    if not items:
        return
    whose = "Reconsiderations to hear" if actor.role == Role.HOST else "Our reconsiderations"
    st.markdown(f"**{whose}:**")
    for item in items:
        school = f"{item.school_name}: " if actor.role == Role.HOST else ""
        st.markdown(f"- {school}{item.request_title} ({item.decision_label}), asked "
                    f"{format_date(item.asked_on)}")


def _links(actor: Actor) -> None:
    st.divider()
    view_link(actor, "meeting-agendas", "Change a meeting's date, place or agenda")
    view_link(actor, "terms-of-reference", "Terms of reference")
    if actor.role == Role.HOST:
        guide_link(actor, "running-a-meeting", "How to run a meeting")
        guide_link(actor, "reviews-and-impact", "How to record reviews and impact")
    elif actor.role == Role.SCHOOL:
        guide_link(actor, "writing-a-good-request", "How to write a good request")
        guide_link(actor, "reviews-and-impact", "How to record reviews and impact")
        view_link(actor, "reconsideration", "Ask for a decision to be reconsidered")
    else:
        guide_link(actor, "what-governors-should-ask", "What governors should ask")
    guide_link(actor, "need-score-and-optimiser", "How the need score and the suggested split work")


render()
