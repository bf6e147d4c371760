"""Run a meeting (host): walk the agenda item by item — attendance and quorum, the last meeting's
minutes, the budget position, the requests and decisions, the reviews due, urgent decisions to
ratify, actions, and this meeting's minutes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TypeVar

import pandas as pd
import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.money import format_pounds
from cluster.core.links import Record
from cluster.core.permissions import Actor
from cluster.meetings.actions import (
    MAX_DESCRIPTION,
    MAX_OWNER,
    add_action,
    meeting_actions,
    set_action_done,
)
from cluster.meetings.attendance import (
    AttendanceMark,
    AttendanceSheet,
    attendance_sheet,
    quorum_words,
    record_attendance,
    set_quorum_fraction,
)
from cluster.meetings.context import MeetingSummary
from cluster.meetings.decisions import meeting_decisions, reviews_due
from cluster.meetings.minutes import (
    MAX_MINUTES_CHARACTERS,
    MinutesState,
    approve_minutes,
    minutes_state,
    redraft_minutes,
    save_minutes,
)
from cluster.meetings.rules import (
    MAX_TEXT_CHARACTERS,
    QUORUM_CHOICES,
)
from cluster.meetings.run import MeetingOverview, meeting_choices, meeting_overview
from cluster.meetings.urgent import ratify_urgent_decision, urgent_for_meeting
from cluster.models import AttendanceStatus, UrgentStatus
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.components.addresses import follow_address, keep_in_address
from toolkit.components.decisions import decisions_section
from toolkit.components.forms import Form, show_flash
from toolkit.components.meeting_day import meeting_day_panel
from toolkit.components.names_prompt import limited
from toolkit.components.shared import open_section
from toolkit.components.year import guide_link, view_link
from toolkit.engine import engine
from toolkit.guard import guard_view

T = TypeVar("T")
ITEMS = ("Attendance and quorum", "Minutes of the last meeting", "Budget position",
         "Requests and decisions", "Reviews due", "Urgent decisions", "Actions",
         "Minutes of this meeting")


def render() -> None:
    actor = guard_view(__file__)
    st.title("Run a meeting")
    choices = meeting_choices(engine(), actor)
    st.caption(f"{choices.cluster_name} · walk the agenda item by item; every save is one "
               "short transaction and says what it did.")
    show_flash(state.RUN_MEETING_MESSAGE)
    if not choices.meetings:
        st.info("No meetings are set up yet: set up the year on Meetings and agendas.")
        view_link(actor, "meeting-agendas", "Meetings and agendas")
        return
    ids = [m.id for m in choices.meetings]
    labels = {m.id: m.label for m in choices.meetings}
    follow_address(Record.MEETING, state.RUN_MEETING_CHOSEN, ids)
    if st.session_state.get(state.RUN_MEETING_CHOSEN) not in ids:
        st.session_state[state.RUN_MEETING_CHOSEN] = choices.default_id
    meeting_id = st.selectbox("Meeting", ids, format_func=labels.__getitem__,
                              key=state.RUN_MEETING_CHOSEN)
    keep_in_address(Record.MEETING, state.RUN_MEETING_CHOSEN, meeting_id)
    overview = meeting_overview(engine(), actor, meeting_id)
    _status(overview)
    meeting_day_panel(actor, overview.meeting)
    _agenda(actor, overview)
    st.divider()
    guide_link(actor, "running-a-meeting", "How to run a meeting")


@st.fragment
def _agenda(actor: Actor, overview: MeetingOverview) -> None:
    """The agenda item chosen, as a fragment: choosing another item draws only that item, not
    the meeting's heading above it again. A save in an item redraws the whole page."""
    item = st.radio("Agenda item", ITEMS, horizontal=True, key=state.RUN_MEETING_ITEM)
    st.divider()
    st.header(item)
    {
        ITEMS[0]: _attendance, ITEMS[1]: _last_minutes, ITEMS[2]: _budget,
        # The quorum line heads the page: the decisions item does not say it again.
        ITEMS[3]: lambda a, m: decisions_section(a, m.id, said=(overview.quorum.message,)),
        ITEMS[4]: _reviews,
        ITEMS[5]: _urgent, ITEMS[6]: _actions, ITEMS[7]: _this_minutes,
    }[item](actor, overview.meeting)


