"""A school asks for a decision to be reconsidered; it goes onto the next funding round whose
request deadline has not passed, or waits for next year's first round."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput, NotAllowed, NotFound, StaleEdit
from cluster.models import (
    AuditEvent,
    Award,
    Meeting,
    Reconsideration,
    ReconsiderationStatus,
    RequestStatus,
    School,
    SupportRequest,
)
from cluster.requests.reconsiderations import (
    ask_for_reconsideration,
    decisions_open_to_reconsideration,
    our_reconsiderations,
    reconsiderations_on_agenda,
    withdraw_reconsideration,
)
from cluster.year.schedule import propose_plans, set_up_year, update_meeting, year_meetings
from cluster.year.timeline import year_timeline
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meeting_id, wensum_meetings

REASONS = ("A speech and language therapy report dated after the meeting shows the need is "
           "greater than the papers said.")


def decision_for(engine: Engine, username: str, decision: str = "part",
                 half_term: str = "Autumn 2") -> int:
    """An award on the user's school's request, made at a demo meeting (Autumn 2: 11/11/2026)."""
    school_id = actor(engine, username).school_id
    with Session(engine) as session:
        autumn_2 = session.exec(wensum_meetings().where(Meeting.academic_year == 2026,
                                                      Meeting.half_term == half_term)).one()
        request = SupportRequest(school_id=school_id or 0, meeting_id=autumn_2.id,
                                 kind="individual", status=RequestStatus.DECIDED,
                                 title="Language support for WV-RC-001",
                                 main_area="Communication and interaction", academic_year=2026,
                                 amount_pence=600_000)
        session.add(request)
        session.flush()
        award = Award(request_id=request.id or 0, meeting_id=autumn_2.id or 0, decision=decision,
                      amount_pence=300_000, reason="The pot ran out.")
        session.add(award)
        session.commit()
        return award.id or 0


def test_a_reconsideration_goes_onto_the_next_funding_round(demo_engine: Engine) -> None:
    award_id = decision_for(demo_engine, "senco.ap")
    senco = actor(demo_engine, "senco.ap")
    offered = next(d for d in decisions_open_to_reconsideration(demo_engine, senco)
                   if d.award_id == award_id)
    assert offered.can_ask and offered.goes_to == "Spring 1 meeting on 20/01/2027"
    asked = ask_for_reconsideration(demo_engine, senco, award_id, f"  {REASONS}  ")
    assert asked.status == ReconsiderationStatus.ON_AGENDA
    assert asked.meeting_label == "Spring 1 meeting on 20/01/2027"
    assert asked.reasons == REASONS and asked.asked_on == date(2026, 11, 23)
    host = actor(demo_engine, "host")
    on_agenda = reconsiderations_on_agenda(demo_engine, host,
                                           wensum_meeting_id(demo_engine, 2026, "Spring 1"))
    assert [(r.school_name, r.decision_label) for r in on_agenda] == [
        ("Aylsham Road Primary School", "part-funded")]
    spring = next(m for m in year_timeline(demo_engine, host).meetings if m.half_term == "Spring 1")
    assert spring.reconsiderations == 1
    with Session(demo_engine) as session:
        event = session.exec(select(AuditEvent).where(
            AuditEvent.action == "ask_for_reconsideration")).one()
    assert event.after["reasons"] == "(text changed)" and "therapy" not in str(event.after)


def test_when_the_next_rounds_deadline_has_passed_it_goes_to_the_round_after(
        demo_engine: Engine) -> None:
    award_id = decision_for(demo_engine, "senco.ap")
    host = actor(demo_engine, "host")
    spring = next(m for m in year_meetings(demo_engine, host, 2026) if m.half_term == "Spring 1")
    # The host brings Spring 1 forward to 02/12/2026: its requests were due 18/11/2026, already
    # past.
    update_meeting(demo_engine, host, spring.id,
                   replace(spring.details(), held_on=date(2026, 12, 2)),
                   expected_version=spring.version, drawn_from=spring.drawn_from())
    asked = ask_for_reconsideration(demo_engine, actor(demo_engine, "senco.ap"), award_id, REASONS)
    assert asked.meeting_label == "Summer 1 meeting on 05/05/2027"


def test_a_school_has_28_days_from_the_meeting_to_ask(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    award_id = decision_for(demo_engine, "senco.ap")  # decided 11/11/2026
    monkeypatch.setenv("CLUSTER_TODAY", "2026-12-10")
    senco = actor(demo_engine, "senco.ap")
    offered = next(d for d in decisions_open_to_reconsideration(demo_engine, senco)
                   if d.award_id == award_id)
    assert not offered.can_ask and offered.why_not == "the 28 days to ask ended on 09/12/2026"
    with pytest.raises(InvalidInput, match="28 days"):
        ask_for_reconsideration(demo_engine, senco, award_id, REASONS)
    monkeypatch.setenv("CLUSTER_TODAY", "2026-12-09")
    assert ask_for_reconsideration(demo_engine, senco, award_id, REASONS).meeting_label == (
        "Spring 1 meeting on 20/01/2027")


def test_with_no_round_left_it_waits_for_next_years_first_round(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    award_id = decision_for(demo_engine, "senco.ap", half_term="Summer 1")  # 05/05/2027
    monkeypatch.setenv("CLUSTER_TODAY", "2027-05-20")
    senco = actor(demo_engine, "senco.ap")
    offered = next(d for d in decisions_open_to_reconsideration(demo_engine, senco)
                   if d.award_id == award_id)
    assert "next year's first funding round" in (offered.goes_to or "")
    waiting = ask_for_reconsideration(demo_engine, senco, award_id, REASONS)
    assert (waiting.status, waiting.meeting_id) == (ReconsiderationStatus.WAITING, None)
    set_up_year(demo_engine, actor(demo_engine, "host"), 2027,
                propose_plans(2027, {}, {"Autumn 2", "Spring 1", "Summer 1"}, venue="Hall"))
    [placed] = our_reconsiderations(demo_engine, senco)
    assert placed.status == ReconsiderationStatus.ON_AGENDA
    assert placed.meeting_label == "Autumn 2 meeting on 17/11/2027"


def test_one_reconsideration_per_decision_until_it_is_withdrawn(demo_engine: Engine) -> None:
    award_id = decision_for(demo_engine, "head.ap")
    head, senco = actor(demo_engine, "head.ap"), actor(demo_engine, "senco.ap")
    first = ask_for_reconsideration(demo_engine, head, award_id, REASONS)
    with pytest.raises(InvalidInput, match="already asked"):
        ask_for_reconsideration(demo_engine, senco, award_id, REASONS)
    offered = next(d for d in decisions_open_to_reconsideration(demo_engine, senco)
                   if d.award_id == award_id)
    assert not offered.can_ask and "already asked on 23/11/2026" in offered.why_not
    withdrawn = withdraw_reconsideration(demo_engine, senco, first.id,
                                         expected_version=first.version,
                                         drawn_from=first.drawn_from())
    assert withdrawn.status == ReconsiderationStatus.WITHDRAWN
    assert reconsiderations_on_agenda(demo_engine, actor(demo_engine, "host"),
                                      wensum_meeting_id(demo_engine, 2026, "Spring 1")) == []
    again = ask_for_reconsideration(demo_engine, senco, award_id, REASONS)
    assert again.status == ReconsiderationStatus.ON_AGENDA


def test_a_stale_or_heard_reconsideration_cannot_be_withdrawn(demo_engine: Engine) -> None:
    award_id = decision_for(demo_engine, "senco.ap")
    senco = actor(demo_engine, "senco.ap")
    asked = ask_for_reconsideration(demo_engine, senco, award_id, REASONS)
    with Session(demo_engine) as session:
        row = session.get(Reconsideration, asked.id)
        assert row is not None
        row.status, row.outcome = ReconsiderationStatus.HEARD, "The decision stands."
        session.add(row)
        session.commit()
    with pytest.raises(StaleEdit, match="status: on_agenda → heard"):
        withdraw_reconsideration(demo_engine, senco, asked.id, expected_version=asked.version,
                                 drawn_from=asked.drawn_from())
    [heard] = our_reconsiderations(demo_engine, senco)
    with pytest.raises(InvalidInput, match="no longer be withdrawn"):
        withdraw_reconsideration(demo_engine, senco, heard.id, expected_version=heard.version,
                                 drawn_from=heard.drawn_from())


@pytest.mark.parametrize(("reasons", "problem"), [
    ("Please look again.", "a sentence or two"),
    (f"{REASONS} See A" "12345678901" "B.", "looks like a UPN"),
    (f"{REASONS} NHS 943 476 5919.", "could be a ULN or an NHS number"),
])
def test_reasons_are_required_and_hold_no_pupil_identifier(
        demo_engine: Engine, reasons: str, problem: str) -> None:
    award_id = decision_for(demo_engine, "senco.ap")
    senco = actor(demo_engine, "senco.ap")
    with pytest.raises(InvalidInput, match=problem):
        ask_for_reconsideration(demo_engine, senco, award_id, reasons)
    assert our_reconsiderations(demo_engine, senco) == []


def test_a_school_asks_only_about_its_own_decisions(demo_engine: Engine) -> None:
    award_id = decision_for(demo_engine, "senco.ap")
    with pytest.raises(NotFound):
        ask_for_reconsideration(demo_engine, actor(demo_engine, "senco.bi"), award_id, REASONS)
    assert all(d.award_id != award_id for d in
               decisions_open_to_reconsideration(demo_engine, actor(demo_engine, "senco.bi")))
    for username in ("host", "governor", "la.adviser"):
        with pytest.raises(NotAllowed):
            ask_for_reconsideration(demo_engine, actor(demo_engine, username), award_id, REASONS)


def test_a_school_sees_only_its_own_reconsiderations_on_an_agenda(demo_engine: Engine) -> None:
    ours = decision_for(demo_engine, "senco.ap")
    theirs = decision_for(demo_engine, "senco.bi")
    ask_for_reconsideration(demo_engine, actor(demo_engine, "senco.ap"), ours, REASONS)
    ask_for_reconsideration(demo_engine, actor(demo_engine, "senco.bi"), theirs, REASONS)
    spring = wensum_meeting_id(demo_engine, 2026, "Spring 1")
    assert len(reconsiderations_on_agenda(demo_engine, actor(demo_engine, "host"), spring)) == 2
    mine = reconsiderations_on_agenda(demo_engine, actor(demo_engine, "head.bi"), spring)
    with Session(demo_engine) as session:
        bintree = session.exec(select(School).where(School.name == "Bintree Infant School")).one()
    assert [r.school_name for r in mine] == [bintree.name]
    with pytest.raises(NotAllowed):
        reconsiderations_on_agenda(demo_engine, actor(demo_engine, "governor"), spring)
