"""Meetings and agendas (host): set up a year's six meetings, then change any one of them.

A year starts from the toolkit's exemplar agendas (toolkit/content/agendas). Each save carries the
version the form was drawn from, so a save from a stale screen is refused and says what changed.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd
import streamlit as st

from cluster.common.calendar import AcademicYear, format_date
from cluster.common.content import agenda_exemplars
from cluster.core.permissions import Actor
from cluster.year.schedule import (
    MAX_AGENDA_CHARACTERS,
    MAX_VENUE_CHARACTERS,
    MAX_VIDEO_LINK_CHARACTERS,
    MeetingDetails,
    MeetingPlan,
    MeetingRow,
    meeting_row,
    propose_plans,
    set_up_year,
    update_meeting,
    year_meetings,
    years_set_up,
)
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.components.forms import show_flash
from toolkit.components.history import who_changed_this
from toolkit.components.year import (
    choose_academic_year,
    cluster_page,
    deadlines_line,
    guide_link,
    view_link,
)
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    cluster_page(actor, "Meetings and agendas",
                 "six half-day meetings a year, one each half-term")
    show_flash(state.MEETINGS_MESSAGE)
    set_up = years_set_up(engine(), actor)
    year = choose_academic_year(set_up, ahead=1, key=state.MEETINGS_YEAR)
    if year in set_up:
        _edit_a_meeting(actor, year)
    else:
        _set_up(actor, year)
    st.divider()
    view_link(actor, "timeline", "See the year's timeline and download the calendar")
    guide_link(actor, "running-a-meeting", "How to run a meeting")


# --- setting up a year --------------------------------------------------------------------------


def _set_up(actor: Actor, year: int) -> None:
    label = AcademicYear(year).label
    exemplars = agenda_exemplars()
    st.info(f"{label} is not set up yet. Check the dates below, then set up the year. Each "
            "meeting starts with the toolkit's exemplar agenda, which you can change afterwards.")
    funding_rounds = {name for name, exemplar in exemplars.items() if exemplar.funding_round}
    proposed = propose_plans(year, {}, funding_rounds)
    with forms.form("meetings.set-up", year) as drawn:
        venue = drawn.text("Usual venue", MAX_VENUE_CHARACTERS,
                           placeholder="For example: the high school library")
        video_link = drawn.text("Video link for members joining online (optional)",
                                MAX_VIDEO_LINK_CHARACTERS, placeholder="https://…")
        first, second = st.columns(2)
        starts = first.time_input("Meetings start", time(13, 30), step=900)
        ends = second.time_input("Meetings end", time(16, 30), step=900)
        table = pd.DataFrame([{"Half-term": plan.half_term, "Date": plan.details.held_on,
                               "Funding round": plan.details.is_funding_round,
                               "Agenda": exemplars[plan.half_term].title} for plan in proposed])
        edited = st.data_editor(
            table, hide_index=True, disabled=["Half-term", "Agenda"], key=f"set-up-dates-{year}",
            column_config={"Date": st.column_config.DateColumn(format="DD/MM/YYYY"),
                           "Funding round": st.column_config.CheckboxColumn(
                               help="Schools may bring requests to this meeting")})
        submitted = drawn.buttons("Set up the year")
    with st.expander("Read the exemplar agendas"):
        for exemplar in exemplars.values():
            st.markdown(f"#### {exemplar.half_term}: {exemplar.title}")
            st.markdown(exemplar.body_md)
    if submitted:
        plans = [MeetingPlan(str(row["Half-term"]), MeetingDetails(
            _as_date(row["Date"]), f"{starts:%H:%M}", f"{ends:%H:%M}", venue, video_link,
            bool(row["Funding round"]), exemplars[str(row["Half-term"])].body_md))
            for row in edited.to_dict("records")]
        forms.save(drawn.name, lambda: set_up_year(
            engine(), actor, year, plans, confirmed_not_names=names_prompt.confirmed(drawn.name)),
            done=f"{label} is set up: six meetings with their agendas and deadlines.",
            flash_key=state.MEETINGS_MESSAGE, drawn=drawn)


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(str(value)).date()


# --- changing one meeting -----------------------------------------------------------------------


def _edit_a_meeting(actor: Actor, year: int) -> None:
    meetings = {m.id: m for m in year_meetings(engine(), actor, year)}
    # The choice is labelled by its half-term alone: a browser sends back the label it showed,
    # so a label holding the date would stop matching once the date is saved, and the page would
    # fall back to the first meeting with the next save lost (issue 19).
    chosen = st.selectbox("Meeting", list(meetings), key=f"{state.MEETING_CHOSEN}.{year}",
                          format_func=lambda i: meetings[i].half_term)
    latest = meetings[chosen]
    drawn_key = f"{state.MEETING_DRAWN}.{latest.id}"
    drawn = st.session_state.get(drawn_key)
    if not isinstance(drawn, MeetingRow):
        drawn = st.session_state[drawn_key] = latest
    forms.someone_saved("meeting", changed=drawn.version != latest.version,
                        load=lambda: st.session_state.__setitem__(drawn_key, latest),
                        key=drawn_key)
    st.markdown(deadlines_line(drawn))
    _meeting_form(actor, drawn, drawn_key)


def _meeting_form(actor: Actor, drawn: MeetingRow, drawn_key: str) -> None:
    suffix = f"{drawn.id}.{drawn.version}"
    agenda_key = f"meeting-agenda.{suffix}"
    st.session_state.setdefault(agenda_key, drawn.agenda_md)
    exemplar = agenda_exemplars()[drawn.half_term]
    if st.button(f"Start the agenda again from the exemplar ({exemplar.title})",
                 key=f"exemplar.{suffix}"):
        st.session_state[agenda_key] = exemplar.body_md
    who_changed_this(actor, "meeting", drawn.id)
    with forms.form("meeting", suffix) as form:
        held_on = form.day("Date", drawn.held_on, key=f"meeting-date.{suffix}")
        first, second = st.columns(2)
        starts = first.time_input("Starts", drawn.start_time, step=900,
                                  key=f"meeting-starts.{suffix}")
        ends = second.time_input("Ends", drawn.end_time, step=900, key=f"meeting-ends.{suffix}")
        venue = form.text("Venue", MAX_VENUE_CHARACTERS, drawn.venue,
                          key=f"meeting-venue.{suffix}")
        video_link = form.text("Video link (optional)", MAX_VIDEO_LINK_CHARACTERS,
                               drawn.video_link, placeholder="https://…",
                               key=f"meeting-link.{suffix}")
        funding = st.checkbox("Funding round: schools may bring requests to this meeting",
                              drawn.is_funding_round, key=f"meeting-funding.{suffix}")
        agenda = form.text("Agenda (Markdown: **bold**, numbered lists, - bullets)",
                           MAX_AGENDA_CHARACTERS, area=True, key=agenda_key, height=420)
        submitted = form.buttons("Save this meeting")
    with st.expander("Preview the agenda as members will read it"):
        st.markdown(st.session_state.get(agenda_key) or "*No agenda yet.*")
    if submitted:
        details = MeetingDetails(held_on, f"{starts:%H:%M}", f"{ends:%H:%M}", venue, video_link,
                                 funding, agenda)
        forms.save(form.name, lambda: update_meeting(
            engine(), actor, drawn.id, details, expected_version=drawn.version,
            drawn_from=drawn.drawn_from(), confirmed_not_names=names_prompt.confirmed(form.name)),
            done=_saved_words, flash_key=state.MEETINGS_MESSAGE, drawn=form,
            on_saved=lambda saved: st.session_state.__setitem__(drawn_key, saved),
            on_stale=lambda: st.session_state.__setitem__(
                drawn_key, meeting_row(engine(), actor, drawn.id)))


def _saved_words(saved: MeetingRow) -> str:
    return (f"Saved the {saved.half_term} meeting: {format_date(saved.held_on)}, requests due "
            f"{format_date(saved.requests_due)}, papers out {format_date(saved.papers_out)}.")


render()
