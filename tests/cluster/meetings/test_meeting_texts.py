"""Decisions' reasons and conditions and urgent reasons go through the one text check: a clear
name is refused, a possible name is asked about and saved once confirmed, nothing is written on a
refusal, and the confirmation is audited without the words."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.text_check import CONFIRMATION_ACTION, NamesToConfirm
from cluster.core.errors import InvalidInput
from cluster.meetings.decisions import (
    DecisionInput,
    DecisionProblems,
    DecisionRow,
    MeetingDecisions,
    meeting_decisions,
    save_decisions,
)
from cluster.meetings.rules import MAX_TEXT_CHARACTERS
from cluster.meetings.urgent import propose_urgent_decision, urgent_screen
from cluster.models import AuditEvent, Award, UrgentDecision
from tests.cluster.meeting_helpers import spring_round, take_register
from tests.helpers.actors import actor

POSSIBLE_NAME = "Agreed; the TA works with Zofia on phonics each morning."


def _confirmations(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).where(
            AuditEvent.action == CONFIRMATION_ACTION).order_by(col(AuditEvent.id))).all())


def _one_decision(engine: Engine) -> tuple[int, DecisionRow, MeetingDecisions]:
    host = actor(engine, "host")
    meeting = spring_round(engine)
    take_register(engine, host, meeting.id)
    decisions = meeting_decisions(engine, host, meeting.id)
    row = next(r for r in decisions.rows if r.can_decide[0] and r.suggested_pounds
               and r.suggested_pounds * 100 == r.asked_pence)
    return meeting.id, row, decisions


def test_a_decision_naming_a_pupil_is_refused_and_nothing_is_saved(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    meeting_id, row, decisions = _one_decision(demo_copy)
    request_id = row.request_id
    with pytest.raises(DecisionProblems, match="'Jack Smith'"):
        save_decisions(demo_copy, host, meeting_id,
                       [DecisionInput(request_id, row.suggested_pounds or 0,
                                      conditions="Jack Smith to be reviewed at Easter.")],
                       drawn=decisions.drawn())
    with pytest.raises(DecisionProblems, match="2,000 characters at most, 2,001 typed"):
        save_decisions(demo_copy, host, meeting_id,
                       [DecisionInput(request_id, row.suggested_pounds or 0,
                                      reason="x" * (MAX_TEXT_CHARACTERS + 1))],
                       drawn=decisions.drawn())
    with Session(demo_copy) as session:
        assert session.exec(select(Award).where(Award.request_id == request_id)).first() is None


def test_a_possible_name_in_a_decision_is_asked_about_then_saved_once_confirmed(
        demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    meeting_id, row, decisions = _one_decision(demo_copy)
    request_id = row.request_id
    item = DecisionInput(request_id, row.suggested_pounds or 0, conditions=POSSIBLE_NAME)
    with pytest.raises(NamesToConfirm) as asked:
        save_decisions(demo_copy, host, meeting_id, [item],
                       drawn=decisions.drawn())
    assert asked.value.words_by_field == {f"Request {request_id} conditions": ("Zofia",)}
    with Session(demo_copy) as session:
        assert session.exec(select(Award).where(Award.request_id == request_id)).first() is None
    save_decisions(demo_copy, host, meeting_id, [item],
                   drawn=decisions.drawn(),
                   confirmed_not_names={"Zofia"})
    with Session(demo_copy) as session:
        award = session.exec(select(Award).where(Award.request_id == request_id)).one()
    assert award.conditions == POSSIBLE_NAME
    confirmation = _confirmations(demo_copy)[-1]
    assert confirmation.entity == "award" and confirmation.entity_id == award.id
    assert "Zofia" not in str(confirmation.after) and "Zofia" not in str(confirmation.before)


def test_an_urgent_reason_naming_a_pupil_is_refused_and_a_possible_name_asked_about(
        demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    request_id = next(c.request_id for c in urgent_screen(demo_copy, host).candidates
                      if c.school_name == "Bintree Junior School")
    with pytest.raises(InvalidInput, match="'Olivia'") as refused:
        propose_urgent_decision(demo_copy, host, request_id, 3000, 1,
                                "Olivia's needs have risen sharply; cannot wait.")
    assert not isinstance(refused.value, NamesToConfirm)
    with pytest.raises(InvalidInput, match="2,000 characters at most"):
        propose_urgent_decision(demo_copy, host, request_id, 3000, 1, "Cannot wait.",
                                "y" * (MAX_TEXT_CHARACTERS + 1))
    with pytest.raises(NamesToConfirm) as asked:
        propose_urgent_decision(demo_copy, host, request_id, 3000, 1,
                                "Newly arrived pupil with complex needs; cannot wait.",
                                POSSIBLE_NAME)
    assert asked.value.words_by_field == {"Conditions": ("Zofia",)}
    with Session(demo_copy) as session:
        assert session.exec(select(UrgentDecision)).first() is None
    line = propose_urgent_decision(demo_copy, host, request_id, 3000, 1,
                                   "Newly arrived pupil with complex needs; cannot wait.",
                                   POSSIBLE_NAME, confirmed_not_names=True)
    confirmation = _confirmations(demo_copy)[-1]
    assert (confirmation.entity, confirmation.entity_id) == ("urgent_decision", line.id)
    assert "Zofia" not in str(confirmation.after)