def _status(overview: MeetingOverview) -> None:
    meeting = overview.meeting
    where = meeting.venue or "online"
    st.markdown(f"**{meeting.title}**, {format_date(meeting.held_on)}, {meeting.starts_at}–"
                f"{meeting.ends_at}, {where}")
    if overview.quorum.quorate:
        st.success(overview.quorum.message)
    else:
        st.warning(overview.quorum.message)
    notes = []
    if meeting.decisions_confirmed_on:
        notes.append(f"decisions confirmed {format_date(meeting.decisions_confirmed_on)}")
    if overview.reviews_due:
        notes.append(f"{overview.reviews_due} review(s) due")
    if overview.urgent_to_ratify:
        notes.append(f"{overview.urgent_to_ratify} urgent decision(s) to ratify")
    if meeting.minutes_approved_on:
        notes.append(f"minutes approved {format_date(meeting.minutes_approved_on)}")
    if notes:
        st.caption(" · ".join(notes).capitalize())


def _save(name: str, call: Callable[[], T], done: str | Callable[[T], str], *,
          drawn: Form | None = None, on_saved: Callable[[T], None] | None = None,
          on_stale: Callable[[], None] | None = None, fresh: bool = False) -> None:
    """Every save on this page: the one save helper, with this page's message slot."""
    forms.save(name, call, done=done, flash_key=state.RUN_MEETING_MESSAGE, drawn=drawn,
               on_saved=on_saved, on_stale=on_stale, fresh=fresh)


# --- attendance and quorum ------------------------------------------------------------------------


def _attendance(actor: Actor, meeting: MeetingSummary) -> None:
    latest = attendance_sheet(engine(), actor, meeting.id)
    drawn_key = f"{state.ATTENDANCE_DRAWN}.{meeting.id}"
    drawn = st.session_state.get(drawn_key)
    if not isinstance(drawn, AttendanceSheet):
        drawn = st.session_state[drawn_key] = latest
    forms.someone_saved("register", changed=drawn.drawn() != latest.drawn(),
                        load=lambda: st.session_state.__setitem__(drawn_key, latest),
                        key=drawn_key)
    st.caption("A school is represented when its headteacher or SENCO is present. Members whose "
               "school has a request on the agenda stand aside when it is decided.")
    if drawn.locked:
        st.info("The decisions are confirmed: the register stays as it was.")
        _register_table(drawn)
        return
    if not meeting.opened:  # the register is taken at the meeting (see the note above)
        return
    if drawn.taken:
        # Once taken, the register reads as a table; its 60 select boxes (20 schools) are drawn
        # only to change it: they made opening the meeting slow for the rest of the meeting.
        _register_table(drawn)
        section, is_open = open_section("Change the register",
                                        f"{state.REGISTER_OPEN}.{meeting.id}")
        if is_open:
            with section:
                _register_form(actor, meeting, drawn, drawn_key)
    else:
        _register_form(actor, meeting, drawn, drawn_key)
    _quorum_rule(actor, drawn)


def _register_form(actor: Actor, meeting: MeetingSummary, drawn: AttendanceSheet,
                   drawn_key: str) -> None:
    suffix = f"{meeting.id}.{'-'.join(str(v) for v in drawn.drawn().values())}"
    if st.button("Mark every headteacher and SENCO present"):
        for line in drawn.lines:
            if line.capacity != "governor":
                st.session_state[f"att.{suffix}.{line.school_id}.{line.capacity}"] = \
                    AttendanceStatus.PRESENT.label
    labels = list(AttendanceStatus.labels().values())
    with forms.form("attendance", suffix, instance=meeting.id):
        chosen: dict[tuple[int, str], str] = {}
        for school_id, school in dict.fromkeys((seat.school_id, seat.school_name)
                                               for seat in drawn.lines):
            columns = st.columns([3, 2, 2, 2])
            columns[0].markdown(f"**{school}**")
            seats = [seat for seat in drawn.lines if seat.school_id == school_id]
            for column, line in zip(columns[1:], seats, strict=True):
                key = f"att.{suffix}.{school_id}.{line.capacity}"
                st.session_state.setdefault(key, line.status_label)
                person = f" ({line.person})" if line.person else ""
                chosen[(school_id, line.capacity)] = column.selectbox(
                    f"{school}: {line.capacity_label}{person}", labels, key=key)
        submitted = st.form_submit_button("Save attendance", type="primary")
    if submitted:
        by_label = {label: status for status, label in AttendanceStatus.labels().items()}
        marks = [AttendanceMark(school_id, capacity, by_label[label])
                 for (school_id, capacity), label in chosen.items()]
        _save("attendance",
              lambda: record_attendance(engine(), actor, meeting.id, marks, drawn=drawn.drawn()),
              lambda sheet: f"Attendance saved. {sheet.quorum.message}",
              on_saved=lambda sheet: st.session_state.__setitem__(drawn_key, sheet),
              on_stale=lambda: st.session_state.pop(drawn_key, None))


