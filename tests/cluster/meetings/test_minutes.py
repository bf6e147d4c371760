"""Minutes: drafted from the record, edited, approved at the next meeting, then locked; actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine

from cluster.core.errors import InvalidInput, StaleEdit
from cluster.meetings.actions import add_action, meeting_actions, set_action_done
from cluster.meetings.confirmation import confirm_decisions
from cluster.meetings.context import MeetingSummary
from cluster.meetings.minutes import approve_minutes, minutes_state, redraft_minutes, save_minutes
from tests.cluster.meeting_helpers import (
    decide_as_suggested,
    on_meeting_day,
    spring_round,
    take_register,
)
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meeting


def test_the_last_meetings_minutes_are_approved_at_this_one_and_then_locked(
        demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    spring, autumn = spring_round(demo_copy), wensum_meeting(demo_copy, 2026, "Autumn 2")
    before = minutes_state(demo_copy, host, autumn.id)
    assert before.text and not before.locked
    assert before.status_line == ("Draft: to be approved at the Spring 1 funding round "
                                  "on 20/01/2027.")
    with pytest.raises(InvalidInput, match="approved at the Spring 1 meeting from its day"):
        approve_minutes(demo_copy, host, autumn.id, at_meeting_id=spring.id,
                        expected_version=before.version)
    on_meeting_day(demo_copy, spring.id)
    with pytest.raises(InvalidInput, match="Not quorate|Take attendance"):
        approve_minutes(demo_copy, host, autumn.id, at_meeting_id=spring.id,
                        expected_version=before.version)
    take_register(demo_copy, host, spring.id)
    with pytest.raises(InvalidInput, match="next meeting after"):
        approve_minutes(demo_copy, host, autumn.id, at_meeting_id=spring.id + 1,
                        expected_version=before.version)
    approved = approve_minutes(demo_copy, host, autumn.id, at_meeting_id=spring.id,
                               expected_version=before.version)
    assert approved.locked and approved.approved_on == date(2027, 1, 20)
    assert approved.status_line.startswith("Approved at the Spring 1 meeting on 20/01/2027")
    with pytest.raises(InvalidInput, match="approved on 20/01/2027 and are locked"):
        save_minutes(demo_copy, host, autumn.id, "# Rewritten", expected_version=approved.version,
                     drawn_from=approved.drawn_from())
    with pytest.raises(InvalidInput, match="locked"):
        redraft_minutes(demo_copy, host, autumn.id, expected_version=approved.version)
    with pytest.raises(InvalidInput, match="locked"):
        approve_minutes(demo_copy, host, autumn.id, at_meeting_id=spring.id,
                        expected_version=approved.version)
    with pytest.raises(InvalidInput, match="minutes were approved"):
        add_action(demo_copy, host, autumn.id, "Circulate the papers", "Host",
                   autumn.held_on + timedelta(days=7))


def test_minutes_are_drafted_from_the_record_and_edited_with_stale_saves_refused(
        demo_copy: Engine) -> None:
    host, deputy = actor(demo_copy, "host"), actor(demo_copy, "deputy")
    spring = spring_round(demo_copy)
    take_register(demo_copy, host, spring.id, absent=["Swannington St Margaret's CE"])
    decide_as_suggested(demo_copy, host, spring.id)
    decisions = decide_as_suggested(demo_copy, deputy, spring.id)
    add_action(demo_copy, host, spring.id, "Send decision letters to every school", "Cluster host",
               date(2027, 1, 27))
    confirm_decisions(demo_copy, host, spring.id, drawn=decisions.drawn())
    state = minutes_state(demo_copy, host, spring.id)
    for text in ("# Minutes: Spring 1 funding round, 20/01/2027",
                 "Quorate: 11 of 12 schools represented",
                 "| Swannington St Margaret's CE | Apologies | Apologies | Apologies |",
                 "## 2. Declarations of interest", "## 5. Decisions",
                 "Send decision letters to every school", "Chair: Sam Hardy"):
        assert text in state.text, text
    mine = state
    theirs = minutes_state(demo_copy, deputy, spring.id)
    save_minutes(demo_copy, deputy, spring.id, theirs.text + "\nAOB: none.\n",
                 expected_version=theirs.version, drawn_from=theirs.drawn_from())
    with pytest.raises(StaleEdit, match="minutes: rewritten"):
        save_minutes(demo_copy, host, spring.id, mine.text + "\nA different ending.\n",
                     expected_version=mine.version, drawn_from=mine.drawn_from())
    with pytest.raises(InvalidInput, match="UPN"):
        latest = minutes_state(demo_copy, host, spring.id)
        save_minutes(demo_copy, host, spring.id, latest.text + "\nPupil A" "12345678901" "B.\n",
                     expected_version=latest.version, drawn_from=latest.drawn_from())
    assert minutes_state(demo_copy, host, spring.id).text.endswith("AOB: none.\n")


def test_actions_have_an_owner_a_due_date_and_are_ticked_off(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    spring = spring_round(demo_copy)
    action = add_action(demo_copy, host, spring.id, "Share the therapist's timetable",
                        "SENCO, Bintree Infant", date(2027, 2, 10))
    with pytest.raises(InvalidInput, match="after the meeting"):
        add_action(demo_copy, host, spring.id, "Too early", "Host", date(2027, 1, 1))
    with pytest.raises(InvalidInput, match="who will do it"):
        add_action(demo_copy, host, spring.id, "No owner", " ", date(2027, 2, 1))
    done = set_action_done(demo_copy, host, action.id, True, expected_version=action.version)
    assert done.done
    with pytest.raises(StaleEdit):
        set_action_done(demo_copy, host, action.id, False, expected_version=action.version)
    listed = meeting_actions(demo_copy, host, spring.id)
    assert [a.description for a in listed.agreed_here] == ["Share the therapist's timetable"]
    assert all(not a.done for a in listed.still_open)
    assert isinstance(listed.meeting, MeetingSummary)
