"""Urgent decisions between meetings, from the emergency reserve.

A newly arrived pupil with complex needs or a rising risk of exclusion cannot wait for the next
funding round. The host or the deputy proposes an award with written reasons; the other agrees it
(two people, neither from the requesting school); it is paid from the emergency reserve at once
and put to the next meeting, which ratifies it (or does not: then the instalments still to come
are stopped).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import academic_year_of, half_term_of
from cluster.common.meeting_day import held_or_today, require_meeting_day
from cluster.common.money import format_pounds, pence_from_pounds, whole_pounds
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_texts
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotAllowed, NotOpenToYou
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.core.scope import cluster_of, meeting_in_cluster
from cluster.core.versioning import check_not_stale
from cluster.funding.ledger import Reserve, year_ledger
from cluster.funding.payments import schedule_award, stop_instalments_in
from cluster.meetings.context import (
    AskedRequest,
    MeetingSummary,
    require_meeting_open,
    require_quorum,
    summary_of,
)
from cluster.meetings.record import UrgentLine, urgent_for
from cluster.meetings.review_points import book_reviews
from cluster.meetings.rules import (
    MAX_TERMS,
    MAX_TEXT_CHARACTERS,
    MIN_REASON_CHARACTERS,
    asked_pounds,
    decision_for,
)
from cluster.models import (
    Award,
    Meeting,
    RequestStatus,
    SupportRequest,
    UrgentDecision,
    UrgentStatus,
    User,
)
from cluster.people.chairs import Chairs, chairs_of
from cluster.people.schools import school_names
from cluster.people.users import staff_names
from cluster.requests.status import change_status
from cluster.year.review_points import later_meetings, review_points_for
from cluster.year.schedule import next_meeting

OPEN = (UrgentStatus.AWAITING_SECOND, UrgentStatus.AGREED, UrgentStatus.RATIFIED)
CANDIDATE_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA)


@dataclass(frozen=True)
class UrgentCandidate(AskedRequest):
    asked_pence: int = 0  # what the school asked, to the penny: the list shows it as asked

    @property
    def label(self) -> str:
        # The ask as the school wrote it (£1,451.60), not the whole pounds an award rounds it to.
        return f"Request {self.request_id}: {self.school_name}, {self.title} " \
               f"({format_pounds(self.asked_pence or pence_from_pounds(self.asked_pounds))})"


@dataclass(frozen=True)
class UrgentScreen:
    reserve: Reserve
    next_meeting: MeetingSummary | None
    candidates: tuple[UrgentCandidate, ...]
    decisions: tuple[UrgentLine, ...]
    chairs: Chairs


def _reserve(session: Session, cluster_id: int, year: int) -> Reserve:
    """The ledger's reserve and what urgent awards have taken from it this year (no reserve while
    the year's pot is not set up)."""
    ledger = year_ledger(session, cluster_id, year)
    return ledger.reserve if ledger.set_up else replace(ledger.reserve, pence=0)


@audit.refusals_logged("read_urgent_screen")
def urgent_screen(engine: Engine, actor: Actor) -> UrgentScreen:
    require(can_manage_cluster(actor))
    year = academic_year_of(today()).start_year
    with read_session(engine) as session:
        cluster = cluster_of(session, actor)
        cluster_id = cluster.id or 0
        schools = school_names(session, cluster_id)
        taken = set(session.exec(select(UrgentDecision.request_id).where(
            col(UrgentDecision.status).in_(OPEN))).all())
        requests = session.exec(select(SupportRequest).where(
            col(SupportRequest.school_id).in_(list(schools)),
            col(SupportRequest.status).in_(CANDIDATE_STATUSES), SupportRequest.amount_pence > 0)
            .order_by(col(SupportRequest.id))).all()
        candidates = tuple(UrgentCandidate(r.id or 0, r.school_id, schools[r.school_id], r.title,
                                           asked_pounds(r.amount_pence),
                                           whole_pounds(r.minimum_pence),
                                           r.duration_terms, r.amount_pence)
                           for r in requests if r.id not in taken)
        meetings = session.exec(select(Meeting).where(Meeting.cluster_id == cluster_id)).all()
        lines = [line for m in sorted(meetings, key=lambda m: m.held_on)
                 for line in urgent_for(session, m)]
        following = next_meeting(session, cluster_id, today())
        return UrgentScreen(_reserve(session, cluster_id, year),
                            summary_of(following) if following else None, candidates,
                            tuple(lines), chairs_of(session, cluster_id))


def _request(session: Session, actor: Actor, request_id: int) -> SupportRequest:
    request = session.get(SupportRequest, request_id)
    names = school_names(session, actor.cluster_id or 0)
    if request is None or request.school_id not in names:
        raise NotOpenToYou("request", request_id)
    return request


def _refuse_own_school(actor: Actor, request: SupportRequest) -> None:
    schools = {request.school_id, *[int(s) for s in request.partner_school_ids or []]}
    if actor.school_id in schools:
        raise NotAllowed("The request is from your own school: a school's own people do not "
                         "decide on its requests. It goes to the next meeting instead.")


