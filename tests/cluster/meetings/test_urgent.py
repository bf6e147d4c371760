"""Urgent decisions between meetings: two people, from the reserve, ratified at the next meeting."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput, NotAllowed
from cluster.meetings.decisions import meeting_decisions
from cluster.meetings.urgent import (
    agree_urgent_decision,
    propose_urgent_decision,
    ratify_urgent_decision,
    urgent_for_meeting,
    urgent_screen,
)
from cluster.models import Award, Instalment, RequestStatus, SupportRequest
from tests.cluster.meeting_helpers import (
    HOST_SCHOOL,
    on_meeting_day,
    spring_round,
    take_register,
)
from tests.helpers.actors import actor


def candidate(engine: Engine, school: str) -> int:
    host = actor(engine, "host")
    return next(c.request_id for c in urgent_screen(engine, host).candidates
                if c.school_name == school)


def test_host_proposes_deputy_agrees_paid_from_the_reserve_and_the_next_meeting_ratifies(
        demo_copy: Engine) -> None:
    host, deputy = actor(demo_copy, "host"), actor(demo_copy, "deputy")
    screen = urgent_screen(demo_copy, host)
    assert screen.reserve.pence == 551_750 and screen.reserve.used_pence == 0
    assert screen.next_meeting is not None and screen.next_meeting.half_term == "Spring 1"
    request_id = candidate(demo_copy, "Bintree Junior School")
    proposed = propose_urgent_decision(demo_copy, host, request_id, 3000, 1,
                                       "Newly arrived pupil with complex needs; cannot wait.")
    assert proposed.status == "awaiting_second"
    with pytest.raises(NotAllowed, match="takes two people"):
        agree_urgent_decision(demo_copy, host, proposed.id, expected_version=proposed.version)
    agreed = agree_urgent_decision(demo_copy, deputy, proposed.id,
                                   expected_version=proposed.version)
    assert (agreed.status, agreed.proposed_by, agreed.agreed_by) == ("agreed", "Sam Hardy",
                                                                     "Priya Okafor")
    with Session(demo_copy) as session:
        award = session.exec(select(Award).where(Award.request_id == request_id)).one()
        request = session.get(SupportRequest, request_id)
        instalments = session.exec(select(Instalment).where(
            Instalment.award_id == award.id)).all()
    assert award.from_reserve and award.amount_pence == 300_000
    assert award.decided_by == "Sam Hardy and Priya Okafor"
    assert request is not None and request.status == RequestStatus.DECIDED
    assert [(i.due_on, i.amount_pence) for i in instalments] == [(date(2026, 11, 23), 300_000)]
    assert urgent_screen(demo_copy, host).reserve.used_pence == 300_000
    spring = spring_round(demo_copy)
    rows = meeting_decisions(demo_copy, host, spring.id).rows
    assert request_id not in [r.request_id for r in rows]  # decided already, not on the table
    line = urgent_for_meeting(demo_copy, host, spring.id)[0]
    with pytest.raises(InvalidInput, match="ratified at the Spring 1 meeting from its day, "
                                           "20/01/2027"):
        ratify_urgent_decision(demo_copy, host, line.id, True, expected_version=line.version)
    on_meeting_day(demo_copy, spring.id)
    with pytest.raises(InvalidInput, match="Take attendance|Not quorate"):
        ratify_urgent_decision(demo_copy, host, line.id, True, expected_version=line.version)
    take_register(demo_copy, host, spring.id)
    ratified = ratify_urgent_decision(demo_copy, host, line.id, True,
                                      expected_version=line.version)
    assert ratified.status == "ratified" and ratified.ratified_on == date(2027, 1, 20)


def test_no_one_decides_urgently_for_their_own_school_or_beyond_the_reserve(
        demo_copy: Engine) -> None:
    host, deputy = actor(demo_copy, "host"), actor(demo_copy, "deputy")
    own = candidate(demo_copy, HOST_SCHOOL)
    with pytest.raises(NotAllowed, match="your own school"):
        propose_urgent_decision(demo_copy, host, own, 1000, 1, "Rising risk of exclusion now.")
    proposed = propose_urgent_decision(demo_copy, deputy, own, 1000, 1,
                                       "Rising risk of exclusion now.")
    with pytest.raises(NotAllowed, match="your own school"):
        agree_urgent_decision(demo_copy, host, proposed.id, expected_version=proposed.version)
    other = candidate(demo_copy, "Costessey Park Primary School")
    with pytest.raises(InvalidInput, match="reserve has £5,517.50 left"):
        propose_urgent_decision(demo_copy, host, other, 6000, 1, "Too much for the reserve.")
    with pytest.raises(InvalidInput, match="cannot wait"):
        propose_urgent_decision(demo_copy, host, other, 1000, 1, "Soon")


def test_a_decision_the_meeting_does_not_ratify_stops_what_is_still_to_come(
        demo_copy: Engine) -> None:
    host, deputy = actor(demo_copy, "host"), actor(demo_copy, "deputy")
    request_id = candidate(demo_copy, "Costessey Park Primary School")
    proposed = propose_urgent_decision(demo_copy, host, request_id, 3000, 3,
                                       "Sudden medical need after an operation.")
    agreed = agree_urgent_decision(demo_copy, deputy, proposed.id,
                                   expected_version=proposed.version)
    spring = spring_round(demo_copy)
    take_register(demo_copy, host, spring.id)
    with pytest.raises(InvalidInput, match="say why"):
        ratify_urgent_decision(demo_copy, host, agreed.id, False, "",
                               expected_version=agreed.version)
    refused = ratify_urgent_decision(demo_copy, host, agreed.id, False,
                                     "The need is met by the school's own budget now.",
                                     expected_version=agreed.version)
    assert refused.status == "not_ratified"
    with Session(demo_copy) as session:
        award = session.exec(select(Award).where(Award.request_id == request_id)).one()
        states = [(i.half_term, i.status) for i in session.exec(select(Instalment).where(
            Instalment.award_id == award.id).order_by(Instalment.number)).all()]
    assert states == [("Autumn 2", "scheduled"), ("Spring 2", "stopped"),
                      ("Summer 2", "stopped")]


def test_an_urgent_award_comes_out_of_the_reserve_not_out_of_what_is_left_to_award(
        demo_copy: Engine) -> None:
    """Finance and the meeting's own budget agree: £3,000 agreed urgently leaves the reserve
    £3,000 lower and every round's money as it was."""
    from cluster.funding.ledger import budget_position

    host, deputy = actor(demo_copy, "host"), actor(demo_copy, "deputy")
    spring = spring_round(demo_copy)
    finance_before = budget_position(demo_copy, host, 2026)
    round_before = meeting_decisions(demo_copy, host, spring.id).budget
    proposed = propose_urgent_decision(demo_copy, host, candidate(demo_copy,
                                                                  "Bintree Junior School"),
                                       3000, 1, "Newly arrived pupil; cannot wait.")
    agree_urgent_decision(demo_copy, deputy, proposed.id, expected_version=proposed.version)
    finance_after = budget_position(demo_copy, host, 2026)
    round_after = meeting_decisions(demo_copy, host, spring.id).budget
    assert round_before is not None and round_after is not None
    assert round_after.reserve.left_pence == round_before.reserve.left_pence - 300_000
    assert round_after.money_for_round_pence == round_before.money_for_round_pence
    assert [row.left_to_award_pence for row in finance_after.rows] == \
        [row.left_to_award_pence for row in finance_before.rows]
    spring_row = next(row for row in finance_after.rows if row.half_term == "Spring 1")
    assert spring_row.left_to_award_pence == round_after.money_for_round_pence
