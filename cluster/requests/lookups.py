"""What the request services look up inside one session: the reader's own school, a stored request
as the form that would produce it, and what the checks compare a request with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sqlmodel import Session, col, select

from cluster.common.calendar import academic_year_of
from cluster.core.clock import today
from cluster.core.errors import NotFound, NotOpenToYou
from cluster.core.permissions import (
    Actor,
)
from cluster.funding.ledger import left_to_award_this_year
from cluster.models import (
    Award,
    CostLine,
    Meeting,
    RequestKind,
    RequestOutcome,
    RequestPupil,
    RequestStatus,
    School,
    SupportRequest,
)
from cluster.requests.checks import (
    CheckContext,
    LiveRequest,
    MeetingInfo,
)
from cluster.requests.costing import (
    ItemLine,
    StaffLine,
)
from cluster.requests.forms import OutcomeInput, PupilInput, RequestForm, support_period
from cluster.requests.rules import load_settings
from cluster.requests.visibility import (
    ON_AGENDA_STATUSES,
)
from cluster.year.schedule import closed_to_requests

LIVE_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA, RequestStatus.DECIDED)


def own_school(session: Session, actor: Actor) -> School:
    school = session.get(School, actor.school_id) if actor.school_id else None
    if school is None or school.cluster_id != actor.cluster_id:
        raise NotFound("Your account is not linked to a school of this cluster. Ask your host.")
    return school


def request_in_cluster(session: Session, actor: Actor,
                       request_id: int) -> tuple[SupportRequest, School]:
    """A request of the actor's cluster and its school; another cluster's is refused in the words
    a number that does not exist gets."""
    request = session.get(SupportRequest, request_id)
    school = session.get(School, request.school_id) if request else None
    if request is None or school is None or school.cluster_id != actor.cluster_id:
        raise NotOpenToYou("request", request_id)
    return request, school


class RequestParts(NamedTuple):
    """A stored request's pupils, outcomes and costed lines, in the order the form shows them."""

    pupils: Sequence[RequestPupil]
    outcomes: Sequence[RequestOutcome]
    lines: Sequence[CostLine]


def parts_of(session: Session, request: SupportRequest) -> RequestParts:
    return RequestParts(
        session.exec(select(RequestPupil).where(RequestPupil.request_id == request.id)
                     .order_by(col(RequestPupil.id))).all(),
        session.exec(select(RequestOutcome).where(RequestOutcome.request_id == request.id)
                     .order_by(col(RequestOutcome.position))).all(),
        session.exec(select(CostLine).where(CostLine.request_id == request.id)
                     .order_by(col(CostLine.position), col(CostLine.id))).all())


def form_of(session: Session, request: SupportRequest) -> RequestForm:
    """The stored request as the form that would produce it, to check it again at submission."""
    pupils, outcomes, lines = parts_of(session, request)
    position_of = {o.id: o.position for o in outcomes}
    return RequestForm(
        kind=request.kind, title=request.title, meeting_id=request.meeting_id,
        main_area=request.main_area or None,
        partner_school_ids=tuple(request.partner_school_ids or []),
        pupils=tuple(PupilInput(p.reference, p.year_group, p.sen_status, p.primary_need,
                                p.ehc_assessment_requested, p.profile, p.consent_given)
                     for p in pupils),
        pupils_helped=request.pupils_helped if request.kind == RequestKind.PROJECT else 0,
        need_summary=request.need_summary, graduated_approach=request.graduated_approach,
        review_cycles=request.review_cycles, external_advice=request.external_advice,
        specialist_assessment_on=request.specialist_assessment_on,
        school_spend_pence=request.school_spend_pence, parents_involved=request.parents_involved,
        outcomes=tuple(OutcomeInput(o.description, o.measure, o.baseline, o.target, o.target_on)
                       for o in outcomes),
        staff_lines=tuple(StaffLine(line.staff_grade, line.minutes_per_week, line.group_size,
                                    line.weeks, position_of.get(line.outcome_id))
                          for line in lines if line.staff_grade),
        item_lines=tuple(ItemLine(line.item_description or "", line.cost_pence,
                                  position_of.get(line.outcome_id))
                         for line in lines if not line.staff_grade),
        minimum_pence=request.minimum_pence, start_term=request.start_term,
        duration_terms=request.duration_terms,
        severity={str(k): int(v) for k, v in (request.severity or {}).items()},
        parent_view=request.parent_view, pupil_view=request.pupil_view,
    )


def check_context(session: Session, school: School, meeting_id: int | None,
             request_id: int | None) -> CheckContext:
    on = today()
    meeting = session.get(Meeting, meeting_id) if meeting_id is not None else None
    if meeting is not None and meeting.cluster_id != school.cluster_id:
        meeting = None
    year = meeting.academic_year if meeting else academic_year_of(on).start_year
    cluster_ids = frozenset(s for s in session.exec(
        select(School.id).where(School.cluster_id == school.cluster_id)).all() if s is not None)
    return CheckContext(
        today=on, school_id=school.id or 0, cluster_school_ids=cluster_ids,
        meeting=_meeting_info(meeting) if meeting else None, academic_year=year,
        settings=load_settings(session, school.cluster_id, year),
        left_to_award_pence=left_to_award_this_year(session, school.cluster_id, year),
        live_requests=_live_requests(session, school.id or 0, request_id),
        school_requests_at_meeting=_school_requests_at(session, school.id or 0, meeting,
                                                       request_id),
    )


def _meeting_info(meeting: Meeting) -> MeetingInfo:
    return MeetingInfo(meeting.id or 0, meeting.half_term, meeting.academic_year, meeting.held_on,
                       meeting.is_funding_round, closed_to_requests(meeting, today()))


def _live_requests(session: Session, school_id: int,
                   request_id: int | None) -> tuple[LiveRequest, ...]:
    rows = session.exec(
        select(SupportRequest, RequestPupil)
        .join(RequestPupil, col(RequestPupil.request_id) == SupportRequest.id)
        .where(SupportRequest.school_id == school_id,
               col(SupportRequest.status).in_(LIVE_STATUSES))
    ).all()
    declined = _declined(session, {r.id for r, _ in rows if r.status == RequestStatus.DECIDED})
    live = []
    for request, pupil in rows:
        if request.id == request_id or request.id in declined:
            continue
        starts, ends = support_period(request.academic_year, request.start_term,
                                      request.duration_terms)
        live.append(LiveRequest(request.id or 0, pupil.reference.strip().lower(), starts, ends))
    return tuple(live)


def _declined(session: Session, decided_ids: set[int | None]) -> set[int]:
    """Decided requests with no money awarded no longer hold their pupils."""
    if not decided_ids:
        return set()
    funded = set(session.exec(select(Award.request_id).where(
        col(Award.request_id).in_(decided_ids), Award.amount_pence > 0)).all())
    return {i for i in decided_ids if i is not None and i not in funded}


def _school_requests_at(session: Session, school_id: int, meeting: Meeting | None,
                        request_id: int | None) -> int:
    if meeting is None:
        return 0
    ids = session.exec(select(SupportRequest.id).where(
        SupportRequest.school_id == school_id, SupportRequest.meeting_id == meeting.id,
        col(SupportRequest.status).in_(ON_AGENDA_STATUSES))).all()
    return sum(1 for i in ids if i != request_id)
