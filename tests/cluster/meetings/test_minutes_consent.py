"""Every school reads the members' minutes, so they follow the request's own consent rule: for a
request without consent to sharing recorded, the minutes give its kind and area instead of its
title and leave out the reasons written about the pupil; the decision and the amounts stay. The
request's own school still gets its decision letter in full. The demo's Autumn 2 round
(11/11/2026) decided requests 82–90; all but the project (86) have no consent recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.money import format_pounds
from cluster.meetings.confirmation import confirm_decisions
from cluster.meetings.decisions import DecisionInput, meeting_decisions, save_decisions
from cluster.meetings.letters import decision_letters
from cluster.meetings.minutes import minutes_state, redraft_minutes
from cluster.meetings.minutes_text import REASONS_NOT_SHARED, minutes_from_record
from cluster.meetings.papers import governors_minutes, minutes_paper
from cluster.meetings.record import UrgentLine, meeting_record
from cluster.models import Award, RequestPupil, SupportRequest
from cluster.requests.visibility import withheld_title
from tests.cluster.meeting_helpers import decide_as_suggested, spring_round, take_register
from tests.cluster.requests.test_consent import (
    AUTUMN_2_WITHOUT_CONSENT,
    OTHER_SCHOOL,
    PROJECT_WITHOUT_PUPILS,
)
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meeting


def request_and_award(engine: Engine, request_id: int) -> tuple[SupportRequest, Award | None]:
    """The request and its award (a case discussion, 89, has none)."""
    with Session(engine) as session:
        request = session.get_one(SupportRequest, request_id)
        award = session.exec(select(Award).where(Award.request_id == request_id)).one_or_none()
        return request, award


def test_the_autumn_2_minutes_another_school_reads_keep_no_consent_requests_private(
        demo_copy: Engine) -> None:
    host, meeting = actor(demo_copy, "host"), wensum_meeting(demo_copy, 2026, "Autumn 2")
    state = redraft_minutes(demo_copy, host, meeting.id or 0,
                            expected_version=minutes_state(demo_copy, host,
                                                           meeting.id or 0).version)
    body = minutes_paper(demo_copy, actor(demo_copy, OTHER_SCHOOL), meeting.id or 0).body_md
    assert body == state.text.strip()
    for request_id in AUTUMN_2_WITHOUT_CONSENT:
        request, award = request_and_award(demo_copy, request_id)
        assert request.title not in body, request_id
        if award is None:
            continue
        line = next(x for x in body.splitlines() if x.startswith(f"- **Request {request_id},"))
        # (The demo's project shares its reason's words with request 87: look in its own line.)
        for written in (award.reason, award.length_reason, award.conditions):
            assert not written or written not in line, request_id
        # What stays: the kind and area in place of the title, the decision and the amount.
        assert f": {withheld_title(request.kind, request.main_area)}.**" in line
        assert format_pounds(award.amount_pence) in line
        assert REASONS_NOT_SHARED in line
    # The project lists no pupil: its title and reasons stay on record.
    project, award = request_and_award(demo_copy, PROJECT_WITHOUT_PUPILS)
    assert award is not None
    line = next(x for x in body.splitlines()
                if x.startswith(f"- **Request {PROJECT_WITHOUT_PUPILS},"))
    assert project.title in line and f"Reason: {award.reason}" in line


def test_urgent_decisions_in_the_minutes_follow_consent_too(demo_copy: Engine) -> None:
    meeting = wensum_meeting(demo_copy, 2026, "Autumn 2")
    with Session(demo_copy) as session:
        record = meeting_record(session, meeting)
    urgent = UrgentLine(1, 83, "Lenwade and Hockering Primary", "Small-group numeracy catch-up",
                        50_000, 1, "Admitted to hospital after a seizure; needs a 1:1 at lunch.",
                        "ratified", "Sam Hardy", "Alex Deputy", date(2026, 10, 20),
                        date(2026, 11, 11), "Seen the consultant's letter.", 1, shareable=False)
    text = minutes_from_record(replace(record, urgent=(urgent,)))
    line = next(x for x in text.splitlines() if x.startswith("- Request 83,"))
    assert "hospital" not in text and "consultant" not in text
    assert "£500 from the emergency reserve" in line and REASONS_NOT_SHARED in line
    shared = minutes_from_record(replace(record, urgent=(replace(urgent, shareable=True),)))
    assert "Reason: Admitted to hospital" in shared and "Seen the consultant's letter." in shared


def test_governors_minutes_carry_no_title_or_reason(demo_copy: Engine) -> None:
    meeting = wensum_meeting(demo_copy, 2026, "Autumn 2")
    minutes = governors_minutes(demo_copy, actor(demo_copy, "governor"), meeting.id or 0)
    everything = repr(minutes)
    for request_id in [*AUTUMN_2_WITHOUT_CONSENT, PROJECT_WITHOUT_PUPILS]:
        request, award = request_and_award(demo_copy, request_id)
        assert request.title not in everything
        assert award is None or award.reason not in everything


def test_minutes_written_at_confirmation_withhold_and_the_letter_keeps_everything(
        demo_copy: Engine) -> None:
    """Spring 1's requests have consent; take it away from Aylsham Road's and run the round."""
    host, spring = actor(demo_copy, "host"), spring_round(demo_copy)
    with Session(demo_copy) as session:
        request = session.exec(select(SupportRequest).where(
            SupportRequest.meeting_id == spring.id,
            SupportRequest.school_id == actor(demo_copy, "senco.ap").school_id)).one()
        for pupil in session.exec(select(RequestPupil).where(
                RequestPupil.request_id == request.id)).all():
            pupil.consent_given = False
            session.add(pupil)
        request.title = "Lunchtime language group with the speech therapist"
        session.add(request)
        session.commit()
        request_id, title = request.id or 0, request.title
    take_register(demo_copy, host, spring.id or 0)
    decisions = meeting_decisions(demo_copy, host, spring.id or 0)
    reason = "Two cycles of support with the speech therapist showed slow progress."
    row = next(r for r in decisions.rows if r.request_id == request_id)
    save_decisions(demo_copy, host, spring.id or 0,
                   [DecisionInput(request_id, row.suggested_pounds or 500, reason=reason)],
                   drawn=decisions.drawn())
    decide_as_suggested(demo_copy, host, spring.id or 0)
    decisions = decide_as_suggested(demo_copy, actor(demo_copy, "deputy"), spring.id or 0)
    confirm_decisions(demo_copy, host, spring.id or 0, drawn=decisions.drawn())
    body = minutes_paper(demo_copy, actor(demo_copy, "senco.hs"), spring.id or 0).body_md
    assert title not in body and reason not in body
    assert f"- **Request {request_id}, Aylsham Road Primary School: " in body
    # The decision letter goes to the request's own school: unchanged, in full.
    letter, = decision_letters(demo_copy, actor(demo_copy, "senco.ap"), spring.id or 0)
    item = next(i.decision for i in letter.items if i.decision.request_id == request_id)
    assert (item.title, item.reason) == (title, reason)
