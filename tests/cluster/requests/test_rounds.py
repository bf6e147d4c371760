"""Which round a new request goes to: one rule for the form's default, the save and the submit.
A round confirmed, or past its deadline, takes no new requests; the request goes to the next round
still taking them, with a message saying so."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.models import Meeting, SupportRequest
from cluster.reporting.guides import guide_figures
from cluster.reporting.home import cluster_headline
from cluster.reporting.todo import todo_list
from cluster.requests.reading import request_form_options
from cluster.requests.status import save_draft, submit_form
from cluster.year.deadlines import deadlines_for
from cluster.year.schedule import year_meetings
from cluster.year.timeline import EntryKind, next_deadlines, year_timeline
from tests.cluster.requests.conftest import complete_form
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meetings
from toolkit.components.shared import next_meeting_text
from toolkit.components.year import deadlines_line
from toolkit.documents.calendar_file import build_calendar


def round_of(engine: Engine, half_term: str) -> Meeting:
    with Session(engine) as session:
        return session.exec(wensum_meetings().where(Meeting.academic_year == 2026,
                                                  Meeting.half_term == half_term)).one()


def confirm_spring_1_early(engine: Engine) -> None:
    """The record found on 04/12/2026: Spring 1 (20/01/2027) confirmed weeks before its day
    (the services refuse that now; older data may hold it)."""
    with Session(engine) as session:
        spring = session.exec(wensum_meetings().where(Meeting.academic_year == 2026,
                                                    Meeting.half_term == "Spring 1")).one()
        spring.decisions_confirmed_on = date(2026, 11, 23)
        session.add(spring)
        session.commit()


def test_a_confirmed_round_takes_no_new_requests_and_the_form_says_where_they_go(
        demo_copy: Engine) -> None:
    confirm_spring_1_early(demo_copy)
    spring, summer = round_of(demo_copy, "Spring 1"), round_of(demo_copy, "Summer 1")
    senco = actor(demo_copy, "senco.ap")
    options = request_form_options(demo_copy, senco)
    assert options.default_meeting_id == summer.id
    assert spring.id not in [m.id for m in options.meetings]
    due = next(m.requests_due for m in options.meetings if m.id == summer.id)
    assert options.default_note == (
        "The Spring 1 round's decisions were confirmed on 23/11/2026, so new requests go to the "
        f"Summer 1 funding round on {summer.held_on:%d/%m/%Y} (requests due {due:%d/%m/%Y}).")
    # The form still holding Spring 1 (a screen drawn before): the submission goes to Summer 1.
    saved = submit_form(demo_copy, senco, complete_form(demo_copy, meeting_id=spring.id))
    assert saved.status == "submitted"
    assert saved.moved.startswith("The Spring 1 round's decisions were confirmed on 23/11/2026, "
                                  "so the request goes to the Summer 1 funding round on ")
    assert "Its support now starts in Summer 1." in saved.moved
    with Session(demo_copy) as session:
        request = session.get(SupportRequest, saved.id)
        assert request is not None and request.meeting_id == summer.id
    # Home no longer invites requests for the confirmed round.
    headline = cluster_headline(demo_copy, senco)
    assert headline.next_meeting is not None and headline.next_meeting.half_term == "Spring 1"
    assert headline.next_meeting.closed_because.startswith("the Spring 1 round's decisions were")
    assert headline.next_meeting.open_round is not None
    assert headline.next_meeting.open_round[0] == "Summer 1"


def test_a_late_submission_goes_to_the_next_round_with_a_message(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    spring, summer = round_of(demo_copy, "Spring 1"), round_of(demo_copy, "Summer 1")
    form = complete_form(demo_copy, meeting_id=spring.id)
    monkeypatch.setenv("CLUSTER_TODAY", "2027-01-07")  # the day after Spring 1's deadline
    saved = submit_form(demo_copy, actor(demo_copy, "head.ap"), form)
    assert saved.moved.startswith("Requests for the Spring 1 meeting were due by 06/01/2027, so "
                                  "the request goes to the Summer 1 funding round on ")
    with Session(demo_copy) as session:
        request = session.get(SupportRequest, saved.id)
        assert request is not None and (request.meeting_id, request.start_term) == (
            summer.id, "Summer 1")


def test_an_open_round_keeps_the_request_and_says_nothing(demo_copy: Engine) -> None:
    spring = round_of(demo_copy, "Spring 1")
    senco = actor(demo_copy, "senco.ap")
    assert request_form_options(demo_copy, senco).default_note == ""
    saved = save_draft(demo_copy, senco, complete_form(demo_copy, meeting_id=spring.id))
    assert saved.moved == ""
    with Session(demo_copy) as session:
        request = session.get(SupportRequest, saved.id)
        assert request is not None and request.meeting_id == spring.id


def test_no_screen_shows_requests_due_for_a_confirmed_round_and_all_point_at_the_open_one(
        demo_copy: Engine) -> None:
    """The timeline, its calendar file, the home pages' lines and the guides follow the request
    form's rule (cluster/year/schedule.py): the confirmed round's deadline is gone, and the next
    requests deadline anywhere is the round the form offers."""
    confirm_spring_1_early(demo_copy)
    summer = round_of(demo_copy, "Summer 1")
    senco = actor(demo_copy, "senco.ap")
    offered = request_form_options(demo_copy, senco).default_meeting_id
    assert offered == summer.id
    summer_due = deadlines_for(summer.held_on).requests_due
    for username in ("host", "senco.ap"):
        timeline = year_timeline(demo_copy, actor(demo_copy, username))
        due = [(e.meeting.half_term, e.on) for e in timeline.entries
               if e.kind == EntryKind.REQUESTS_DUE]
        # Autumn 2 (confirmed on its day) and Spring 1 (confirmed early) show no deadline.
        assert due == [("Summer 1", summer_due)], username
        upcoming = next(e for e in next_deadlines(demo_copy, actor(demo_copy, username), 10)
                        if e.kind == EntryKind.REQUESTS_DUE)
        assert (upcoming.meeting.id, upcoming.on) == (summer.id, summer_due)
        calendar = build_calendar(timeline, datetime(2026, 11, 23, 9, tzinfo=UTC)).decode()
        unfolded = calendar.replace("\r\n ", "")
        assert "Requests due for the Spring 1" not in unfolded
        assert "Requests due 06/01/2027" not in unfolded  # the Spring 1 meeting's own event
        assert f"Requests due {summer_due:%d/%m/%Y}" in unfolded
    headline = cluster_headline(demo_copy, senco)
    meeting = headline.next_meeting
    assert meeting is not None and meeting.requests_due is None
    assert meeting.open_round == ("Summer 1", summer.held_on, summer_due)
    line = next_meeting_text(meeting)
    assert "06/01/2027" not in line
    # The line names the round; its deadline is said once, by the deadlines line (upcoming).
    assert f"New requests go to the Summer 1 funding round on {summer.held_on:%d/%m/%Y}." in line
    figures = guide_figures(demo_copy, senco).figures
    assert figures["next_requests_due"] == f"{summer_due:%d/%m/%Y}"
    # A draft on the school's to-do list is due by the open round's deadline.
    drafts = [i.what for i in todo_list(demo_copy, actor(demo_copy, "senco.cp"))
              if i.what.startswith("Finish and submit draft request")]
    assert drafts and all(f"by {summer_due:%d/%m/%Y}:" in d for d in drafts), drafts
    host_row = next(m for m in year_meetings(demo_copy, actor(demo_copy, "host"), 2026)
                    if m.half_term == "Spring 1")
    assert deadlines_line(host_row).startswith(
        "The Spring 1 round's decisions were confirmed on 23/11/2026: this round takes no new "
        "requests")
