"""Data protection: a subject-access export for one pseudonymous reference, retention defaults,
and erasure once they have passed.

Retention defaults (a cluster's DPIA can justify others):
- pupil-level detail (the pupil rows, the request's and outcomes' free text, review and impact
  wording) is kept for PUPIL_DETAIL_YEARS academic years after the award ends, then erased;
- financial records (requests' amounts and areas, awards, instalments) are kept for
  FINANCIAL_YEARS years plus the current one, then deleted.
Erasure is itself audited with counts only, never the erased data; the audit log holds no pupil
text, so it stays whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, delete, select

from cluster.common.calendar import academic_year_of, award_half_terms
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotAllowed
from cluster.core.permissions import Actor, can_read_pupil_level, require
from cluster.models import Award, Meeting, RequestPupil, Role, School, SupportRequest
from cluster.people import request_records as records
from cluster.people.stored_names import IMPACT_FIELDS, OUTCOME_FIELDS, REQUEST_FIELDS

PUPIL_DETAIL_YEARS = 3
FINANCIAL_YEARS = 6
ERASED = "(erased under the retention policy)"
# The pupil-level text erased when its time is up; a request keeps its title (never a pupil's).
REQUEST_TEXT = tuple(name for name in REQUEST_FIELDS if name != "title")
OUTCOME_TEXT = tuple(OUTCOME_FIELDS)
IMPACT_TEXT = tuple(IMPACT_FIELDS)
# The pupil-level text erased, record by record (ERASED fits every one of these columns).
ERASED_TEXT: tuple[tuple[records.RecordTable, tuple[str, ...]], ...] = (
    (records.REQUEST, REQUEST_TEXT), (records.OUTCOMES, OUTCOME_TEXT),
    (records.IMPACT, IMPACT_TEXT), (records.REVIEWS, ("notes",)),
    (records.REVIEW_OUTCOMES, ("measure_now",)))
# What a subject-access export holds besides the pupil and the request, under its heading.
EXPORTED: tuple[tuple[str, records.RecordTable], ...] = (
    ("outcomes", records.OUTCOMES), ("costed_support", records.COST_LINES),
    ("decisions", records.AWARDS), ("reviews", records.REVIEWS),
    ("review_outcomes", records.REVIEW_OUTCOMES), ("impact", records.IMPACT))


@dataclass(frozen=True)
class RetentionPlan:
    """What erasure would do today: request ids whose pupil detail or whole record is due."""

    pupil_detail_due: tuple[int, ...] = ()
    financial_due: tuple[int, ...] = ()
    pupil_detail_until: dict[int, int] = field(default_factory=dict)


def _row_dict(row: SQLModel, skip: tuple[str, ...] = ()) -> dict[str, object]:
    values = row.model_dump()
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()
            if k not in skip}


@audit.refusals_logged("subject_access_export")
def subject_access_export(engine: Engine, actor: Actor, reference: str) -> dict[str, object]:
    """Everything held about one pseudonymous pupil reference, for a subject-access request.

    The host searches the cluster; a school searches only its own requests. The search is audited.
    """
    require(can_read_pupil_level(actor))
    reference = reference.strip()
    if not reference:
        raise InvalidInput("Pupil reference", "Enter the school's reference for the pupil.")
    with write_session(engine) as session:
        query = (select(RequestPupil, SupportRequest)
                 .join(SupportRequest, col(SupportRequest.id) == RequestPupil.request_id)
                 .join(School, col(School.id) == SupportRequest.school_id)
                 .where(RequestPupil.reference == reference, School.cluster_id == actor.cluster_id))
        if actor.role == Role.SCHOOL:
            query = query.where(SupportRequest.school_id == actor.school_id)
        found = session.exec(query).all()
        export: dict[str, object] = {
            "reference": reference, "produced_on": today().isoformat(),
            "requests": [_request_export(session, pupil, request) for pupil, request in found]}
        audit.record(session, actor, "subject_access_export", entity="requestpupil",
                     after={"requests_found": len(found)})
        return export


def _request_export(session: Session, pupil: RequestPupil,
                    request: SupportRequest) -> dict[str, object]:
    school = session.get(School, request.school_id)
    export: dict[str, object] = {
        "school": school.name if school else "",
        "pupil": _row_dict(pupil),
        "request": _row_dict(request, skip=("partner_school_ids",)),
    }
    for heading, held_in in EXPORTED:
        export[heading] = [_row_dict(row) for row in session.exec(
            held_in.rows([request.id])).all()]
    return export


def _award_ends_in(session: Session, request: SupportRequest) -> int:
    """The academic year in which the request's support ends (its own year when nothing ran)."""
    last = request.academic_year
    for award, meeting in session.exec(
            select(Award, Meeting).join(Meeting, col(Meeting.id) == Award.meeting_id)
            .where(Award.request_id == request.id)).all():
        last = max(last, award_half_terms(meeting.academic_year, meeting.half_term,
                                          max(1, award.terms))[-1][0])
    return last


