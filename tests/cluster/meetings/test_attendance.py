"""Attendance and the quorum: without quorum the meeting cannot record decisions, and says so."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.meetings.attendance import (
    AttendanceMark,
    attendance_sheet,
    record_attendance,
    set_quorum_fraction,
)
from cluster.meetings.decisions import DecisionInput, meeting_decisions, save_decisions
from cluster.models import AuditEvent
from tests.cluster.meeting_helpers import on_meeting_day, spring_round, take_register
from tests.helpers.actors import actor

SMALL_SCHOOLS = ("Swannington St Margaret's CE", "Lenwade and Hockering Primary",
                 "Foulsham and Lyng CE Primary", "Great Witchingham Primary",
                 "Bintree Infant School")


def test_without_quorum_no_decision_is_recorded_and_the_screen_says_why(
        demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    meeting = spring_round(demo_engine)
    sheet = attendance_sheet(demo_engine, host, meeting.id)
    assert not sheet.quorum.quorate and "Take attendance first" in sheet.quorum.message
    take_register(demo_engine, host, meeting.id, absent=SMALL_SCHOOLS)  # 7 of 12 represented
    decisions = meeting_decisions(demo_engine, host, meeting.id)
    assert decisions.quorum.represented == 7 and decisions.quorum.needed == 8
    assert decisions.can_record == (False, decisions.quorum.message)
    assert "Not quorate: 7 of 12 schools represented" in decisions.quorum.message
    assert "cannot record decisions" in decisions.quorum.message
    row = next(r for r in decisions.rows if r.can_decide[0])
    with pytest.raises(InvalidInput, match="Not quorate"):
        save_decisions(demo_engine, host, meeting.id,
                       [DecisionInput(row.request_id, row.suggested_pounds or 0)],
                       drawn=decisions.drawn())
    take_register(demo_engine, host, meeting.id, absent=SMALL_SCHOOLS[:4])  # 8 of 12
    assert meeting_decisions(demo_engine, host, meeting.id).can_record == (True, "")


def test_the_cluster_sets_its_own_quorum(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    meeting = spring_round(demo_copy)
    take_register(demo_copy, host, meeting.id, absent=SMALL_SCHOOLS[:4])
    assert attendance_sheet(demo_copy, host, meeting.id).quorum.quorate
    sheet = attendance_sheet(demo_copy, host, meeting.id)
    set_quorum_fraction(demo_copy, host, 3 / 4, expected_version=sheet.cluster_version)
    after = attendance_sheet(demo_copy, host, meeting.id)
    assert (after.quorum.needed, after.quorum.quorate) == (9, False)
    assert "three-quarters of schools (9 of 12)" in after.quorum.message
    with pytest.raises(InvalidInput, match="between 50% and 100%"):
        set_quorum_fraction(demo_copy, host, 0.4, expected_version=after.cluster_version)
    with pytest.raises(StaleEdit):
        set_quorum_fraction(demo_copy, host, 2 / 3, expected_version=sheet.cluster_version)


def test_apologies_and_absence_are_kept_apart_and_the_register_is_audited(
        demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    meeting = spring_round(demo_copy)
    on_meeting_day(demo_copy, meeting.id)
    sheet = attendance_sheet(demo_copy, host, meeting.id)
    ap = next(line for line in sheet.lines if line.school_name.startswith("Aylsham"))
    marks = [AttendanceMark(ap.school_id, "headteacher", "present"),
             AttendanceMark(ap.school_id, "senco", "apologies")]
    after = record_attendance(demo_copy, host, meeting.id, marks, drawn=sheet.drawn())
    assert after.status_of(ap.school_id, "headteacher") == "present"
    assert after.status_of(ap.school_id, "senco") == "apologies"
    assert after.status_of(ap.school_id, "governor") == "absent"
    with Session(demo_copy) as session:
        rows = session.exec(select(AuditEvent).where(
            AuditEvent.action == "record_attendance")).all()
    assert len(rows) == 2 and rows[0].username == "host"


def test_a_stale_register_is_refused_naming_the_seat(demo_copy: Engine) -> None:
    host, deputy = actor(demo_copy, "host"), actor(demo_copy, "deputy")
    meeting = spring_round(demo_copy)
    on_meeting_day(demo_copy, meeting.id)
    mine = attendance_sheet(demo_copy, host, meeting.id)
    theirs = attendance_sheet(demo_copy, deputy, meeting.id)
    school = mine.lines[0]
    record_attendance(demo_copy, deputy, meeting.id,
                      [AttendanceMark(school.school_id, "headteacher", "present")],
                      drawn=theirs.drawn())
    with pytest.raises(StaleEdit) as refused:
        record_attendance(demo_copy, host, meeting.id,
                          [AttendanceMark(school.school_id, "headteacher", "apologies")],
                          drawn=mine.drawn())
    assert f"{school.school_name} Headteacher: now present" in refused.value.message
    assert "Priya Okafor" in refused.value.message or "deputy" in refused.value.message


def test_only_the_host_takes_the_register(demo_copy: Engine) -> None:
    meeting = spring_round(demo_copy)
    with pytest.raises(NotAllowed):
        attendance_sheet(demo_copy, actor(demo_copy, "senco.ap"), meeting.id)
