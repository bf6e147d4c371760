"""A meeting is held on its day: attendance, decisions, confirmation, reviews, ratifications and
minutes wait for it; the host may open it up to 7 days early with a reason, on the record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput
from cluster.meetings.attendance import AttendanceMark, attendance_sheet, record_attendance
from cluster.meetings.decisions import meeting_decisions
from cluster.meetings.minutes import minutes_state, save_minutes
from cluster.meetings.papers import governors_minutes, minutes_paper, papers_index
from cluster.meetings.run import meeting_overview
from cluster.models import AuditEvent
from cluster.year.meeting_day import open_meeting_early
from tests.cluster.meeting_helpers import spring_round, take_register
from tests.helpers.actors import actor


def test_before_its_day_a_meeting_records_nothing_and_has_no_minutes(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    spring = spring_round(demo_engine)  # 20/01/2027; today 23/11/2026
    sheet = attendance_sheet(demo_engine, host, spring.id)
    marks = [AttendanceMark(line.school_id, line.capacity, "present") for line in sheet.lines]
    with pytest.raises(InvalidInput, match="Attendance is taken at the Spring 1 meeting from its "
                                           "day, 20/01/2027 .* up to 7 days early"):
        record_attendance(demo_engine, host, spring.id, marks, drawn=sheet.drawn())
    decisions = meeting_decisions(demo_engine, host, spring.id)
    assert not decisions.can_record[0] and "The meeting is on 20/01/2027" in decisions.can_record[1]
    assert not decisions.can_confirm[0] and "The meeting is on 20/01/2027" in \
        decisions.can_confirm[1]
    state = minutes_state(demo_engine, host, spring.id)
    with pytest.raises(InvalidInput, match="Minutes are written at the Spring 1 meeting"):
        save_minutes(demo_engine, host, spring.id, "Draft.", expected_version=state.version,
                     drawn_from={"minutes_md": state.text})
    # No downloadable minutes listing every school "Absent" before the meeting.
    index = papers_index(demo_engine, host, spring.id)
    assert index.minutes == (False, "The minutes of the Spring 1 meeting exist once it is held, "
                                    "on 20/01/2027.")
    assert not index.governors_minutes[0]
    with pytest.raises(InvalidInput, match="exist once it is held"):
        minutes_paper(demo_engine, host, spring.id)
    with pytest.raises(InvalidInput, match="exist once it is held"):
        governors_minutes(demo_engine, actor(demo_engine, "governor"), spring.id)


def test_the_host_opens_a_meeting_early_with_a_reason_shown_and_audited(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    host = actor(demo_copy, "host")
    spring = spring_round(demo_copy)
    with pytest.raises(InvalidInput, match="at most 7 days early: this one from 13/01/2027"):
        open_meeting_early(demo_copy, host, spring.id, "Moved forward for the snow closure.",
                           expected_version=spring.version)
    monkeypatch.setenv("CLUSTER_TODAY", "2027-01-14")
    with pytest.raises(InvalidInput, match="say why the meeting opens early"):
        open_meeting_early(demo_copy, host, spring.id, "early", expected_version=spring.version)
    day = open_meeting_early(demo_copy, host, spring.id, "Moved forward for the snow closure.",
                             expected_version=spring.version)
    assert day.opened and day.opened_early_on == date(2027, 1, 14)
    overview = meeting_overview(demo_copy, host, spring.id)
    assert overview.meeting.opened
    assert overview.meeting.day_note == ("Opened early on 14/01/2027 (the meeting was dated "
                                         "20/01/2027): Moved forward for the snow closure.")
    take_register(demo_copy, host, spring.id)  # today is already past the opening: no move
    assert meeting_decisions(demo_copy, host, spring.id).can_record == (True, "")
    minutes = minutes_state(demo_copy, host, spring.id)
    assert "Opened early on 14/01/2027" in minutes.draft_from_record
    assert papers_index(demo_copy, host, spring.id).minutes == (True, "")
    with Session(demo_copy) as session:
        event = session.exec(select(AuditEvent).where(
            AuditEvent.action == "open_meeting_early")).one()
    assert (event.entity_id, event.after["opened_early_on"]) == (spring.id, "2027-01-14")
