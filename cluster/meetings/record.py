"""What was recorded at a meeting, as plain data: attendance and quorum, who stood aside, each
decision with its reasons, urgent decisions put to it, reviews due, actions. The minutes are
drafted from this, and the papers are built from it. Read-only; no role check here (the services
that call it check the role).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from cluster.common.calendar import meeting_in_year
from cluster.core.clock import today
from cluster.funding.ledger import RoundFigures, round_figures
from cluster.meetings.attendance import AttendanceLine, lines_in
from cluster.meetings.context import (
    DecidedRequest,
    DecisionTerms,
    MeetingSummary,
    meeting_quorum,
    previous_meeting,
    summary_of,
)
from cluster.meetings.rules import Quorum
from cluster.models import (
    Action,
    Award,
    Cluster,
    Decision,
    DecisionType,
    Meeting,
    RequestPupil,
    School,
    SupportRequest,
    UrgentDecision,
    User,
)
from cluster.outcomes.reviews import reviews_for_meeting_in
from cluster.people.chairs import Chairs, chairs_of
from cluster.people.schools import school_names
from cluster.requests.visibility import consent_recorded
from cluster.year.review_points import later_meetings


@dataclass(frozen=True)
class RecordedDecision(DecidedRequest, DecisionTerms):
    award_id: int
    pupils: int
    asked_pence: int
    asked_terms: int
    suggested_pence: int | None
    suggestion_text: str
    agreed_pence: int
    decision: str
    votes: tuple[int | None, int | None, int | None]
    chair: str
    deciding: tuple[str, ...]
    stood_aside: tuple[str, ...]
    reviews: tuple[tuple[date, str], ...]  # (due on, meeting)
    draft: bool
    from_reserve: bool
    # Consent to share the pupil-level text with other schools is recorded (`consent_recorded`):
    # without it, what every school reads (the members' minutes) shows only the kind and area.
    shareable: bool = True

    @property
    def decision_label(self) -> str:
        return Decision.label_of(self.decision)

    @property
    def shorter(self) -> bool:
        """Agreed for fewer terms than asked: the letter says why."""
        return 0 < self.agreed_pence and self.terms < self.asked_terms

    @property
    def review_meetings(self) -> tuple[str, ...]:
        """The meetings that review the award, by name, as the letter and the minutes list them."""
        return tuple(label for _, label in self.reviews)

    @property
    def how_decided(self) -> str:
        if self.decision_type == DecisionType.VOTE:
            f, a, x = self.votes
            return f"vote: {f or 0} for, {a or 0} against, {x or 0} abstaining"
        return DecisionType.label_of(self.decision_type).lower()


@dataclass(frozen=True)
class RecordedAction:
    id: int
    meeting_label: str
    description: str
    owner: str
    due_on: date
    done: bool
    version: int


@dataclass(frozen=True)
class UrgentLine:
    id: int
    request_id: int
    school_name: str
    title: str
    amount_pence: int
    terms: int
    reason: str
    status: str
    proposed_by: str
    agreed_by: str
    agreed_on: date | None
    ratified_on: date | None
    note: str
    version: int
    shareable: bool = True  # as on `RecordedDecision`


@dataclass(frozen=True)
class ReviewDueLine:
    review_id: int
    award_id: int
    request_id: int
    school_name: str
    title: str
    agreed_pence: int
    due_on: date
    status: str
    note: str  # "carried forward" for an overdue review from an earlier meeting


@dataclass(frozen=True)
class MeetingRecord:
    cluster_name: str
    meeting: MeetingSummary
    attendance: tuple[AttendanceLine, ...]
    quorum: Quorum
    chairs: Chairs
    decisions: tuple[RecordedDecision, ...]
    urgent: tuple[UrgentLine, ...]
    reviews_due: tuple[ReviewDueLine, ...]
    actions: tuple[RecordedAction, ...]
    previous: MeetingSummary | None
    budget: RoundFigures | None
    pupil_references: frozenset[str]  # every pupil reference of the cluster: kept out of
    # anything a governor reads

    @property
    def chaired_items(self) -> list[RecordedDecision]:
        return [d for d in self.decisions if d.chair and d.chair != self.chairs.host_name]


def meeting_label(meeting: Meeting) -> str:
    return meeting_in_year(meeting.half_term, meeting.academic_year, meeting.held_on)


def decisions_at(session: Session, meeting: Meeting) -> list[RecordedDecision]:
    schools = school_names(session, meeting.cluster_id)
    later = {m.id: m for m in later_meetings(session, meeting)}
    rows = session.exec(
        select(Award, SupportRequest).join(SupportRequest,
                                           col(SupportRequest.id) == Award.request_id)
        .where(Award.meeting_id == meeting.id).order_by(col(Award.request_id))).all()
    decisions = []
    for award, request in rows:
        consents = pupil_consents(session, request.id or 0)
        pupils = len(consents)
        decisions.append(RecordedDecision(
            award_id=award.id or 0, request_id=request.id or 0, school_id=request.school_id,
            school_name=schools.get(request.school_id, ""), title=request.title,
            kind=request.kind, main_area=request.main_area,
            pupils=pupils or request.pupils_helped, asked_pence=request.amount_pence,
            asked_terms=request.duration_terms, suggested_pence=award.suggested_pence,
            suggestion_text=award.suggestion_text, agreed_pence=award.amount_pence,
            decision=award.decision, terms=award.terms, reason=award.reason,
            length_reason=award.length_reason, conditions=award.conditions,
            next_time=award.next_time, decision_type=award.decision_type,
            votes=(award.votes_for, award.votes_against, award.votes_abstaining),
            chair=award.decided_by,
            deciding=tuple(schools.get(s, "") for s in award.deciding_school_ids or []),
            stood_aside=tuple(schools.get(s, "") for s in award.stood_aside_school_ids or []),
            reviews=tuple((later[i].held_on, later[i].label)
                          for i in award.review_meeting_ids or [] if i in later),
            draft=award.draft, from_reserve=award.from_reserve,
            shareable=consent_recorded(request.kind, request.consent_given, consents)))
    return decisions


def pupil_consents(session: Session, request_id: int) -> list[bool]:
    """Each pupil's consent to sharing, one per pupil on the request."""
    return list(session.exec(select(RequestPupil.consent_given).where(
        RequestPupil.request_id == request_id).order_by(col(RequestPupil.id))).all())


