"""Shared steps for the meeting tests: the host's own item, the Spring 1 round, a register.
A demo actor by username is `tests.helpers.actors.actor`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.meeting_day import has_opened
from cluster.core.permissions import Actor
from cluster.meetings.attendance import AttendanceMark, attendance_sheet, record_attendance
from cluster.meetings.decisions import (
    DecisionInput,
    MeetingDecisions,
    meeting_decisions,
    save_decisions,
)
from cluster.models import Meeting, RequestStatus, School, SupportRequest
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meeting

HOST_SCHOOL = "Wensum Valley High School"


def host_item(engine: Engine) -> int:
    """The request from the host's own school (Wensum Valley High School) at Spring 1: the item
    the deputy chairs."""
    with Session(engine) as session:
        return session.exec(select(SupportRequest.id).join(
            School, School.id == SupportRequest.school_id).where(
            School.name == HOST_SCHOOL, SupportRequest.status == RequestStatus.SUBMITTED)).one()


def spring_round(engine: Engine) -> Meeting:
    """The demo's next funding round: Spring 1, 20/01/2027, with 8 submitted requests."""
    return wensum_meeting(engine, 2026, "Spring 1")


def on_meeting_day(engine: Engine, meeting_id: int) -> date:
    """Moves the clock to the meeting's day: a meeting records from its date. The autouse
    `pinned_clock` fixture puts the clock back after the test."""
    with Session(engine) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        held_on = meeting.held_on
    os.environ["CLUSTER_TODAY"] = held_on.isoformat()
    return held_on


def take_register(engine: Engine, host: Actor, meeting_id: int,
                  absent: Iterable[str] = ()) -> None:
    """On the meeting's day (the clock moves there, if it is not there already), every
    headteacher and SENCO present, except the schools named (apologies)."""
    with Session(engine) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        opened = has_opened(meeting)
    if not opened:
        on_meeting_day(engine, meeting_id)
    away = set(absent)
    sheet = attendance_sheet(engine, host, meeting_id)
    marks = [AttendanceMark(line.school_id, line.capacity,
                            "apologies" if line.school_name in away or line.capacity == "governor"
                            else "present") for line in sheet.lines]
    record_attendance(engine, host, meeting_id, marks, drawn=sheet.drawn())


def decide_as_suggested(engine: Engine, who: Actor, meeting_id: int) -> MeetingDecisions:
    """Every undecided request this chair may decide, at the suggested figure (a decline with a
    reason)."""
    decisions = meeting_decisions(engine, who, meeting_id)
    inputs = [DecisionInput(row.request_id, row.suggested_pounds or 0,
                            reason="" if row.suggested_pounds else "Not funded this round.")
              for row in decisions.rows if row.can_decide[0] and row.award_id is None]
    return save_decisions(engine, who, meeting_id, inputs, drawn=decisions.drawn())


def decided_round(engine: Engine) -> tuple[Meeting, MeetingDecisions]:
    """Spring 1 held: the register taken and every request decided as suggested, the host's own
    school's by the deputy (the host may not decide it); not yet confirmed."""
    host, deputy = actor(engine, "host"), actor(engine, "deputy")
    spring = spring_round(engine)
    take_register(engine, host, spring.id)
    decide_as_suggested(engine, host, spring.id)
    return spring, decide_as_suggested(engine, deputy, spring.id)
