"""The host's year: setting up six meetings, and changing one of them (a moved date moves its
deadlines; a stale screen cannot overwrite someone else's save)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.calendar import HALF_TERMS
from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.core.permissions import Actor
from cluster.models import AuditEvent
from cluster.reporting.home import cluster_headline
from cluster.year.schedule import (
    MeetingDetails,
    MeetingPlan,
    MeetingRow,
    propose_plans,
    set_up_year,
    update_meeting,
    year_meetings,
    years_set_up,
)
from tests.helpers.actors import actor

FUNDING_ROUNDS = {"Autumn 2", "Spring 1", "Summer 1"}
AGENDAS = {name: f"**{name}**\n\n1. Welcome and apologies\n" for name in HALF_TERMS}


def next_year_plans(**changes: object) -> list[MeetingPlan]:
    plans = propose_plans(2027, AGENDAS, FUNDING_ROUNDS, venue="Reepham Meadow Primary, hall")
    return [replace(plan, details=replace(plan.details, **changes)) for plan in plans]


def spring_1(engine: Engine, who: Actor) -> MeetingRow:
    return next(m for m in year_meetings(engine, who, 2026) if m.half_term == "Spring 1")


def test_setting_up_a_year_makes_six_meetings_with_dates_agendas_and_deadlines(
        demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    made = set_up_year(demo_engine, host, 2027, next_year_plans())
    assert [m.half_term for m in made] == list(HALF_TERMS)
    assert [m.held_on for m in made] == [date(2027, 9, 15), date(2027, 11, 17), date(2028, 1, 19),
                                         date(2028, 3, 8), date(2028, 5, 3), date(2028, 6, 21)]
    assert all(m.held_on.weekday() == 2 for m in made)  # Wednesdays
    assert {m.half_term for m in made if m.is_funding_round} == FUNDING_ROUNDS
    assert all(m.agenda_md == AGENDAS[m.half_term] for m in made)
    assert all((m.starts_at, m.ends_at) == ("13:30", "16:30") for m in made)
    spring = made[2]
    assert (spring.requests_due, spring.papers_out) == (date(2028, 1, 5), date(2028, 1, 12))
    assert 2027 in years_set_up(demo_engine, actor(demo_engine, "governor"))
    with Session(demo_engine) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "set_up_year")).all()
    assert len(events) == 6 and {e.username for e in events} == {"host"}
    assert all(e.after["agenda_md"] == "(text changed)" for e in events)


def test_a_year_already_set_up_is_not_set_up_twice(demo_engine: Engine) -> None:
    plans = propose_plans(2026, AGENDAS, FUNDING_ROUNDS, venue="Anywhere")
    with pytest.raises(InvalidInput, match="2026/27 is already set up"):
        set_up_year(demo_engine, actor(demo_engine, "host"), 2026, plans)
    assert len(year_meetings(demo_engine, actor(demo_engine, "host"), 2026)) == 6


@pytest.mark.parametrize(("plans", "message"), [
    (next_year_plans()[:5], "one meeting for each half-term"),
    (next_year_plans(venue="", video_link=""), "give a venue or a video link"),
    (next_year_plans(starts_at="1.30pm"), "HH:MM"),
    (next_year_plans(ends_at="12:00"), "after the start time"),
    (next_year_plans(video_link="http://meet.example.org/x"), "https://"),
    (next_year_plans(held_on=date(2027, 10, 1)), "must come after the Autumn 1 meeting"),
    (next_year_plans(held_on=date(2028, 9, 1)), "outside 2027/28"),
], ids=["five", "nowhere", "time", "ends-first", "http", "order", "outside"])
def test_a_bad_plan_is_refused_naming_the_problem_and_writes_nothing(
        demo_engine: Engine, plans: list[MeetingPlan], message: str) -> None:
    host = actor(demo_engine, "host")
    with pytest.raises(InvalidInput, match=message):
        set_up_year(demo_engine, host, 2027, plans)
    assert year_meetings(demo_engine, host, 2027) == []


@pytest.mark.parametrize("username", ["senco.ap", "governor", "la.adviser"])
def test_only_the_host_sets_up_a_year(demo_engine: Engine, username: str) -> None:
    with pytest.raises(NotAllowed):
        set_up_year(demo_engine, actor(demo_engine, username), 2027, next_year_plans())


def test_moving_a_meeting_moves_its_deadlines_everywhere(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    drawn = spring_1(demo_engine, host)
    assert (drawn.held_on, drawn.requests_due) == (date(2027, 1, 20), date(2027, 1, 6))
    moved = update_meeting(demo_engine, host, drawn.id,
                           replace(drawn.details(), held_on=date(2027, 1, 27)),
                           expected_version=drawn.version, drawn_from=drawn.drawn_from())
    assert (moved.requests_due, moved.papers_out) == (date(2027, 1, 13), date(2027, 1, 20))
    assert moved.version == drawn.version + 1
    meeting = cluster_headline(demo_engine, host).next_meeting
    assert meeting is not None
    assert (meeting.held_on, meeting.requests_due, meeting.papers_out) == (
        date(2027, 1, 27), date(2027, 1, 13), date(2027, 1, 20))


def test_the_host_rewrites_an_agenda_and_adds_a_video_link(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    drawn = spring_1(demo_engine, host)
    details = replace(drawn.details(), agenda_md="1. Requests\n2. Reviews\n",
                      video_link="https://teams.example.org/meet/spring-1", starts_at="09:00",
                      ends_at="12:00")
    update_meeting(demo_engine, host, drawn.id, details, expected_version=drawn.version,
                   drawn_from=drawn.drawn_from())
    again = spring_1(demo_engine, actor(demo_engine, "senco.ap"))
    assert again.details() == details
    with Session(demo_engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "update_meeting")).one()
    assert event.after["agenda_md"] == "(text changed)"
    assert set(event.changed_fields) == {"agenda_md", "video_link", "starts_at", "ends_at"}


def test_a_stale_screen_cannot_overwrite_the_deputys_agenda(demo_engine: Engine) -> None:
    host, deputy = actor(demo_engine, "host"), actor(demo_engine, "deputy")
    drawn = spring_1(demo_engine, host)
    update_meeting(demo_engine, deputy, drawn.id,
                   replace(drawn.details(), agenda_md="The deputy's agenda",
                           held_on=date(2027, 1, 21)),
                   expected_version=drawn.version, drawn_from=drawn.drawn_from())
    with pytest.raises(StaleEdit) as refused:
        update_meeting(demo_engine, host, drawn.id,
                       replace(drawn.details(), agenda_md="The host's agenda"),
                       expected_version=drawn.version, drawn_from=drawn.drawn_from())
    assert "deputy" in refused.value.message
    assert "agenda: rewritten" in refused.value.message
    assert "date: 2027-01-20 → 2027-01-21" in refused.value.message
    assert spring_1(demo_engine, host).agenda_md == "The deputy's agenda"


def test_a_funding_round_with_requests_on_it_stays_a_funding_round(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    drawn = spring_1(demo_engine, host)
    with pytest.raises(InvalidInput, match=r"has \d+ request\(s\)"):
        update_meeting(demo_engine, host, drawn.id,
                       replace(drawn.details(), is_funding_round=False),
                       expected_version=drawn.version, drawn_from=drawn.drawn_from())
    summer = next(m for m in year_meetings(demo_engine, host, 2026) if m.half_term == "Summer 1")
    changed = update_meeting(demo_engine, host, summer.id,
                             replace(summer.details(), is_funding_round=False),
                             expected_version=summer.version, drawn_from=summer.drawn_from())
    assert not changed.is_funding_round


def test_a_meeting_cannot_move_past_the_next_one(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    drawn = spring_1(demo_engine, host)
    with pytest.raises(InvalidInput, match="Spring 2 meeting"):
        update_meeting(demo_engine, host, drawn.id,
                       replace(drawn.details(), held_on=date(2027, 3, 10)),
                       expected_version=drawn.version, drawn_from=drawn.drawn_from())


def test_others_read_the_meetings_but_only_the_host_changes_them(demo_engine: Engine) -> None:
    adviser = actor(demo_engine, "la.adviser")
    drawn = spring_1(demo_engine, adviser)
    assert drawn.agenda_md.startswith("**Cluster SEN meeting, Spring 1")  # the demo's exemplar
    for username in ("senco.ap", "governor", "la.adviser"):
        with pytest.raises(NotAllowed):
            update_meeting(demo_engine, actor(demo_engine, username), drawn.id, drawn.details(),
                           expected_version=drawn.version, drawn_from=drawn.drawn_from())


def test_details_are_checked_like_a_plan(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    drawn = spring_1(demo_engine, host)
    with pytest.raises(InvalidInput, match="venue"):
        update_meeting(demo_engine, host, drawn.id,
                       MeetingDetails(drawn.held_on, venue="", video_link=""),
                       expected_version=drawn.version, drawn_from=drawn.drawn_from())