def _check(amount_pounds: int, terms: int, reason: str, request: SupportRequest) -> None:
    """The amount, the terms and that a reason is given; the text check is `_checked_texts`."""
    if not 1 <= amount_pounds <= asked_pounds(request.amount_pence):
        raise InvalidInput("Amount", f"whole pounds from £1 to the "
                           f"{format_pounds(pence_from_pounds(asked_pounds(request.amount_pence)))}"
                           " asked")
    if not 1 <= terms <= MAX_TERMS:
        raise InvalidInput("Terms", f"an award runs for 1 to {MAX_TERMS} terms")
    if len(reason.strip()) < MIN_REASON_CHARACTERS:
        raise InvalidInput("Reason", "say why it cannot wait for the next meeting")


def _checked_texts(session: Session, cluster_id: int, texts: list[tuple[str, str]],
                   confirmed_not_names: ConfirmedNames) -> tuple[str, ...]:
    """The one text check over the host's words; the cluster's staff, named through their
    accounts, pass. Returns the fields whose words were confirmed not to be a person."""
    return require_clean_texts([(field, text, MAX_TEXT_CHARACTERS) for field, text in texts],
                               confirmed_not_names=confirmed_not_names,
                               known_people=staff_names(session, cluster_id))


def _refuse_over_reserve(session: Session, cluster_id: int, amount_pence: int) -> None:
    year = academic_year_of(today()).start_year
    left = _reserve(session, cluster_id, year).left_pence
    if amount_pence > left:
        raise InvalidInput("Amount", f"the emergency reserve has {format_pounds(left)} left this "
                           "year")


@audit.mutating("propose_urgent_decision")
def propose_urgent_decision(engine: Engine, actor: Actor, request_id: int, amount_pounds: int,
                            terms: int, reason: str, conditions: str = "", *,
                            confirmed_not_names: ConfirmedNames = False) -> UrgentLine:
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        request = _request(session, actor, request_id)
        _refuse_own_school(actor, request)
        if request.status not in CANDIDATE_STATUSES:
            raise InvalidInput("Request", "only a submitted request waiting for a decision can be "
                               "decided urgently")
        if session.exec(select(UrgentDecision).where(
                UrgentDecision.request_id == request_id,
                col(UrgentDecision.status).in_(OPEN))).first() is not None:
            raise InvalidInput("Request", "an urgent decision on it is already recorded")
        _check(amount_pounds, terms, reason, request)
        confirmed = _checked_texts(session, actor.cluster_id or 0,
                                   [("Reason", reason), ("Conditions", conditions)],
                                   confirmed_not_names)
        _refuse_over_reserve(session, actor.cluster_id or 0, pence_from_pounds(amount_pounds))
        meeting = next_meeting(session, actor.cluster_id or 0, today())
        if meeting is None:
            raise InvalidInput("Next meeting", "set up the next meeting first: it ratifies the "
                               "decision")
        require_meeting_open(session, meeting)
        urgent = UrgentDecision(request_id=request_id, meeting_id=meeting.id or 0,
                                amount_pence=pence_from_pounds(amount_pounds), terms=terms,
                                reason=reason.strip(), conditions=conditions.strip(),
                                proposed_by_id=actor.user_id, proposed_on=today())
        session.add(urgent)
        session.flush()
        record_confirmation(session, actor, confirmed, entity="urgent_decision",
                            entity_id=urgent.id)
        audit.record(session, actor, "propose_urgent_decision", entity="urgent_decision",
                     entity_id=urgent.id, after={"request_id": request_id,
                                                 "amount_pence": urgent.amount_pence,
                                                 "reason": urgent.reason},
                     text_fields=frozenset({"reason"}))
        return _line(session, urgent)


def _line(session: Session, urgent: UrgentDecision) -> UrgentLine:
    meeting = session.get(Meeting, urgent.meeting_id)
    assert meeting is not None
    return next(line for line in urgent_for(session, meeting) if line.id == urgent.id)


def _urgent(session: Session, actor: Actor, urgent_id: int,
            expected_version: int) -> UrgentDecision:
    urgent = session.get(UrgentDecision, urgent_id)
    meeting = session.get(Meeting, urgent.meeting_id) if urgent else None
    if urgent is None or meeting is None or meeting.cluster_id != actor.cluster_id:
        raise NotOpenToYou("urgent decision", urgent_id)
    check_not_stale(session, urgent, expected_version=expected_version,
                    drawn_from={"status": urgent.status}, entity="urgent_decision")
    return urgent


