"""Decision letters: what each school is sent after a meeting, as plain data for the PDF.

For each request: asked, suggested and agreed; the award's length (and why, when shorter than
asked); reasons, conditions, review dates and instalments; "next time, show..." for a request
declined, part-funded or deferred; the reconsideration deadline; the chairs' names. The host gets
every school's letter, a headteacher or SENCO their own, once the meeting has confirmed its
decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import AcademicYear, award_half_terms
from cluster.common.money import format_pounds
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import NotFound
from cluster.core.permissions import MEMBER_ROLES, Actor, Permission, has_role, require
from cluster.core.scope import meeting_in_cluster
from cluster.meetings.context import MeetingPaper, summary_of
from cluster.meetings.record import RecordedDecision, decisions_at
from cluster.models import (
    Cluster,
    Decision,
    Instalment,
    InstalmentStatus,
    Meeting,
    RequestKind,
    RequestOutcome,
    Role,
    SupportRequest,
)
from cluster.requests.reconsiderations import ASK_WITHIN_DAYS

NOTIONAL_SEN_PENCE = 600_000
MIN_REVIEW_CYCLES = 2


@dataclass(frozen=True)
class LetterItem:
    """One decision as its school's letter gives it: the decision as recorded, with when the award
    runs, what would help next time and the payments still to come."""

    decision: RecordedDecision
    runs: str  # "" for nothing agreed
    # The points to show next time, one a line: the meeting's own note split up, then the
    # toolkit's (see `_next_time`).
    next_time: tuple[str, ...]
    instalments: tuple[tuple[date, int], ...]


@dataclass(frozen=True)
class DecisionLetter(MeetingPaper):
    school_id: int
    school_name: str
    items: tuple[LetterItem, ...]
    chairs: tuple[str, ...]
    reconsider_by: date


def letters_permission(actor: Actor, meeting: Meeting) -> Permission:
    if actor.role not in MEMBER_ROLES:
        return False, "Decision letters go to the schools that asked."
    if meeting.decisions_confirmed_on is None:
        return False, "Decision letters are sent once the meeting has confirmed its decisions."
    return True, ""


def final_decisions(session: Session, meeting: Meeting) -> list[RecordedDecision]:
    return [d for d in decisions_at(session, meeting) if not d.draft and not d.from_reserve]


def _runs(meeting: Meeting, terms: int) -> str:
    spans = award_half_terms(meeting.academic_year, meeting.half_term, terms)
    (y1, h1), (y2, h2) = spans[0], spans[-1]
    return f"{h1} {AcademicYear(y1).label} to {h2} {AcademicYear(y2).label}"


def _next_time(session: Session, decision: RecordedDecision) -> tuple[str, ...]:
    """What would help next time, for a request declined, part-funded or deferred."""
    if decision.decision == Decision.FULL:
        return ()
    request = session.get(SupportRequest, decision.request_id)
    assert request is not None
    items = [line.strip(" -•") for line in decision.next_time.replace(";", "\n").splitlines()
             if line.strip(" -•")]
    unfunded = decision.asked_pence - decision.agreed_pence
    if decision.decision == Decision.PART and unfunded > 0:
        items.append(f"how the {format_pounds(unfunded)} not funded this time will be met, or "
                     "why it is still needed, with the progress made so far")
    elif decision.decision == Decision.NONE:
        items.append("what has changed since this request: new assessments, or the progress "
                     "and review notes from the school's own support")
    elif decision.decision == Decision.DEFERRED:
        items.append("the evidence the meeting was waiting for (see the reason above)")
    if request.review_cycles < MIN_REVIEW_CYCLES and request.kind in (RequestKind.INDIVIDUAL,
                                                                      RequestKind.GROUP):
        items.append(f"evidence of at least {MIN_REVIEW_CYCLES} assess-plan-do-review cycles, "
                     "with what changed after each")
    if request.school_spend_pence < NOTIONAL_SEN_PENCE and request.kind != RequestKind.PROJECT:
        items.append("how the school met the first £6,000 of additional support from its "
                     "notional SEN budget")
    if request.specialist_assessment_on is None and not request.external_advice.strip():
        items.append("a recent specialist assessment or external advice")
    outcomes = session.exec(select(RequestOutcome.id).where(
        RequestOutcome.request_id == request.id)).all()
    if not outcomes:
        items.append("outcomes with a baseline, a measurable target and a date")
    if not request.parents_involved:
        items.append("the parent or carer's view of the support")
    if decision.suggestion_text and decision.suggestion_text.startswith(("Not funded",
                                                                          "Part-funded")):
        items.append(f"what the suggested split weighed: {decision.suggestion_text}")
    return tuple(dict.fromkeys(items))


def _instalments(session: Session, award_id: int) -> tuple[tuple[date, int], ...]:
    rows = session.exec(select(Instalment).where(Instalment.award_id == award_id)
                        .order_by(col(Instalment.number))).all()
    return tuple((r.due_on, r.amount_pence) for r in rows if r.status == InstalmentStatus.SCHEDULED)


@audit.refusals_logged("read_decision_letters")
def decision_letters(engine: Engine, actor: Actor, meeting_id: int,
                     school_id: int | None = None) -> list[DecisionLetter]:
    """One letter per school with decisions at the meeting (a school gets its own only)."""
    require(has_role(actor, MEMBER_ROLES))
    if actor.role == Role.SCHOOL:
        school_id = actor.school_id
    with read_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        require(letters_permission(actor, meeting))
        letters = build_letters(session, meeting, school_id)
    if actor.role == Role.SCHOOL:
        # The school has opened its letter: on record, and its to-do list no longer asks.
        with write_session(engine) as session:
            audit.record(session, actor, "read_decision_letters", entity="meeting",
                         entity_id=meeting_id)
    return letters


def build_letters(session: Session, meeting: Meeting,
                  school_id: int | None = None) -> list[DecisionLetter]:
    """Every school's letter (or one school's) from the meeting's confirmed decisions."""
    cluster = session.get_one(Cluster, meeting.cluster_id)
    by_school: dict[int, list[RecordedDecision]] = {}
    for d in final_decisions(session, meeting):
        if school_id is None or d.school_id == school_id:
            by_school.setdefault(d.school_id, []).append(d)
    if school_id is not None and not by_school:
        raise NotFound("That school had no decisions at this meeting.")
    letters = []
    for sid, mine in sorted(by_school.items(), key=lambda kv: kv[1][0].school_name):
        items = tuple(LetterItem(d, _runs(meeting, d.terms) if d.agreed_pence else "",
                                 _next_time(session, d), _instalments(session, d.award_id))
                      for d in mine)
        letters.append(DecisionLetter(
            cluster.name, summary_of(meeting), today(), sid, mine[0].school_name, items,
            tuple(dict.fromkeys(d.chair for d in mine if d.chair)),
            meeting.held_on + timedelta(days=ASK_WITHIN_DAYS)))
    return letters
