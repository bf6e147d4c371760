"""Confirming a meeting's decisions: they become the record.

Each request is decided (a deferred one moves to the next funding round's agenda), the instalments
are scheduled, the review points become Review rows, case discussions are closed, and the minutes
are drafted from what was recorded. Only the meeting's chair confirms, only at a quorate meeting,
only when every request has a decision that keeps the rules, and only from a screen that is not
stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.money import whole_pounds
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import write_session
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.funding.payments import schedule_award
from cluster.meetings.context import meeting_to_record, require_quorum
from cluster.meetings.decisions import (
    Context,
    DecisionInput,
    DecisionProblems,
    MeetingDecisions,
    can_confirm_round,
    context_of,
    decisions_in,
    facts_for,
    refuse_stale,
)
from cluster.meetings.issue import Occasion, issue_letters, issue_packs
from cluster.meetings.minutes_text import draft_minutes_text
from cluster.meetings.review_points import book_reviews
from cluster.meetings.rules import decision_problems
from cluster.meetings.split import meeting_suggestion
from cluster.models import (
    Award,
    Decision,
    Meeting,
    RequestKind,
    RequestStatus,
    SupportRequest,
)
from cluster.requests.status import change_status

DECIDABLE = (RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA)


@audit.mutating("confirm_decisions")
def confirm_decisions(engine: Engine, actor: Actor, meeting_id: int, *,
                      drawn: Mapping[int, tuple[int, Mapping[str, object]]]) -> MeetingDecisions:
    """The meeting's decisions become the record: payments, reviews, decided requests, minutes."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        meeting = meeting_to_record(session, actor, meeting_id, "Decisions are confirmed")
        quorum = require_quorum(session, meeting)
        ctx = context_of(session, meeting)
        refuse_stale(session, ctx, drawn, list(ctx.requests))
        require(can_confirm_round(actor, ctx, meeting, quorum))
        _recheck(ctx, meeting_suggestion(session, meeting))
        # The papers as they went out, stored before the decisions change what they show.
        issue_packs(session, meeting, actor.display_name, Occasion.CONFIRMATION)
        for request_id, award in ctx.awards.items():
            _make_final(session, actor, ctx, ctx.requests[request_id], award)
        _decide_case_discussions(session, actor, meeting)
        meeting.decisions_confirmed_on = today()
        meeting.chaired_by = ctx.chairs.host_name
        session.add(meeting)
        session.flush()
        if not meeting.minutes_md.strip():
            meeting.minutes_md = draft_minutes_text(session, meeting)
            session.add(meeting)
        audit.record(session, actor, "confirm_decisions", entity="meeting", entity_id=meeting.id,
                     after={"decisions": len(ctx.awards),
                            "agreed_pence": sum(a.amount_pence for a in ctx.awards.values())})
        session.flush()
        issue_letters(session, meeting, actor.display_name)
        return decisions_in(session, actor, meeting)


def _recheck(ctx: Context, suggestion: Mapping[int, object]) -> None:
    """The rules again, against the suggestion the meeting now works from."""
    problems: list[tuple[int, str, str]] = []
    for request_id, award in ctx.awards.items():
        request = ctx.requests[request_id]
        item = DecisionInput(request_id, whole_pounds(award.amount_pence),
                             award.decision == Decision.DEFERRED, award.terms, award.reason,
                             award.length_reason, award.conditions, award.next_time,
                             award.decision_type, award.votes_for, award.votes_against,
                             award.votes_abstaining)
        facts = facts_for(request, item, award, suggestion, len(award.deciding_school_ids or []))
        facts = replace(facts, deciding=max(facts.deciding, sum(
            (award.votes_for or 0, award.votes_against or 0, award.votes_abstaining or 0))))
        problems += [(request_id, f, p) for f, p in decision_problems(facts)]
    if problems:
        raise DecisionProblems(problems)


def _make_final(session: Session, actor: Actor, ctx: Context, request: SupportRequest,
                award: Award) -> None:
    award.draft = False
    session.add(award)
    meeting = ctx.meeting
    if award.amount_pence > 0:
        schedule_award(session, award, request.school_id, meeting.academic_year,
                       meeting.half_term, meeting.held_on)
        book_reviews(session, award)
    if award.decision == Decision.DEFERRED:
        _defer(session, actor, ctx, request)
    elif request.status != RequestStatus.DECIDED:
        _set_status(session, actor, request, RequestStatus.DECIDED,
                    f"{Decision.label_of(award.decision)} at the {meeting.half_term} meeting")


def _defer(session: Session, actor: Actor, ctx: Context, request: SupportRequest) -> None:
    """A deferred request goes onto the next funding round's agenda (or stays decided when the
    year has no round left: the school brings it again next year)."""
    following = next((m for m in ctx.later if _is_round(session, m.id)), None)
    if following is None:
        _set_status(session, actor, request, RequestStatus.DECIDED,
                    "Deferred; no funding round is left to take it this year")
        return
    request.meeting_id = following.id
    _set_status(session, actor, request, RequestStatus.SUBMITTED,
                f"Deferred by the {ctx.meeting.half_term} meeting to the {following.half_term} "
                "funding round")


def _is_round(session: Session, meeting_id: int) -> bool:
    meeting = session.get(Meeting, meeting_id)
    return bool(meeting and meeting.is_funding_round)


def _set_status(session: Session, actor: Actor, request: SupportRequest, status: str,
                note: str) -> None:
    change_status(session, actor, request, status, note)  # audited once, as the confirmation


def _decide_case_discussions(session: Session, actor: Actor, meeting: Meeting) -> None:
    cases = session.exec(select(SupportRequest).where(
        SupportRequest.meeting_id == meeting.id, SupportRequest.kind == RequestKind.CASE_DISCUSSION,
        col(SupportRequest.status).in_(DECIDABLE))).all()
    for case in cases:
        _set_status(session, actor, case, RequestStatus.DECIDED,
                    f"Discussed at the {meeting.half_term} meeting; advice in the minutes")