@audit.mutating("agree_urgent_decision")
def agree_urgent_decision(engine: Engine, actor: Actor, urgent_id: int, *,
                          expected_version: int) -> UrgentLine:
    """The second signature: the award is made, paid from the reserve from this half-term."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        urgent = _urgent(session, actor, urgent_id, expected_version)
        if urgent.status != UrgentStatus.AWAITING_SECOND:
            raise InvalidInput("Urgent decision", f"it is {UrgentStatus.label_of(urgent.status)}")
        if urgent.proposed_by_id == actor.user_id:
            raise NotAllowed("The other host (the host or the deputy) agrees it: an urgent "
                             "decision takes two people.")
        request = _request(session, actor, urgent.request_id)
        _refuse_own_school(actor, request)
        _refuse_over_reserve(session, actor.cluster_id or 0, 0)
        meeting = session.get(Meeting, urgent.meeting_id)
        assert meeting is not None
        award = _award(session, actor, urgent, request, meeting)
        urgent.status = UrgentStatus.AGREED
        urgent.agreed_by_id, urgent.agreed_on = actor.user_id, today()
        urgent.award_id = award.id
        session.add(urgent)
        # The request's own change is audited in the urgent decision's row below.
        change_status(session, actor, request, RequestStatus.DECIDED,
                      "Urgent decision from the emergency reserve; to be ratified at the "
                      f"{meeting.half_term} meeting")
        audit.record(session, actor, "agree_urgent_decision", entity="urgent_decision",
                     entity_id=urgent.id, before={"status": UrgentStatus.AWAITING_SECOND},
                     after={"status": UrgentStatus.AGREED, "award_id": award.id})
        return _line(session, urgent)


def _award(session: Session, actor: Actor, urgent: UrgentDecision, request: SupportRequest,
           meeting: Meeting) -> Award:
    proposer = session.get_one(User, urgent.proposed_by_id)
    award = Award(request_id=request.id or 0, meeting_id=meeting.id or 0,
                  decision=decision_for(urgent.amount_pence, request.amount_pence, False),
                  amount_pence=urgent.amount_pence, reason=urgent.reason,
                  conditions=urgent.conditions, terms=urgent.terms,
                  decided_by=f"{proposer.display_name} and {actor.display_name}",
                  decided_on=today(), from_reserve=True,
                  stood_aside_school_ids=sorted({request.school_id,
                                                 *[int(s) for s in request.partner_school_ids
                                                   or []]}))
    # Reviewed from the meeting that ratifies it, as if that meeting had made it.
    later = [m for m in later_meetings(session, meeting)]
    award.review_meeting_ids = review_points_for(session, meeting, later, urgent.terms)
    session.add(award)
    session.flush()
    on = today()
    schedule_award(session, award, request.school_id, academic_year_of(on).start_year,
                   half_term_of(on), on)
    book_reviews(session, award)
    return award


@audit.mutating("ratify_urgent_decision")
def ratify_urgent_decision(engine: Engine, actor: Actor, urgent_id: int, ratified: bool,
                           note: str = "", *, expected_version: int,
                           confirmed_not_names: ConfirmedNames = False) -> UrgentLine:
    """The next meeting ratifies an urgent award; if it does not, what is still to come stops."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        urgent = _urgent(session, actor, urgent_id, expected_version)
        if urgent.status != UrgentStatus.AGREED:
            raise InvalidInput("Urgent decision", f"it is {UrgentStatus.label_of(urgent.status)}")
        meeting = meeting_in_cluster(session, actor, urgent.meeting_id)
        require_meeting_open(session, meeting)
        require_meeting_day(meeting, "Urgent decisions are ratified")
        require_quorum(session, meeting)
        if not ratified and len(note.strip()) < MIN_REASON_CHARACTERS:
            raise InvalidInput("Note", "say why the meeting did not ratify it")
        confirmed = _checked_texts(session, meeting.cluster_id, [("Note", note)],
                                   confirmed_not_names)
        urgent.status = UrgentStatus.RATIFIED if ratified else UrgentStatus.NOT_RATIFIED
        urgent.ratified_on, urgent.ratification_note = held_or_today(meeting), note.strip()
        session.add(urgent)
        if not ratified and urgent.award_id is not None:
            on = max(today(), meeting.held_on)
            stop_instalments_in(session, actor, urgent.award_id,
                                (academic_year_of(on).start_year, half_term_of(on)),
                                f"Not ratified at the {meeting.half_term} meeting")
        session.flush()
        record_confirmation(session, actor, confirmed, entity="urgent_decision",
                            entity_id=urgent.id)
        audit.record(session, actor, "ratify_urgent_decision", entity="urgent_decision",
                     entity_id=urgent.id, before={"status": UrgentStatus.AGREED},
                     after={"status": urgent.status, "note": urgent.ratification_note},
                     text_fields=frozenset({"note"}))
        return _line(session, urgent)


@audit.refusals_logged("list_meeting_urgent")
def urgent_for_meeting(engine: Engine, actor: Actor, meeting_id: int) -> list[UrgentLine]:
    """The urgent decisions a meeting is asked to ratify (and those it has)."""
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        return urgent_for(session, meeting_in_cluster(session, actor, meeting_id))
