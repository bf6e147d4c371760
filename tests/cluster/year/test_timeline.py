"""The deadline rules and the year's timeline, per role: requests due two weeks before a funding
round, papers out one week before every meeting, reviews due on the day of the meeting they are
booked for, the host's preparation meeting with the LA Senior Adviser on the working day before
the papers go out (FAQ 17); a moved meeting moves them all."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy.engine import Engine

from cluster.common.calendar import HALF_TERMS
from cluster.year.deadlines import deadlines_for
from cluster.year.schedule import propose_plans, set_up_year, update_meeting, year_meetings
from cluster.year.timeline import (
    EntryKind,
    TimelineMeeting,
    entries_for,
    next_deadlines,
    timeline_entries,
    year_timeline,
)
from tests.helpers.actors import actor


def meeting(held_on: date, funding: bool, reviews: int | None = 0) -> TimelineMeeting:
    """A meeting as the timeline reads it: a funding round still taking requests shows its
    deadline (cluster.year.schedule.requests_deadline)."""
    return TimelineMeeting(1, 2026, "Spring 1", held_on, time(13, 30), time(16, 30), "Hall", "",
                           funding, "", 1, 0, reviews, 0,
                           deadlines_for(held_on).requests_due if funding else None)


def test_the_rule_for_a_funding_round() -> None:
    entries = entries_for(meeting(date(2027, 1, 20), funding=True, reviews=3), EntryKind)
    assert [(e.kind, e.on) for e in entries] == [
        (EntryKind.PREPARATION, date(2027, 1, 12)),
        (EntryKind.REQUESTS_DUE, date(2027, 1, 6)),
        (EntryKind.PAPERS_OUT, date(2027, 1, 13)),
        (EntryKind.REVIEWS_DUE, date(2027, 1, 20)),
        (EntryKind.MEETING, date(2027, 1, 20)),
    ]
    assert entries[1].title == "Requests due for the Spring 1 funding round"
    assert entries[0].title == ("Host's preparation for the Spring 1 meeting with the LA Senior "
                                "Adviser")


def test_a_confirmed_round_shows_no_requests_deadline() -> None:
    confirmed = replace(meeting(date(2027, 1, 20), funding=True), requests_due=None)
    kinds = [e.kind for e in entries_for(confirmed, EntryKind)]
    assert kinds == [EntryKind.PREPARATION, EntryKind.PAPERS_OUT, EntryKind.MEETING]


def test_a_funding_round_with_no_reviews_booked_shows_no_reviews_due() -> None:
    kinds = [e.kind for e in entries_for(meeting(date(2027, 1, 20), funding=True), EntryKind)]
    assert kinds == [EntryKind.PREPARATION, EntryKind.REQUESTS_DUE, EntryKind.PAPERS_OUT,
                     EntryKind.MEETING]


def test_a_review_meeting_takes_no_requests_but_always_shows_reviews_due() -> None:
    kinds = [e.kind for e in entries_for(meeting(date(2027, 3, 3), funding=False), EntryKind)]
    assert kinds == [EntryKind.PREPARATION, EntryKind.PAPERS_OUT, EntryKind.REVIEWS_DUE,
                     EntryKind.MEETING]


def test_deadlines_across_a_weekend_and_the_new_year_count_calendar_days() -> None:
    entries = entries_for(meeting(date(2027, 1, 11), funding=True), EntryKind)
    # Papers out on Monday 04/01: the preparation is on the working day before, Friday 01/01.
    assert [e.on for e in entries] == [date(2027, 1, 1), date(2026, 12, 28), date(2027, 1, 4),
                                       date(2027, 1, 11)]


def test_the_host_sees_every_deadline_of_the_demo_year_with_counts(demo_engine: Engine) -> None:
    timeline = year_timeline(demo_engine, actor(demo_engine, "host"))
    assert (timeline.year_label, timeline.cluster_name) == ("2026/27", "Wensum Valley Cluster")
    assert [m.half_term for m in timeline.meetings] == list(HALF_TERMS)
    kinds = [e.kind for e in timeline.entries]
    assert kinds.count(EntryKind.MEETING) == 6
    assert kinds.count(EntryKind.PAPERS_OUT) == 6
    # Spring 1 and Summer 1: Autumn 2's decisions are confirmed, so it shows no deadline.
    assert kinds.count(EntryKind.REQUESTS_DUE) == 2
    assert kinds.count(EntryKind.PREPARATION) == 6
    assert [e.on for e in timeline.entries] == sorted(e.on for e in timeline.entries)
    spring = next(m for m in timeline.meetings if m.half_term == "Spring 1")
    assert spring.requests_received == 8
    due = next(e for e in timeline.entries if e.kind == EntryKind.REQUESTS_DUE
               and e.meeting.half_term == "Spring 1")
    assert due.on == date(2027, 1, 6)


@pytest.mark.parametrize(("username", "kinds"), [
    ("senco.ap", {EntryKind.MEETING, EntryKind.REQUESTS_DUE, EntryKind.PAPERS_OUT}),
    ("governor", {EntryKind.MEETING}),
    ("la.adviser", {EntryKind.MEETING, EntryKind.PREPARATION}),
])
def test_each_role_sees_its_own_entries_and_no_counts(demo_engine: Engine, username: str,
                                                      kinds: set[str]) -> None:
    timeline = year_timeline(demo_engine, actor(demo_engine, username))
    assert {e.kind for e in timeline.entries} == kinds
    assert all(m.requests_received is None and m.reviews_scheduled is None
               for m in timeline.meetings)


def test_next_deadlines_from_the_pinned_day_per_role(demo_engine: Engine) -> None:
    host = next_deadlines(demo_engine, actor(demo_engine, "host"))
    assert [(e.kind, e.on) for e in host] == [(EntryKind.REQUESTS_DUE, date(2027, 1, 6)),
                                              (EntryKind.PREPARATION, date(2027, 1, 12)),
                                              (EntryKind.PAPERS_OUT, date(2027, 1, 13))]
    school = next_deadlines(demo_engine, actor(demo_engine, "head.bi"))
    assert [e.kind for e in school] == [EntryKind.REQUESTS_DUE, EntryKind.PAPERS_OUT,
                                        EntryKind.MEETING]
    governor = next_deadlines(demo_engine, actor(demo_engine, "governor"))
    assert [(e.meeting.half_term, e.on) for e in governor] == [
        ("Spring 1", date(2027, 1, 20)), ("Spring 2", date(2027, 3, 3)),
        ("Summer 1", date(2027, 5, 5))]


def test_a_meeting_moved_by_the_host_moves_its_timeline_entries(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    spring = next(m for m in year_meetings(demo_engine, host, 2026) if m.half_term == "Spring 1")
    update_meeting(demo_engine, host, spring.id,
                   replace(spring.details(), held_on=date(2027, 2, 3)),
                   expected_version=spring.version, drawn_from=spring.drawn_from())
    school = next_deadlines(demo_engine, actor(demo_engine, "senco.ap"))
    assert [(e.kind, e.on) for e in school] == [(EntryKind.REQUESTS_DUE, date(2027, 1, 20)),
                                                (EntryKind.PAPERS_OUT, date(2027, 1, 27)),
                                                (EntryKind.MEETING, date(2027, 2, 3))]
    timeline = year_timeline(demo_engine, actor(demo_engine, "governor"))
    assert date(2027, 2, 3) in [e.on for e in timeline.entries]
    assert date(2027, 1, 20) not in [e.on for e in timeline.entries]


def test_next_deadlines_run_on_into_next_year(demo_engine: Engine,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    host = actor(demo_engine, "host")
    set_up_year(demo_engine, host, 2027,
                propose_plans(2027, {}, {"Autumn 2", "Spring 1", "Summer 1"}, venue="Hall"))
    monkeypatch.setenv("CLUSTER_TODAY", "2027-06-20")  # after the last meeting of 2026/27
    entries = next_deadlines(demo_engine, actor(demo_engine, "senco.ap"))
    assert [(e.meeting.academic_year, e.kind, e.on) for e in entries] == [
        (2027, EntryKind.PAPERS_OUT, date(2027, 9, 8)),
        (2027, EntryKind.MEETING, date(2027, 9, 15)),
        (2027, EntryKind.REQUESTS_DUE, date(2027, 11, 3))]


def test_a_role_that_is_not_known_sees_nothing() -> None:
    assert timeline_entries([meeting(date(2027, 1, 20), funding=True)], "visitor") == []