def _register_table(sheet: AttendanceSheet) -> None:
    rows: dict[str, dict[str, str]] = {}
    for line in sheet.lines:
        rows.setdefault(line.school_name, {"School": line.school_name})[line.capacity_label] = \
            line.status_label
    # Every school in view: the default height hid the last schools of a register of 12 or more.
    st.dataframe(pd.DataFrame(list(rows.values())), hide_index=True, width="stretch",
                 height="content")


def _quorum_rule(actor: Actor, sheet: AttendanceSheet) -> None:
    schools = sheet.quorum.schools
    with st.expander(f"Quorum rule: {quorum_words(sheet.quorum_fraction, schools)}"):
        options = list(QUORUM_CHOICES)
        current = min(options, key=lambda f: abs(f - sheet.quorum_fraction))
        fraction = st.selectbox("Schools that must be represented", options,
                                index=options.index(current),
                                format_func=lambda f: quorum_words(f, schools))
        if st.button("Save the quorum rule"):
            drawn_key = f"{state.ATTENDANCE_DRAWN}.{sheet.meeting.id}"
            _save("attendance", lambda: set_quorum_fraction(
                engine(), actor, fraction, expected_version=sheet.cluster_version),
                f"Quorum rule saved: {quorum_words(fraction, schools)}.",
                on_saved=lambda _: st.session_state.pop(drawn_key, None),
                on_stale=lambda: st.session_state.pop(drawn_key, None))


# --- the minutes: the last meeting's and this one's --------------------------------------------


def _last_minutes(actor: Actor, meeting: MeetingSummary) -> None:
    mine = minutes_state(engine(), actor, meeting.id)
    previous = mine.previous
    if previous is None:
        st.info("This is the cluster's first meeting: there are no earlier minutes.")
        return
    theirs = minutes_state(engine(), actor, previous.id)
    st.markdown(f"Minutes of the **{previous.title}** on {format_date(previous.held_on)}: "
                f"{theirs.status_line}")
    with st.expander("Read them"):
        st.markdown(theirs.shown or "*Not drafted.*")
    if theirs.locked:
        return
    if not theirs.text:
        st.info("They are not drafted yet: open that meeting and draft them first.")
        return
    if st.button(f"Approve the {previous.title} minutes as a true record", type="primary"):
        _save("minutes", lambda: approve_minutes(engine(), actor, previous.id,
                                                 at_meeting_id=meeting.id,
                                                 expected_version=theirs.version),
              f"The {previous.title} minutes are approved and locked.")


def _this_minutes(actor: Actor, meeting: MeetingSummary) -> None:
    latest = minutes_state(engine(), actor, meeting.id)
    drawn_key = f"{state.MINUTES_DRAWN}.{meeting.id}"
    drawn = st.session_state.get(drawn_key)
    if not isinstance(drawn, MinutesState) or (drawn.version != latest.version
                                               and drawn.text == latest.text):
        drawn = st.session_state[drawn_key] = latest
    st.markdown(latest.status_line)
    if latest.locked:
        st.markdown(latest.text)
        return
    forms.someone_saved("minutes", changed=drawn.version != latest.version,
                        load=lambda: st.session_state.__setitem__(drawn_key, latest),
                        key=drawn_key)
    if not drawn.text:
        st.info("Not drafted yet. Confirming the decisions drafts them; or draft them now from "
                "what is recorded so far.")
    if st.button("Draft the minutes again from the record"):
        _minutes_save(drawn_key, lambda: redraft_minutes(
            engine(), actor, meeting.id, expected_version=drawn.version), "Minutes redrafted.")
    with forms.form("minutes", drawn.version, instance=meeting.id) as drawn_form:
        text = st.text_area("Minutes (Markdown: ## headings, - bullets, | tables)",
                            drawn.shown, height=480,
                            **limited(MAX_MINUTES_CHARACTERS, "Staff through their accounts or "
                                      "roles; pupils by reference, never by name"))
        submitted = drawn_form.buttons("Save the minutes")
    if submitted:
        # The minutes service checks the text itself, knowing the cluster's own staff by name.
        _minutes_save(drawn_key, lambda: save_minutes(
            engine(), actor, meeting.id, text, expected_version=drawn.version,
            drawn_from=drawn.drawn_from(),
            confirmed_not_names=names_prompt.confirmed(drawn_form.name)),
            "Minutes saved.", drawn_form.name)
    following = latest.next_meeting
    if following is not None:
        st.caption(f"They are approved at the {following.title} on "
                   f"{format_date(following.held_on)} (open that meeting, item 'Minutes of the "
                   "last meeting'), and then locked.")
    view_link(actor, "papers", "Download the minutes (PDF or Word) from Meeting papers")


