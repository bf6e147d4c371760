"""Round trips of Run a meeting: the register, this meeting's minutes, an action, one decision
and ratifying an urgent decision, on the demo's next funding round (Spring 1)."""

from __future__ import annotations

from cluster.core.db import make_engine
from cluster.meetings.actions import meeting_actions
from cluster.meetings.attendance import AttendanceSheet, attendance_sheet
from cluster.meetings.decisions import MeetingDecisions, meeting_decisions
from cluster.meetings.minutes import minutes_state
from cluster.meetings.urgent import (
    agree_urgent_decision,
    propose_urgent_decision,
    urgent_for_meeting,
    urgent_screen,
)
from cluster.models import AttendanceStatus
from tests.cluster.meeting_helpers import spring_round
from tests.helpers.actors import demo_actor
from tests.helpers.forms import changed, open_section, read_back, round_trip, texts
from tests.toolkit.views.test_meeting_views import RUN, agenda_item, click, open_page, ready
from toolkit import state


def sheet(url: str, meeting_id: int) -> AttendanceSheet:
    return read_back(url, "host", attendance_sheet, meeting_id)


def spring(url: str) -> int:
    engine = make_engine(url)
    try:
        meeting_id = spring_round(engine).id
    finally:
        engine.dispose()
    assert meeting_id is not None
    return meeting_id


@round_trip("attendance")
def test_the_register_shows_each_seat_as_stored_and_saves_one_change(demo_database: str) -> None:
    meeting_id = ready(demo_database)
    before = sheet(demo_database, meeting_id)
    at = agenda_item(open_page(demo_database, "host", RUN), "Attendance and quorum")
    # A register already taken reads as a table; its select boxes are drawn to change it.
    assert not [box for box in at.selectbox if str(box.key).startswith("att.")]
    assert "Change the register" in [e.label for e in at.expander]
    at = open_section(at, f"{state.REGISTER_OPEN}.{meeting_id}")
    suffix = f"{meeting_id}.{'-'.join(str(v) for v in before.drawn().values())}"
    for line in before.lines:
        key = f"att.{suffix}.{line.school_id}.{line.capacity}"
        assert at.selectbox(key=key).value == line.status_label
    first = before.lines[0]
    other = next(status.label for status in AttendanceStatus if status != first.status)
    at.selectbox(key=f"att.{suffix}.{first.school_id}.{first.capacity}").set_value(other)
    click(at, "Save attendance")
    after = sheet(demo_database, meeting_id)
    moved = [(a.school_id, a.capacity) for a, b in zip(before.lines, after.lines, strict=True)
             if a.status != b.status]
    assert moved == [(first.school_id, first.capacity)]
    assert "Attendance saved." in texts(at)


@round_trip("minutes")
def test_the_minutes_show_what_is_stored_and_save_the_change(demo_database: str) -> None:
    meeting_id = ready(demo_database)
    at = agenda_item(open_page(demo_database, "host", RUN), "Minutes of this meeting")
    click(at, "Draft the minutes again from the record")
    engine = make_engine(demo_database)
    before = minutes_state(engine, demo_actor(demo_database, "host"), meeting_id)
    box = next(t for t in at.text_area if t.label.startswith("Minutes"))
    assert box.value == before.shown
    box.input(before.shown + "\n## 9. Any other business\n\nNone.\n")
    click(at, "Save the minutes")
    after = minutes_state(engine, demo_actor(demo_database, "host"), meeting_id)
    engine.dispose()
    assert after.text.endswith("## 9. Any other business\n\nNone.\n")
    assert after.text.startswith(before.text.rstrip()[:200])
    assert "Minutes saved." in texts(at)


@round_trip("action")
def test_adding_an_action_creates_exactly_one(demo_database: str) -> None:
    meeting_id = ready(demo_database)
    engine = make_engine(demo_database)
    host = demo_actor(demo_database, "host")
    before = meeting_actions(engine, host, meeting_id).agreed_here
    at = agenda_item(open_page(demo_database, "host", RUN), "Actions")
    next(t for t in at.text_input if t.label == "Action").input("Send the revised rate table")
    next(t for t in at.text_input if t.label.startswith("Owner")).input("The host")
    click(at, "Add the action")
    after = meeting_actions(engine, host, meeting_id).agreed_here
    engine.dispose()
    assert len(after) == len(before) + 1
    assert after[-1].description == "Send the revised rate table" and after[-1].owner == "The host"
    assert next(t for t in at.text_input if t.label == "Action").value == ""  # ready for the next


def decisions(url: str, meeting_id: int) -> MeetingDecisions:
    return read_back(url, "host", meeting_decisions, meeting_id)


@round_trip("decision")
def test_one_decision_shows_what_is_stored_and_saves_only_that_request(
        demo_database: str) -> None:
    meeting_id = ready(demo_database)
    before = decisions(demo_database, meeting_id)
    at = agenda_item(open_page(demo_database, "host", RUN), "Requests and decisions")
    row = next(r for r in before.rows if r.can_decide[0])
    at.selectbox(key=f"decision-form-request.{meeting_id}").set_value(row.request_id).run()
    agreed = next(n for n in at.number_input if n.label == "Agreed (£)")
    assert agreed.value == (row.agreed_pence // 100 if row.agreed_pence is not None
                            else row.suggested_pounds or 0)
    assert next(t for t in at.text_area if t.label == "Reason").value == row.starting_reason
    agreed.set_value(max(1, int(agreed.value) - 100))
    next(t for t in at.text_area if t.label == "Reason").input(
        "A smaller programme agreed with the school.")
    click(at, "Save this decision")
    after = decisions(demo_database, meeting_id)
    touched = [b.request_id for a, b in zip(before.rows, after.rows, strict=True)
               if changed(a, b, ignore=("version", "award_id", "draft", "can_decide"))]
    assert touched == [row.request_id], texts(at, "error")
    assert "Saved the decisions on request(s)" in texts(at)


@round_trip("ratify")
def test_ratifying_changes_only_that_urgent_decision(demo_database: str) -> None:
    engine = make_engine(demo_database)
    host, deputy = demo_actor(demo_database, "host"), demo_actor(demo_database, "deputy")
    screen = urgent_screen(engine, host)
    candidate = next(c for c in screen.candidates if "Bintree Junior" in c.label)
    proposed = propose_urgent_decision(engine, host, candidate.request_id, 2500, 1,
                                       "A newly arrived pupil with complex needs.", "")
    agree_urgent_decision(engine, deputy, proposed.id, expected_version=proposed.version)
    meeting_id = ready(demo_database)  # the register taken: the meeting is quorate
    [before] = [u for u in urgent_for_meeting(engine, host, meeting_id) if u.id == proposed.id]
    at = agenda_item(open_page(demo_database, "host", RUN), "Urgent decisions")
    click(at, "Ratify")
    [after] = [u for u in urgent_for_meeting(engine, host, meeting_id) if u.id == proposed.id]
    engine.dispose()
    assert changed(before, after) <= {"status", "ratified", "ratified_on", "note"}
    assert after.status != before.status and "Ratified." in texts(at), texts(at, "error")