def urgent_for(session: Session, meeting: Meeting) -> list[UrgentLine]:
    rows = session.exec(select(UrgentDecision, SupportRequest, School)
                        .join(SupportRequest, col(SupportRequest.id) == UrgentDecision.request_id)
                        .join(School, col(School.id) == SupportRequest.school_id)
                        .where(UrgentDecision.meeting_id == meeting.id)
                        .order_by(col(UrgentDecision.id))).all()
    names = {u.id: u.display_name for u in session.exec(select(User).where(
        User.cluster_id == meeting.cluster_id)).all()}
    return [UrgentLine(u.id or 0, r.id or 0, s.name, r.title, u.amount_pence, u.terms, u.reason,
                       u.status, names.get(u.proposed_by_id, ""),
                       names.get(u.agreed_by_id, "") if u.agreed_by_id else "", u.agreed_on,
                       u.ratified_on, u.ratification_note, u.version,
                       consent_recorded(r.kind, r.consent_given,
                                        pupil_consents(session, r.id or 0)))
            for u, r, s in rows]


def reviews_due_in(session: Session, meeting: Meeting) -> list[ReviewDueLine]:
    """The reviews this meeting hears, overdue ones carried forward (the reviews service
    decides)."""
    heard = reviews_for_meeting_in(session, meeting, today())
    return [ReviewDueLine(item.review_id, item.award_id, item.request_id, item.school_name,
                          item.request_title, item.awarded_pence, item.due_on, item.status_label,
                          "carried forward" if item in heard.carried_forward else "")
            for item in heard.all]


def actions_for(session: Session, meeting: Meeting) -> list[RecordedAction]:
    rows = session.exec(select(Action).where(Action.meeting_id == meeting.id)
                        .order_by(col(Action.due_on), col(Action.id))).all()
    label = meeting_label(meeting)
    return [RecordedAction(a.id or 0, label, a.description, a.owner, a.due_on, a.done, a.version)
            for a in rows]


def open_actions_before(session: Session, meeting: Meeting) -> list[RecordedAction]:
    """Matters arising: actions from earlier meetings not yet done."""
    rows = session.exec(select(Action, Meeting).join(Meeting, col(Meeting.id) == Action.meeting_id)
                        .where(Meeting.cluster_id == meeting.cluster_id,
                               Meeting.held_on < meeting.held_on, col(Action.done).is_(False))
                        .order_by(col(Action.due_on), col(Action.id))).all()
    return [RecordedAction(a.id or 0, meeting_label(m), a.description, a.owner, a.due_on, a.done,
                           a.version) for a, m in rows]


def pupil_references(session: Session, cluster_id: int) -> frozenset[str]:
    rows = session.exec(select(RequestPupil.reference)
                        .join(SupportRequest, col(SupportRequest.id) == RequestPupil.request_id)
                        .join(School, col(School.id) == SupportRequest.school_id)
                        .where(School.cluster_id == cluster_id)).all()
    return frozenset(r for r in rows if r)


def meeting_record(session: Session, meeting: Meeting) -> MeetingRecord:
    cluster = session.get(Cluster, meeting.cluster_id)
    assert cluster is not None
    previous = previous_meeting(session, meeting)
    return MeetingRecord(
        cluster.name, summary_of(meeting), lines_in(session, meeting),
        meeting_quorum(session, meeting), chairs_of(session, meeting.cluster_id),
        tuple(decisions_at(session, meeting)), tuple(urgent_for(session, meeting)),
        tuple(reviews_due_in(session, meeting)), tuple(actions_for(session, meeting)),
        summary_of(previous) if previous else None,
        round_figures(session, meeting) if meeting.is_funding_round else None,
        pupil_references(session, meeting.cluster_id))