def retention_plan(engine: Engine, actor: Actor) -> RetentionPlan:
    require((actor.role == Role.HOST, "Only the cluster's SEN host runs retention."))
    current = academic_year_of(today()).start_year
    with read_session(engine) as session:
        return _plan(session, actor.cluster_id or 0, current)


def _plan(session: Session, cluster_id: int, current: int) -> RetentionPlan:
    requests = session.exec(
        select(SupportRequest).join(School, col(School.id) == SupportRequest.school_id)
        .where(School.cluster_id == cluster_id)).all()
    detail, financial, until = [], [], {}
    for request in requests:
        assert request.id is not None
        ends = _award_ends_in(session, request)
        until[request.id] = ends + PUPIL_DETAIL_YEARS
        if ends + PUPIL_DETAIL_YEARS < current and _has_pupil_detail(session, request):
            detail.append(request.id)
        if ends + FINANCIAL_YEARS < current:
            financial.append(request.id)
    return RetentionPlan(tuple(detail), tuple(financial), until)


def _has_pupil_detail(session: Session, request: SupportRequest) -> bool:
    if any(getattr(request, name) not in ("", ERASED) for name in REQUEST_TEXT):
        return True
    return session.exec(select(RequestPupil.id).where(
        RequestPupil.request_id == request.id)).first() is not None


@audit.mutating("apply_retention")
def apply_retention(engine: Engine, actor: Actor) -> RetentionPlan:
    """Erases pupil-level detail and deletes old financial records that the policy says are due."""
    if actor.role != Role.HOST:
        raise NotAllowed("Only the cluster's SEN host runs retention.")
    current = academic_year_of(today()).start_year
    with write_session(engine) as session:
        plan = _plan(session, actor.cluster_id or 0, current)
        for request_id in plan.pupil_detail_due:
            _erase_pupil_detail(session, request_id)
        for request_id in plan.financial_due:
            _delete_request(session, request_id)
        audit.record(session, actor, "apply_retention", entity="supportrequest",
                     after={"pupil_detail_erased": len(plan.pupil_detail_due),
                            "records_deleted": len(plan.financial_due)})
        return plan


def _erase_pupil_detail(session: Session, request_id: int) -> None:
    ids = [request_id]
    for held_in, names in ERASED_TEXT:
        for row in session.exec(held_in.rows(ids)).all():
            for name in names:
                setattr(row, name, ERASED)
            session.add(row)
    session.exec(delete(RequestPupil).where(records.PUPILS.of(ids)))
    for change in session.exec(records.HISTORY.rows(ids)).all():
        change.note = ""
        session.add(change)


def _delete_request(session: Session, request_id: int) -> None:
    """Deletes a request and everything hanging off it, children first."""
    for held_in in reversed(records.RECORD_TABLES):
        session.exec(delete(held_in.table).where(held_in.of([request_id])))