def _minutes_save(drawn_key: str, call: Callable[[], MinutesState], done: str,
                  name: str = "minutes") -> None:
    _save(name, call, done,
          on_saved=lambda minutes: st.session_state.__setitem__(drawn_key, minutes),
          on_stale=lambda: st.session_state.pop(drawn_key, None))


# --- budget, reviews, urgent decisions, actions ---------------------------------------------------


def _budget(actor: Actor, meeting: MeetingSummary) -> None:
    decisions = meeting_decisions(engine(), actor, meeting.id)
    if decisions.budget is None:
        st.info("This meeting is not a funding round: it makes no new awards. The cluster's "
                "budget position is on Finance.")
    elif not decisions.budget.set_up:
        st.warning("The funding year is not set up yet.")
        view_link(actor, "funding-year", "Funding year")
    else:
        # Every line in view: the default height hid the reserve left behind a scroll.
        st.dataframe(pd.DataFrame([{"Line": label, "Amount": format_pounds(pence)}
                                   for label, pence in decisions.budget.lines()]),
                     hide_index=True, width="stretch", height="content")
    view_link(actor, "funding", "Finance: the pot and the budget position after each meeting")


def _reviews(actor: Actor, meeting: MeetingSummary) -> None:
    due = reviews_due(engine(), actor, meeting.id)
    if not due:
        st.info("No reviews are due at this meeting.")
    else:
        st.dataframe(pd.DataFrame([{
            "No.": r.request_id, "School": r.school_name, "Request": r.title,
            "Award": format_pounds(r.agreed_pence), "Due": format_date(r.due_on),
            "Status": r.status, "Note": r.note} for r in due]), hide_index=True, width="stretch")
    view_link(actor, "reviews", "Reviews and impact: record and confirm each review")


def _urgent(actor: Actor, meeting: MeetingSummary) -> None:
    lines = urgent_for_meeting(engine(), actor, meeting.id)
    view_link(actor, "urgent-decisions", "Urgent decisions between meetings")
    if not lines:
        st.info("No urgent decisions were put to this meeting.")
        return
    for line in lines:
        st.markdown(f"**Request {line.request_id}, {line.school_name}: {line.title}** — "
                    f"{format_pounds(line.amount_pence)} from the emergency reserve, agreed by "
                    f"{line.proposed_by} and {line.agreed_by or '(waiting)'}. Reason: "
                    f"{line.reason}")
        if line.status != UrgentStatus.AGREED:
            st.caption(f"Status: {line.status.replace('_', ' ')}.")
            continue
        with forms.form("ratify", line.version, instance=line.id) as drawn_form:
            note = drawn_form.text("Note (needed if not ratified)", MAX_TEXT_CHARACTERS)
            pressed = drawn_form.buttons("Ratify", "Do not ratify")
        if pressed:
            ratified = pressed == "Ratify"
            _save(drawn_form.name, partial(
                ratify_urgent_decision, engine(), actor, line.id, ratified, note,
                expected_version=line.version,
                confirmed_not_names=names_prompt.confirmed(drawn_form.name)),
                "Ratified." if ratified else
                "Not ratified: the instalments still to come are stopped.", drawn=drawn_form)


def _actions(actor: Actor, meeting: MeetingSummary) -> None:
    actions = meeting_actions(engine(), actor, meeting.id)
    for title, rows in (("Agreed at this meeting", actions.agreed_here),
                        ("Still open from earlier meetings", actions.still_open)):
        st.subheader(title)
        if not rows:
            st.caption("None.")
            continue
        for action in rows:
            done = st.checkbox(f"{action.description} — {action.owner}, due "
                               f"{format_date(action.due_on)}" + (
                                   f" ({action.meeting_label})" if title.startswith("Still")
                                   else ""),
                               value=action.done, key=f"action.{action.id}.{action.version}")
            if done != action.done:
                _save("action", partial(set_action_done, engine(), actor, action.id, done,
                                        expected_version=action.version),
                      f"Action marked {'done' if done else 'not done'}.")
    if meeting.minutes_approved_on is not None:
        return
    st.subheader("Agree an action")
    with forms.form("action", instance=meeting.id) as drawn_form:
        description = drawn_form.text("Action", MAX_DESCRIPTION)
        # An owner may be a person: the service asks about a name and records the confirmation.
        owner = st.text_input("Owner (a name or a role)",
                              **limited(MAX_OWNER, "A role, or a name you confirm"))
        due = st.date_input("Due", meeting.held_on + timedelta(days=21), format="DD/MM/YYYY")
        submitted = drawn_form.buttons("Add the action")
    if submitted:
        _save(drawn_form.name, lambda: add_action(
            engine(), actor, meeting.id, description, owner, due,
            confirmed_not_names=names_prompt.confirmed(drawn_form.name)),
              "Action added.", drawn=drawn_form, fresh=True)

render()
