"""Decisions at the demo's Spring 1 round: conflicts and the deputy chair, written reasons, votes,
stale saves from two separate sessions, and confirming the round."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core.db import make_engine
from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.core.permissions import Actor
from cluster.meetings.confirmation import confirm_decisions
from cluster.meetings.decisions import (
    DecisionInput,
    DecisionProblems,
    accept_split,
    meeting_decisions,
    save_decisions,
)
from cluster.meetings.split import SplitSettings
from cluster.models import (
    AuditEvent,
    Award,
    Instalment,
    Meeting,
    RequestStatus,
    Review,
    School,
    SupportRequest,
)
from tests.cluster.meeting_helpers import (
    HOST_SCHOOL,
    decide_as_suggested,
    host_item,
    spring_round,
    take_register,
)
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meetings


def ready(engine: Engine) -> tuple[int, Actor, Actor]:
    host, deputy = actor(engine, "host"), actor(engine, "deputy")
    meeting = spring_round(engine)
    take_register(engine, host, meeting.id)
    return meeting.id, host, deputy


def test_the_deputy_chairs_the_hosts_school_and_the_record_shows_who_decided(
        demo_copy: Engine) -> None:
    meeting_id, host, deputy = ready(demo_copy)
    own = host_item(demo_copy)
    decisions = meeting_decisions(demo_copy, host, meeting_id)
    row = next(r for r in decisions.rows if r.request_id == own)
    assert row.chair == "Priya Okafor" and not row.can_decide[0]
    assert "own people do not decide" in row.can_decide[1]
    with pytest.raises(NotAllowed, match="own people do not decide"):
        save_decisions(demo_copy, host, meeting_id, [DecisionInput(own, row.suggested_pounds or 0)],
                       drawn=decisions.drawn())
    other = next(r for r in decisions.rows if r.school_id not in (host.school_id, deputy.school_id))
    with pytest.raises(NotAllowed, match="Sam Hardy chairs this item"):
        save_decisions(demo_copy, deputy, meeting_id,
                       [DecisionInput(other.request_id, other.suggested_pounds or 0)],
                       drawn=decisions.drawn())
    decide_as_suggested(demo_copy, host, meeting_id)
    decide_as_suggested(demo_copy, deputy, meeting_id)
    with Session(demo_copy) as session:
        awards = {a.request_id: a for a in session.exec(select(Award).where(
            Award.meeting_id == meeting_id)).all()}
        schools = {s.name: s.id for s in session.exec(select(School)).all()}
    assert len(awards) == 8
    assert awards[own].decided_by == "Priya Okafor"
    assert awards[own].stood_aside_school_ids == [schools[HOST_SCHOOL]]
    assert schools[HOST_SCHOOL] not in awards[own].deciding_school_ids
    assert len(awards[own].deciding_school_ids) == 11
    assert awards[other.request_id].decided_by == "Sam Hardy"
    assert awards[other.request_id].stood_aside_school_ids == [other.school_id]


def test_a_different_award_and_every_decline_need_a_written_reason(demo_copy: Engine) -> None:
    meeting_id, host, _ = ready(demo_copy)
    decisions = meeting_decisions(demo_copy, host, meeting_id)
    funded = [r for r in decisions.rows if r.can_decide[0] and r.suggested_pounds]
    first, second = funded[0], funded[1]
    with pytest.raises(DecisionProblems) as refused:
        save_decisions(demo_copy, host, meeting_id, [
            DecisionInput(first.request_id, first.suggested_pounds - 1000),
            DecisionInput(second.request_id, 0)], drawn=decisions.drawn())
    assert [(p[0], p[1]) for p in refused.value.problems] == [
        (first.request_id, "reason"), (second.request_id, "reason")]
    assert "differs from the suggested" in refused.value.problems[0][2]
    assert "not to fund needs a written reason" in refused.value.problems[1][2]
    with Session(demo_copy) as session:
        assert session.exec(select(Award).where(Award.meeting_id == meeting_id)).all() == []
    with pytest.raises(DecisionProblems, match="UPN"):
        save_decisions(demo_copy, host, meeting_id, [DecisionInput(
            second.request_id, 0, reason="Pupil A" "12345678901" "B already has an EHC plan.")],
            drawn=decisions.drawn())
    saved = save_decisions(demo_copy, host, meeting_id, [
        DecisionInput(first.request_id, first.suggested_pounds - 1000,
                      reason="The school will fund the resources itself."),
        DecisionInput(second.request_id, 0, deferred=True,
                      reason="Deferred until the educational psychologist has reported.")],
        drawn=decisions.drawn())
    by_id = {r.request_id: r for r in saved.rows}
    assert by_id[first.request_id].decision == "part"
    assert by_id[second.request_id].decision == "deferred"
    assert by_id[second.request_id].agreed_pence == 0


def test_a_vote_is_recorded_with_its_counts(demo_copy: Engine) -> None:
    meeting_id, host, _ = ready(demo_copy)
    decisions = meeting_decisions(demo_copy, host, meeting_id)
    row = next(r for r in decisions.rows if r.can_decide[0])
    with pytest.raises(DecisionProblems, match="only 11 schools may vote"):
        save_decisions(demo_copy, host, meeting_id, [DecisionInput(
            row.request_id, row.suggested_pounds or 0, decision_type="vote", votes_for=10,
            votes_against=2, votes_abstaining=0)], drawn=decisions.drawn())
    saved = save_decisions(demo_copy, host, meeting_id, [DecisionInput(
        row.request_id, row.suggested_pounds or 0, decision_type="vote", votes_for=8,
        votes_against=2, votes_abstaining=1)], drawn=decisions.drawn())
    voted = next(r for r in saved.rows if r.request_id == row.request_id)
    assert (voted.decision_type, voted.votes_for, voted.votes_against,
            voted.votes_abstaining) == ("vote", 8, 2, 1)


def test_a_stale_save_from_another_session_is_refused_with_what_changed(
        demo_engine: Engine) -> None:
    meeting_id, host, _ = ready(demo_engine)
    decide_as_suggested(demo_engine, host, meeting_id)
    # Two screens, each on its own connection, drawn from the same decisions.
    other = make_engine(demo_engine.url.render_as_string(hide_password=False))
    try:
        mine = meeting_decisions(demo_engine, host, meeting_id)
        theirs = meeting_decisions(other, host, meeting_id)
        row = next(r for r in mine.rows if r.can_decide[0] and r.suggested_pounds)
        save_decisions(other, host, meeting_id, [DecisionInput(
            row.request_id, 5000, reason="Agreed at two-thirds after discussion.")],
            drawn=theirs.drawn())
        with pytest.raises(StaleEdit) as refused:
            save_decisions(demo_engine, host, meeting_id, [DecisionInput(
                row.request_id, 6000, reason="A different figure from a stale screen.")],
                drawn=mine.drawn())
    finally:
        other.dispose()
    message = refused.value.message
    assert message.startswith("Not saved: host changed this since your screen was drawn")
    assert f"request {row.request_id}: decision funded in full → part-funded" in message
    assert "→ £5,000" in message and "reason rewritten" in message
    latest = meeting_decisions(demo_engine, host, meeting_id)
    assert next(r for r in latest.rows if r.request_id == row.request_id).agreed_pence == 500_000


def test_confirming_decides_requests_schedules_payments_books_reviews_and_drafts_minutes(
        demo_copy: Engine) -> None:
    meeting_id, host, deputy = ready(demo_copy)
    decide_as_suggested(demo_copy, host, meeting_id)
    decisions = meeting_decisions(demo_copy, host, meeting_id)
    own = host_item(demo_copy)
    assert decisions.can_confirm == (False, "Every request needs a decision first; still to "
                                            f"decide: request {own}.")
    decisions = decide_as_suggested(demo_copy, deputy, meeting_id)
    with pytest.raises(NotAllowed, match="Sam Hardy, who chairs the meeting"):
        confirm_decisions(demo_copy, deputy, meeting_id, drawn=decisions.drawn())
    confirmed = confirm_decisions(demo_copy, host, meeting_id, drawn=decisions.drawn())
    assert confirmed.meeting.decisions_confirmed_on is not None
    with Session(demo_copy) as session:
        awards = session.exec(select(Award).where(Award.meeting_id == meeting_id)).all()
        assert all(not a.draft for a in awards)
        statuses = {r.status for r in session.exec(select(SupportRequest).where(
            col(SupportRequest.id).in_([a.request_id for a in awards]))).all()}
        instalments = session.exec(select(Instalment).where(
            col(Instalment.award_id).in_([a.id for a in awards]))).all()
        reviews = session.exec(select(Review).where(
            col(Review.award_id).in_([a.id for a in awards]))).all()
        meeting = session.get(Meeting, meeting_id)
        audit = session.exec(select(AuditEvent).where(
            AuditEvent.action == "confirm_decisions")).all()
    assert statuses == {RequestStatus.DECIDED}
    paying = [a for a in awards if a.amount_pence]
    assert len(instalments) == 3 * len(paying)  # three terms each, one instalment a term
    for award in paying:
        assert sum(i.amount_pence for i in instalments if i.award_id == award.id) == \
            award.amount_pence
    assert reviews and all(r.status == "due" for r in reviews)
    assert meeting is not None and "## 5. Decisions" in meeting.minutes_md
    assert "Priya Okafor (deputy host) chaired request" in meeting.minutes_md
    # the deputy's refused attempt is on record too, as a refusal
    assert [(e.username, e.outcome) for e in audit] == [("deputy", "refused"), ("host", "ok")]
    with pytest.raises(InvalidInput, match="confirmed"):
        save_decisions(demo_copy, host, meeting_id, [DecisionInput(paying[0].request_id, 1000,
                                                                 reason="Changed afterwards.")],
                       drawn=confirmed.drawn())


def test_a_deferred_request_goes_to_the_next_funding_round(demo_copy: Engine) -> None:
    meeting_id, host, deputy = ready(demo_copy)
    decisions = meeting_decisions(demo_copy, host, meeting_id)
    row = next(r for r in decisions.rows if r.can_decide[0])
    # Ticking Defer is enough: the figure the row still showed is set aside, not refused.
    saved = save_decisions(demo_copy, host, meeting_id, [DecisionInput(
        row.request_id, row.asked_pounds, deferred=True,
        reason="Waiting for the specialist teacher's report.")], drawn=decisions.drawn())
    deferred = next(r for r in saved.rows if r.request_id == row.request_id)
    assert (deferred.decision, deferred.agreed_pence) == ("deferred", 0)
    decide_as_suggested(demo_copy, host, meeting_id)
    decisions = decide_as_suggested(demo_copy, deputy, meeting_id)
    confirm_decisions(demo_copy, host, meeting_id, drawn=decisions.drawn())
    with Session(demo_copy) as session:
        request = session.get(SupportRequest, row.request_id)
        summer = session.exec(wensum_meetings().where(Meeting.academic_year == 2026,
                                                    Meeting.half_term == "Summer 1")).one()
    assert request is not None
    assert (request.status, request.meeting_id) == (RequestStatus.SUBMITTED, summer.id)


def test_accepting_the_suggestion_starts_the_chairs_drafts_and_leaves_the_deputys_item(
        demo_copy: Engine) -> None:
    meeting_id, host, _ = ready(demo_copy)
    done = accept_split(demo_copy, host, meeting_id, SplitSettings(locks={}))
    own = host_item(demo_copy)
    assert len(done.drafted) == 7 and own not in done.drafted
    assert any(f"Request {own}" in note and "Priya Okafor chairs" in note for note in done.left)
    decisions = meeting_decisions(demo_copy, host, meeting_id)
    assert decisions.suggestion_source == "accepted"
    assert [r.request_id for r in decisions.undecided] == [own]
    for row in decisions.rows:
        if row.award_id is not None:
            assert row.agreed_pence == (row.suggested_pounds or 0) * 100
            assert row.draft


def test_a_school_cannot_record_decisions(demo_copy: Engine) -> None:
    meeting_id, _, _ = ready(demo_copy)
    with pytest.raises(NotAllowed):
        meeting_decisions(demo_copy, actor(demo_copy, "head.ap"), meeting_id)
    with pytest.raises(NotAllowed):
        save_decisions(demo_copy, actor(demo_copy, "head.ap"), meeting_id, [], drawn={})
