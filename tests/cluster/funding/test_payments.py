"""Payments: equal instalments a term, a schedule per school, stopped from a half-term on."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core.errors import NotAllowed, NotFound
from cluster.funding.payments import (
    describe_stop,
    instalment_years,
    payment_schedule,
    stop_future_instalments,
)
from cluster.meetings.confirmation import confirm_decisions
from cluster.models import AuditEvent, Award, Instalment
from tests.cluster.meeting_helpers import decided_round, spring_round
from tests.helpers.actors import actor


def confirmed_round(engine: Engine) -> int:
    spring, decisions = decided_round(engine)
    confirm_decisions(engine, actor(engine, "host"), spring.id, drawn=decisions.drawn())
    return spring.id


def test_every_award_in_the_demo_has_its_schedule(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        paying = session.exec(select(Award.id).where(Award.amount_pence > 0,
                                                     col(Award.draft).is_(False))).all()
        scheduled = set(session.exec(select(Instalment.award_id)).all())
    assert paying and set(paying) == scheduled


def test_a_school_sees_its_own_schedule_and_the_host_every_school(demo_copy: Engine) -> None:
    confirmed_round(demo_copy)
    host, senco = actor(demo_copy, "host"), actor(demo_copy, "senco.bi")
    everyone = payment_schedule(demo_copy, host, academic_year=2026)
    own = payment_schedule(demo_copy, senco, academic_year=2026)
    assert len({line.school_id for line in everyone.lines}) > 5
    assert {line.school_name for line in own.lines} == {"Bintree Infant School"}
    spring = [line for line in own.lines if line.half_term == "Spring 1"
              and line.due_on == date(2027, 1, 20)]
    assert [(line.number, line.of, line.amount_pence) for line in spring] == [(1, 3, 233_400)]
    assert own.schools[0].scheduled_pence == sum(line.amount_pence for line in own.lines)
    with pytest.raises(NotAllowed):
        payment_schedule(demo_copy, actor(demo_copy, "governor"))


def test_the_schedules_years_are_the_years_the_readers_instalments_fall_in(
        demo_copy: Engine) -> None:
    host, senco = actor(demo_copy, "host"), actor(demo_copy, "senco.bi")
    years = instalment_years(demo_copy, host)
    everyone = payment_schedule(demo_copy, host)
    assert years == tuple(sorted({line.academic_year for line in everyone.lines}))
    assert len(years) > 1
    own = {line.academic_year for line in payment_schedule(demo_copy, senco).lines}
    assert instalment_years(demo_copy, senco) == tuple(sorted(own))
    with pytest.raises(NotAllowed):
        instalment_years(demo_copy, actor(demo_copy, "governor"))


def test_a_review_stops_the_instalments_still_to_come(demo_copy: Engine) -> None:
    confirmed_round(demo_copy)
    host = actor(demo_copy, "host")
    with Session(demo_copy) as session:
        award = session.exec(select(Award).where(Award.meeting_id == spring_round(demo_copy).id,
                                                 Award.amount_pence == 700_000)).one()
    stopped = stop_future_instalments(demo_copy, host, award.id, (2026, "Summer 1"),
                                      reason="Stopped at the Spring 2 review: support changed")
    assert (stopped.count, stopped.stopped_pence, stopped.still_paid_pence) == (2, 466_600,
                                                                                 233_400)
    assert describe_stop(stopped) == ("Stopped 2 instalment(s) from Summer 1 2026/27: £4,666 "
                                      "will not be paid; £2,334 paid or due before it stands.")
    again = stop_future_instalments(demo_copy, host, award.id, "Spring 1")
    assert again.count == 1 and again.stopped_pence == 233_400
    lines = [line for line in payment_schedule(demo_copy, host).lines if line.award_id == award.id]
    assert [line.status for line in lines] == ["stopped"] * 3
    with Session(demo_copy) as session:
        audit = session.exec(select(AuditEvent).where(
            AuditEvent.action == "stop_future_instalments")).all()
    assert len(audit) == 2 and audit[0].after["reason"] == "(text changed)"
    with pytest.raises(NotFound):
        stop_future_instalments(demo_copy, host, 999_999, (2026, "Summer 1"))
    with pytest.raises(NotAllowed):
        stop_future_instalments(demo_copy, actor(demo_copy, "head.bi"), award.id,
                                (2026, "Summer 1"))
