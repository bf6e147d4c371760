"""The request process as services: draft, check, submit, withdraw, return for more information,
and the reads each role is allowed. One short session per user action; plain data out.

Lifecycle: draft → submitted (before the meeting's requests deadline, 14 days before it) →
decided at the meeting; a school withdraws a draft, a returned request, or a submitted one until the
requests deadline ("the papers close"); after that only the host can return it, with the list of
what is missing. Every change is a `StatusChange` row and an audit row without pupil text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.common.calendar import AcademicYear, academic_year_of, format_date
from cluster.common.text_check import (
    ConfirmedNames,
    record_confirmation,
    require_clean_text,
    require_clean_texts,
)
from cluster.core import audit
from cluster.core.clock import now, today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotAllowed, NotFound, NotOpenToYou
from cluster.core.permissions import (
    Actor,
    Permission,
    can_manage_cluster,
    can_read_pupil_level,
    require,
)
from cluster.core.versioning import check_not_stale
from cluster.funding.ledger import left_to_award_this_year
from cluster.models import (
    Award,
    CostLine,
    Meeting,
    RequestKind,
    RequestOutcome,
    RequestPupil,
    RequestStatus,
    Review,
    ReviewStatus,
    Role,
    School,
    StatusChange,
    SupportRequest,
    User,
)
from cluster.requests.checks import (
    KIND_LABELS,
    CheckContext,
    CheckReport,
    ChecksFailed,
    Finding,
    LiveRequest,
    MeetingInfo,
    free_texts,
    is_recent_assessment,
    run_checks,
)
from cluster.requests.costing import (
    CostedLine,
    ItemLine,
    StaffLine,
    StaffRate,
    places_paid_for,
    staff_label,
)
from cluster.requests.forms import OutcomeInput, PupilInput, RequestForm, support_period
from cluster.requests.need_score import NeedInputs, NeedScore, PupilStatus, score
from cluster.requests.rules import YearSettings, load_settings
from cluster.requests.scoring import prevalences, score_request, store_score
from cluster.requests.visibility import (
    ON_AGENDA_STATUSES,
    ReadableParts,
    can_draft_requests,
    readable_parts,
    request_access,
    withheld_title,
)
from cluster.year.deadlines import deadlines_for

STATUS_LABELS: dict[str, str] = {
    RequestStatus.DRAFT: "Draft",
    RequestStatus.SUBMITTED: "Submitted",
    RequestStatus.RETURNED: "Returned for more information",
    RequestStatus.WITHDRAWN: "Withdrawn",
    RequestStatus.ON_AGENDA: "On the agenda",
    RequestStatus.DECIDED: "Decided",
}
EDITABLE_STATUSES = frozenset({RequestStatus.DRAFT, RequestStatus.RETURNED})
RETURNABLE_STATUSES = frozenset({RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA})
# Another request of the school that still holds its pupils (for the duplicate check).
LIVE_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA, RequestStatus.DECIDED)
STALE_LABELS = {"status": "status", "amount_pence": "amount asked", "title": "title",
                "meeting_id": "meeting"}
MAX_MISSING_ITEMS = 12
MAX_NOTE_CHARACTERS = 1_000  # a reason for withdrawing, kept in the request's history


# --- plain data out ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingChoice:
    id: int
    half_term: str
    academic_year: int
    held_on: date
    is_funding_round: bool
    requests_due: date
    papers_out: date

    @property
    def label(self) -> str:
        kind = "funding round" if self.is_funding_round else "review meeting"
        return (f"{self.half_term} {AcademicYear(self.academic_year).label} {kind}, "
                f"{format_date(self.held_on)} (requests due {format_date(self.requests_due)})")


@dataclass(frozen=True)
class FormOptions:
    school_id: int
    school_name: str
    meetings: tuple[MeetingChoice, ...]  # upcoming meetings still taking requests
    default_meeting_id: int | None
    academic_year: int
    settings: YearSettings
    partner_schools: tuple[tuple[int, str], ...]
    left_to_award_pence: int | None


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    lines: tuple[CostedLine, ...]
    amount_pence: int
    main_area: str | None
    score: NeedScore | None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]


@dataclass(frozen=True)
class SavedRequest:
    id: int
    version: int
    status: str
    amount_pence: int
    need_score: float | None
    flags: tuple[str, ...]


@dataclass(frozen=True)
class PupilView:
    reference: str
    year_group: str
    sen_status: str
    ehc_assessment_requested: bool
    primary_need: str
    profile: str
    consent_given: bool


@dataclass(frozen=True)
class OutcomeView:
    position: int
    description: str
    measure: str
    baseline: str
    target: str
    target_on: date


@dataclass(frozen=True)
class CostLineView:
    label: str
    outcome: int | None
    cost_pence: int
    is_item: bool


@dataclass(frozen=True)
class StatusView:
    at: date
    from_status: str | None
    to_status: str
    note: str
    by: str


@dataclass(frozen=True)
class RequestDetail:
    id: int
    version: int
    school_name: str
    own: bool  # the reader's own school's (or a joint project's partner): full detail
    kind: str
    status: str
    title: str
    meeting: MeetingChoice | None
    academic_year: int
    main_area: str
    partner_schools: tuple[str, ...]
    pupils: tuple[PupilView, ...]
    pupils_helped: int
    need_summary: str
    graduated_approach: str
    review_cycles: int
    external_advice: str
    specialist_assessment_on: date | None
    school_spend_pence: int
    parents_involved: bool
    consent_given: bool
    outcomes: tuple[OutcomeView, ...]
    lines: tuple[CostLineView, ...]
    amount_pence: int
    minimum_pence: int
    start_term: str
    duration_terms: int
    support_starts: date
    support_ends: date
    severity: dict[str, int]
    parent_view: str
    pupil_view: str
    need_score: float | None
    score: NeedScore | None
    flags: tuple[str, ...]
    missing_items: tuple[str, ...]
    history: tuple[StatusView, ...]
    awarded_pence: int | None
    decision: str | None
    reviews_due: tuple[date, ...]
    can_edit: Permission
    can_submit: Permission
    can_withdraw: Permission
    can_return: Permission
    form: RequestForm | None  # for editing: own requests only
    # Why only the kind, amount, area of need and need score are here (another school's reader,
    # consent not recorded): every pupil-level part is left empty. "" when it is all here.
    withheld: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def drawn_from(self) -> dict[str, object]:
        return {"status": self.status, "amount_pence": self.amount_pence, "title": self.title,
                "meeting_id": self.meeting.id if self.meeting else None}


@dataclass(frozen=True)
class RequestRow:
    id: int
    school_name: str
    title: str
    kind: str
    main_area: str
    status: str
    meeting: str
    amount_pence: int
    minimum_pence: int
    awarded_pence: int | None
    next_review_due: date | None
    need_score: float | None
    band: str | None
    flags: tuple[str, ...]
    pupils: int
    submitted_on: date | None
    partner: bool = False  # a joint project led by another school
    withheld: str = ""  # why the title and flags are left out (see RequestDetail.withheld)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class MeetingRequests:
    meeting: MeetingChoice | None
    meetings: tuple[MeetingChoice, ...]  # the ones a host can pick from
    schools: tuple[str, ...]
    rows: tuple[RequestRow, ...]


# --- the form ---------------------------------------------------------------------------------


def request_form_options(engine: Engine, actor: Actor) -> FormOptions:
    """What the "New request" form offers: meetings still taking requests, rates, descriptors."""
    require(can_draft_requests(actor))
    on = today()
    with read_session(engine) as session:
        school = _own_school(session, actor)
        meetings = tuple(m for m in _upcoming_meetings(session, school.cluster_id, on)
                         if on <= m.requests_due)
        default = next((m for m in meetings if m.is_funding_round),
                       meetings[0] if meetings else None)
        year = default.academic_year if default else academic_year_of(on).start_year
        partners = session.exec(
            select(School).where(School.cluster_id == school.cluster_id, School.id != school.id,
                                 col(School.active).is_(True)).order_by(col(School.name))
        ).all()
        return FormOptions(
            school_id=school.id or 0, school_name=school.name, meetings=meetings,
            default_meeting_id=default.id if default else None, academic_year=year,
            settings=load_settings(session, school.cluster_id, year),
            partner_schools=tuple((p.id or 0, p.name) for p in partners),
            left_to_award_pence=left_to_award_this_year(session, school.cluster_id, year),
        )


def check_request(engine: Engine, actor: Actor, form: RequestForm,
                  request_id: int | None = None) -> CheckResult:
    """Runs every check and costs the lines without saving: what the form shows before submit."""
    require(can_draft_requests(actor))
    with read_session(engine) as session:
        school = _own_school(session, actor)
        context = _context(session, school, form.meeting_id, request_id)
        report = run_checks(form, context)
        return CheckResult(report.findings, report.provision.lines, report.amount_pence,
                           report.main_area, _preview_score(session, school, form, report, context))


def _checked(session: Session, actor: Actor, form: RequestForm, request_id: int | None,
             expected_version: int | None, drawn_from: dict[str, object] | None
             ) -> tuple[School, SupportRequest | None, CheckContext, CheckReport]:
    """The school, the request being edited (None for a new one) and the checks' report: what
    saving a draft and submitting both start from."""
    school = _own_school(session, actor)
    request = _editable(session, actor, request_id, expected_version, drawn_from)
    context = _context(session, school, form.meeting_id, request_id)
    return school, request, context, run_checks(form, context)


@audit.mutating("save_request_draft")
def save_draft(engine: Engine, actor: Actor, form: RequestForm, *, request_id: int | None = None,
               expected_version: int | None = None,
               drawn_from: dict[str, object] | None = None,
               confirmed_not_names: ConfirmedNames = False) -> SavedRequest:
    """Creates a draft, or saves changes to a draft or a returned request. Refuses (and writes
    nothing) when the text holds a pupil identifier or a person's name, or a value is not valid
    at all; words that may be a name need `confirmed_not_names` (audited without the words)."""
    require(can_draft_requests(actor))
    with write_session(engine) as session:
        school, request, context, report = _checked(session, actor, form, request_id,
                                                    expected_version, drawn_from)
        if report.blocking_save:
            raise ChecksFailed(report.blocking_save)
        confirmed = require_clean_texts(free_texts(form), confirmed_not_names=confirmed_not_names,
                                        on=context.today)
        before = _audit_values(request) if request else {}
        status = request.status if request else RequestStatus.DRAFT
        request = _write(session, actor, school, request, form, report, context, status)
        record_confirmation(session, actor, confirmed, entity="support_request",
                            entity_id=request.id)
        if not before:
            _history(session, request, actor, None, RequestStatus.DRAFT, "Draft started.")
        audit.record(session, actor, "save_request_draft", entity="support_request",
                     entity_id=request.id,
                     before=before, after=_audit_values(request), text_fields=frozenset({"title"}))
        return _saved(request)


@audit.mutating("submit_request")
def submit_form(engine: Engine, actor: Actor, form: RequestForm, *, request_id: int | None = None,
                expected_version: int | None = None,
                drawn_from: dict[str, object] | None = None,
                confirmed_not_names: ConfirmedNames = False) -> SavedRequest:
    """Saves and submits in one transaction: any check that fails leaves nothing written."""
    require(can_draft_requests(actor))
    with write_session(engine) as session:
        school, request, context, report = _checked(session, actor, form, request_id,
                                                    expected_version, drawn_from)
        if report.blocking_submit:
            raise ChecksFailed(report.blocking_submit)
        confirmed = require_clean_texts(free_texts(form), confirmed_not_names=confirmed_not_names,
                                        on=context.today)
        before = _audit_values(request) if request else {}
        from_status = request.status if request else None
        request = _write(session, actor, school, request, form, report, context,
                         RequestStatus.SUBMITTED)
        record_confirmation(session, actor, confirmed, entity="support_request",
                            entity_id=request.id)
        _mark_submitted(session, actor, request, from_status, context)
        audit.record(session, actor, "submit_request", entity="support_request",
                     entity_id=request.id, before=before, after=_audit_values(request),
                     text_fields=frozenset({"title"}))
        return _saved(request)


@audit.mutating("submit_saved_request")
def submit_request(engine: Engine, actor: Actor, request_id: int, *,
                   expected_version: int) -> SavedRequest:
    """Submits a saved draft (or a returned request) as it stands, after every check."""
    require(can_draft_requests(actor))
    with write_session(engine) as session:
        school = _own_school(session, actor)
        request = _editable(session, actor, request_id, expected_version, None)
        assert request is not None and request.id is not None
        form = _form_of(session, request)
        context = _context(session, school, form.meeting_id, request.id)
        report = run_checks(form, context)
        if report.blocking_submit:
            raise ChecksFailed(report.blocking_submit)
        before = _audit_values(request)
        from_status = request.status
        _write(session, actor, school, request, form, report, context, RequestStatus.SUBMITTED)
        _mark_submitted(session, actor, request, from_status, context)
        audit.record(session, actor, "submit_saved_request", entity="support_request",
                     entity_id=request.id, before=before, after=_audit_values(request))
        return _saved(request)


@audit.mutating("withdraw_request")
def withdraw_request(engine: Engine, actor: Actor, request_id: int, *, expected_version: int,
                     reason: str = "", confirmed_not_names: ConfirmedNames = False
                     ) -> SavedRequest:
    require(can_draft_requests(actor))
    with write_session(engine) as session:
        request = _own_request(session, actor, request_id)
        _not_stale(session, request, expected_version)
        meeting = session.get(Meeting, request.meeting_id) if request.meeting_id else None
        allowed, why = _withdraw_permission(request, meeting, today())
        if not allowed:
            raise NotAllowed(why)
        confirmed = require_clean_text("Reason", reason, MAX_NOTE_CHARACTERS,
                                       confirmed_not_names=confirmed_not_names)
        record_confirmation(session, actor, confirmed, entity="support_request",
                            entity_id=request.id)
        before = _audit_values(request)
        from_status = request.status
        request.status = RequestStatus.WITHDRAWN
        request.updated_at = now()
        session.add(request)
        _history(session, request, actor, from_status, RequestStatus.WITHDRAWN,
                 reason.strip() or "Withdrawn by the school.")
        session.flush()
        audit.record(session, actor, "withdraw_request", entity="support_request",
                     entity_id=request.id, before=before, after=_audit_values(request))
        return _saved(request)


@audit.mutating("return_request")
def return_for_information(engine: Engine, actor: Actor, request_id: int, missing: Sequence[str],
                           *, expected_version: int,
                           confirmed_not_names: ConfirmedNames = False) -> SavedRequest:
    """The host sends an incomplete request back with the list of what is missing: never dropped."""
    require(can_manage_cluster(actor))
    items = [item.strip() for item in missing if item.strip()]
    if not items:
        raise InvalidInput("What is missing", "list at least one thing the school should add")
    if len(items) > MAX_MISSING_ITEMS or any(len(item) > 200 for item in items):
        raise InvalidInput("What is missing", f"list at most {MAX_MISSING_ITEMS} items of up to "
                                              "200 characters each")
    confirmed = require_clean_texts([("What is missing", item, 200) for item in items],
                                    confirmed_not_names=confirmed_not_names)
    with write_session(engine) as session:
        request = _cluster_request(session, actor, request_id)
        _not_stale(session, request, expected_version)
        record_confirmation(session, actor, confirmed, entity="support_request",
                            entity_id=request.id)
        if request.status not in RETURNABLE_STATUSES:
            raise NotAllowed(f"Only a submitted request can be returned; this one is "
                             f"{STATUS_LABELS.get(request.status, request.status).lower()}.")
        before = _audit_values(request)
        from_status = request.status
        request.status = RequestStatus.RETURNED
        request.missing_items = items
        request.updated_at = now()
        session.add(request)
        _history(session, request, actor, from_status, RequestStatus.RETURNED,
                 "Returned for more information: " + "; ".join(items))
        session.flush()
        audit.record(session, actor, "return_request", entity="support_request",
                     entity_id=request.id, before=before, after=_audit_values(request))
        return _saved(request)


# --- reads ------------------------------------------------------------------------------------


@audit.refusals_logged("read_request")
def get_request(engine: Engine, actor: Actor, request_id: int) -> RequestDetail:
    """One request, if the reader may see it. A read of another school's request is audited."""
    require(can_read_pupil_level(actor))
    on = today()
    with read_session(engine) as session:
        request, school, meeting = _load_for_reading(session, actor, request_id)
        access = request_access(actor, school_id=request.school_id,
                                partner_school_ids=list(request.partner_school_ids or []),
                                status=request.status,
                                meeting_held_on=meeting.held_on if meeting else None,
                                minutes_approved_on=(meeting.minutes_approved_on
                                                     if meeting else None),
                                on=on)
        if not access.allowed:
            # Role refusals were raised above; what is left is another school's request out of
            # its window, refused in the words a number that does not exist gets.
            raise NotOpenToYou("request", request_id)
        detail = _detail(session, actor, request, school, meeting, on, own=not access.cross_school)
        owner_id = request.school_id
    if access.cross_school:
        with write_session(engine) as session:
            audit.record(session, actor, "read_other_school_request", entity="support_request",
                         entity_id=request_id, after={"school_id": owner_id})
    return detail


@audit.refusals_logged("list_our_requests")
def our_requests(engine: Engine, actor: Actor) -> list[RequestRow]:
    """The school's own requests (and joint projects it is a partner in), newest first."""
    require(can_draft_requests(actor))
    with read_session(engine) as session:
        school = _own_school(session, actor)
        # Partners are a list inside each request: choose by id first, then read only those.
        candidates = session.exec(
            select(SupportRequest.id, SupportRequest.school_id, SupportRequest.partner_school_ids)
            .join(School, col(School.id) == SupportRequest.school_id)
            .where(School.cluster_id == school.cluster_id)).all()
        mine = {request_id for request_id, owner, partners in candidates
                if owner == school.id or school.id in (partners or [])}
        requests = session.exec(select(SupportRequest).where(col(SupportRequest.id).in_(mine))
                                .order_by(col(SupportRequest.id).desc())).all()
        return _rows(session, requests, partner_of=school.id, reader=actor)


@audit.refusals_logged("list_agenda_requests")
def agenda_requests(engine: Engine, actor: Actor) -> list[RequestRow]:
    """Other schools' requests a school may read today: on an agenda, papers out, not yet minuted.
    The list itself is a read of those requests, so it is audited once."""
    require(can_draft_requests(actor))
    on = today()
    with read_session(engine) as session:
        school = _own_school(session, actor)
        candidates = session.exec(
            select(SupportRequest, Meeting)
            .join(Meeting, col(Meeting.id) == SupportRequest.meeting_id)
            .where(Meeting.cluster_id == school.cluster_id, SupportRequest.school_id != school.id,
                   col(SupportRequest.status).in_(ON_AGENDA_STATUSES),
                   # Years of minuted meetings are closed to other schools: leave them unread.
                   or_(col(Meeting.minutes_approved_on).is_(None),
                       col(Meeting.minutes_approved_on) >= on))
            .order_by(col(Meeting.held_on), col(SupportRequest.id))
        ).all()
        readable = [request for request, meeting in candidates
                    if request_access(actor, school_id=request.school_id,
                                      partner_school_ids=list(request.partner_school_ids or []),
                                      status=request.status, meeting_held_on=meeting.held_on,
                                      minutes_approved_on=meeting.minutes_approved_on,
                                      on=on).allowed]
        rows = _rows(session, readable, reader=actor)
    if rows:
        with write_session(engine) as session:
            audit.record(session, actor, "list_agenda_requests", entity="support_request",
                         after={"requests": len(rows)})
    return rows


@audit.refusals_logged("list_meeting_requests")
def requests_for_meeting(engine: Engine, actor: Actor, meeting_id: int | None = None, *,
                         schools: Sequence[str] = (), areas: Sequence[str] = (),
                         statuses: Sequence[str] = ()) -> MeetingRequests:
    """The host's list for a meeting (the next one by default), filtered by school, area, status.
    Drafts are the schools' own business and never listed."""
    require(can_manage_cluster(actor))
    on = today()
    with read_session(engine) as session:
        cluster_id = actor.cluster_id or 0
        choices = _meetings_around(session, cluster_id, on)
        meeting = next((m for m in choices if m.id == meeting_id), None) if meeting_id else \
            next((m for m in choices if m.held_on >= on), choices[-1] if choices else None)
        school_names = tuple(s.name for s in session.exec(
            select(School).where(School.cluster_id == cluster_id).order_by(col(School.name))).all())
        if meeting is None:
            return MeetingRequests(None, choices, school_names, ())
        requests = session.exec(
            select(SupportRequest).where(SupportRequest.meeting_id == meeting.id,
                                         SupportRequest.status != RequestStatus.DRAFT)
            .order_by(col(SupportRequest.need_score).desc().nulls_last(), col(SupportRequest.id))
        ).all()
        rows = _rows(session, requests, reader=actor)
        rows = [r for r in rows if (not schools or r.school_name in schools)
                and (not areas or r.main_area in areas) and (not statuses or r.status in statuses)]
        return MeetingRequests(meeting, choices, school_names, tuple(rows))


# --- inside one session -----------------------------------------------------------------------


def _own_school(session: Session, actor: Actor) -> School:
    school = session.get(School, actor.school_id) if actor.school_id else None
    if school is None or school.cluster_id != actor.cluster_id:
        raise NotFound("Your account is not linked to a school of this cluster. Ask your host.")
    return school


def _own_request(session: Session, actor: Actor, request_id: int) -> SupportRequest:
    request = session.get(SupportRequest, request_id)
    if request is None or request.school_id != actor.school_id:
        raise NotOpenToYou("request", request_id)
    return request


def _cluster_request(session: Session, actor: Actor, request_id: int) -> SupportRequest:
    request = session.get(SupportRequest, request_id)
    school = session.get(School, request.school_id) if request else None
    if request is None or school is None or school.cluster_id != actor.cluster_id:
        raise NotOpenToYou("request", request_id)
    return request


def _load_for_reading(session: Session, actor: Actor,
                      request_id: int) -> tuple[SupportRequest, School, Meeting | None]:
    request = session.get(SupportRequest, request_id)
    school = session.get(School, request.school_id) if request else None
    if request is None or school is None or school.cluster_id != actor.cluster_id:
        raise NotOpenToYou("request", request_id)
    meeting = session.get(Meeting, request.meeting_id) if request.meeting_id else None
    return request, school, meeting


def _not_stale(session: Session, request: SupportRequest, expected_version: int,
               drawn_from: dict[str, object] | None = None) -> None:
    check_not_stale(session, request, expected_version=expected_version,
                    drawn_from=drawn_from or {"status": request.status},
                    entity="support_request", labels=STALE_LABELS)


def _editable(session: Session, actor: Actor, request_id: int | None,
              expected_version: int | None,
              drawn_from: dict[str, object] | None) -> SupportRequest | None:
    if request_id is None:
        return None
    request = _own_request(session, actor, request_id)
    if expected_version is None:
        raise InvalidInput("Request", "the screen did not say which version it was drawn from")
    _not_stale(session, request, expected_version, drawn_from)
    if request.status not in EDITABLE_STATUSES:
        raise NotAllowed(f"Request {request_id} is {STATUS_LABELS[request.status].lower()}: only "
                         "a draft or a request returned for more information can be changed.")
    return request


def _meeting_info(meeting: Meeting) -> MeetingInfo:
    return MeetingInfo(meeting.id or 0, meeting.half_term, meeting.academic_year, meeting.held_on,
                       meeting.is_funding_round)


def _choice(meeting: Meeting) -> MeetingChoice:
    deadlines = deadlines_for(meeting.held_on)
    return MeetingChoice(meeting.id or 0, meeting.half_term, meeting.academic_year,
                         meeting.held_on, meeting.is_funding_round, deadlines.requests_due,
                         deadlines.papers_out)


def _upcoming_meetings(session: Session, cluster_id: int, on: date) -> list[MeetingChoice]:
    meetings = session.exec(
        select(Meeting).where(Meeting.cluster_id == cluster_id, Meeting.held_on >= on)
        .order_by(col(Meeting.held_on))
    ).all()
    return [_choice(m) for m in meetings]


def _meetings_around(session: Session, cluster_id: int, on: date) -> tuple[MeetingChoice, ...]:
    """This academic year's meetings and any later ones: what a host picks from."""
    start = AcademicYear(academic_year_of(on).start_year).starts
    meetings = session.exec(
        select(Meeting).where(Meeting.cluster_id == cluster_id, Meeting.held_on >= start)
        .order_by(col(Meeting.held_on))
    ).all()
    return tuple(_choice(m) for m in meetings)


def _context(session: Session, school: School, meeting_id: int | None,
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


def _write(session: Session, actor: Actor, school: School, request: SupportRequest | None,
           form: RequestForm, report: CheckReport, context: CheckContext,
           status: str) -> SupportRequest:
    """Writes the form over the request (creating it when new), children replaced as a whole."""
    if request is None:
        request = SupportRequest(school_id=school.id or 0, kind=form.kind, title="", main_area="",
                                 academic_year=context.academic_year, created_by_id=actor.user_id)
    else:
        _delete_children(session, request.id or 0)
    consents = [p.consent_given for p in form.pupils]
    request.meeting_id = context.meeting.id if context.meeting else None
    request.kind = form.kind
    request.status = status
    request.title = form.title.strip()
    request.main_area = report.main_area or ""  # a draft may not know it yet
    request.partner_school_ids = list(form.partner_school_ids)
    request.pupils_helped = form.pupils_helped if form.kind == RequestKind.PROJECT \
        else len(form.pupils)
    request.severity = {area: int(band) for area, band in form.severity.items()}
    request.need_summary = form.need_summary.strip()
    request.graduated_approach = form.graduated_approach.strip()
    request.review_cycles = form.review_cycles
    request.external_advice = form.external_advice.strip()
    request.specialist_assessment_on = form.specialist_assessment_on
    request.school_spend_pence = form.school_spend_pence
    request.parents_involved = form.parents_involved
    request.consent_given = bool(consents) and all(consents)
    request.amount_pence = report.amount_pence
    request.minimum_pence = form.minimum_pence
    request.start_term = form.start_term
    request.academic_year = context.academic_year
    request.duration_terms = form.duration_terms
    request.parent_view = form.parent_view.strip()
    request.pupil_view = form.pupil_view.strip()
    request.flags = [f.text for f in report.warnings]
    request.updated_at = now()
    session.add(request)
    session.flush()
    assert request.id is not None
    pupils = _write_children(session, request.id, form, report)
    store_score(request, score_request(session, request, pupils, context.settings,
                                       school.cluster_id, context.today))
    session.add(request)
    session.flush()
    return request


def _delete_children(session: Session, request_id: int) -> None:
    for table in (CostLine, RequestOutcome, RequestPupil):
        for row in session.exec(select(table).where(table.request_id == request_id)).all():
            session.delete(row)
    session.flush()


def _write_children(session: Session, request_id: int, form: RequestForm,
                    report: CheckReport) -> list[RequestPupil]:
    pupils = [RequestPupil(request_id=request_id, reference=p.reference.strip(),
                           year_group=p.year_group, sen_status=p.sen_status,
                           ehc_assessment_requested=p.ehc_assessment_requested,
                           primary_need=p.primary_need, profile=p.profile.strip(),
                           consent_given=p.consent_given) for p in form.pupils]
    session.add_all(pupils)
    outcome_ids: dict[int, int] = {}
    for position, outcome in enumerate(form.outcomes, 1):
        row = RequestOutcome(request_id=request_id, position=position,
                             description=outcome.description.strip(),
                             measure=outcome.measure.strip(), baseline=outcome.baseline.strip(),
                             target=outcome.target.strip(),
                             target_on=outcome.target_on or today())  # never: the checks ask for it
        session.add(row)
        session.flush()
        outcome_ids[position] = row.id or 0
    for position, line in enumerate(report.provision.lines, 1):
        session.add(CostLine(
            request_id=request_id, position=position,
            outcome_id=outcome_ids.get(line.outcome) if line.outcome else None,
            staff_grade=line.staff_grade, minutes_per_week=line.minutes_per_week,
            group_size=line.group_size, weeks=line.weeks,
            item_description=line.item_description, cost_pence=line.cost_pence,
            rate_pence_per_hour=line.rate_pence_per_hour))
    session.flush()
    return pupils


def _mark_submitted(session: Session, actor: Actor, request: SupportRequest,
                    from_status: str | None, context: CheckContext) -> None:
    request.submitted_on = context.today
    request.missing_items = []
    session.add(request)
    if from_status is None:
        _history(session, request, actor, None, RequestStatus.DRAFT, "Draft started.")
        from_status = RequestStatus.DRAFT
    meeting = context.meeting
    _history(session, request, actor, from_status, RequestStatus.SUBMITTED,
             f"Submitted for {meeting.label}." if meeting else "Submitted.")
    session.flush()


def _history(session: Session, request: SupportRequest, actor: Actor, from_status: str | None,
             to_status: str, note: str) -> None:
    session.add(StatusChange(request_id=request.id or 0, by_user_id=actor.user_id,
                             from_status=from_status, to_status=to_status, note=note))




def _withdraw_permission(request: SupportRequest, meeting: Meeting | None, on: date) -> Permission:
    if request.status in EDITABLE_STATUSES:
        return True, ""
    if request.status == RequestStatus.SUBMITTED:
        if meeting is None or on <= deadlines_for(meeting.held_on).requests_due:
            return True, ""
        return False, (f"The papers for the {meeting.half_term} meeting closed on "
                       f"{format_date(deadlines_for(meeting.held_on).requests_due)}: ask the host "
                       "to return the request if it should not be heard.")
    return False, (f"A request that is {STATUS_LABELS.get(request.status, request.status).lower()} "
                   "cannot be withdrawn.")


def _audit_values(request: SupportRequest | None) -> dict[str, object]:
    if request is None:
        return {}
    return {"status": request.status, "kind": request.kind, "school_id": request.school_id,
            "meeting_id": request.meeting_id, "amount_pence": request.amount_pence,
            "minimum_pence": request.minimum_pence, "need_score": request.need_score,
            "title": request.title, "flags": len(request.flags or [])}


def _saved(request: SupportRequest) -> SavedRequest:
    return SavedRequest(request.id or 0, request.version, request.status, request.amount_pence,
                        request.need_score, tuple(request.flags or []))


def _form_of(session: Session, request: SupportRequest) -> RequestForm:
    """The stored request as the form that would produce it, to check it again at submission."""
    pupils = session.exec(select(RequestPupil).where(RequestPupil.request_id == request.id)
                          .order_by(col(RequestPupil.id))).all()
    outcomes = session.exec(select(RequestOutcome).where(RequestOutcome.request_id == request.id)
                            .order_by(col(RequestOutcome.position))).all()
    lines = session.exec(select(CostLine).where(CostLine.request_id == request.id)
                         .order_by(col(CostLine.position), col(CostLine.id))).all()
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


def _preview_score(session: Session, school: School, form: RequestForm, report: CheckReport,
                   context: CheckContext) -> NeedScore | None:
    if report.main_area is None:
        return None
    school_share, cluster_share = prevalences(session, school.id or 0, school.cluster_id)
    inputs = NeedInputs(
        kind=form.kind, main_area=report.main_area, severity=dict(form.severity),
        pupils=[PupilStatus(p.sen_status, p.ehc_assessment_requested) for p in form.pupils],
        pupils_helped=form.pupils_helped if form.kind == RequestKind.PROJECT else len(form.pupils),
        review_cycles=form.review_cycles,
        recent_assessment=is_recent_assessment(form.specialist_assessment_on, context.today,
                                               context.settings.rules.assessment_within_months),
        school_prevalence=school_share, cluster_prevalence=cluster_share)
    return score(inputs, context.settings.matrix)


def _award_of(session: Session, request_id: int) -> Award | None:
    """The decision as the record stands: a meeting's draft is not a decision until confirmed."""
    return session.exec(select(Award).where(Award.request_id == request_id,
                                            col(Award.draft).is_(False))
                        .order_by(col(Award.id).desc())).first()


def _reviews_due(session: Session, award: Award | None) -> tuple[date, ...]:
    if award is None:
        return ()
    return tuple(session.exec(select(col(Review.due_on)).where(
        Review.award_id == award.id,
        col(Review.status).in_((ReviewStatus.DUE, ReviewStatus.DRAFTED)))
        .order_by(col(Review.due_on))).all())


def _rows(session: Session, requests: Sequence[SupportRequest], *, reader: Actor,
          partner_of: int | None = None) -> list[RequestRow]:
    """List rows for many requests in a handful of queries, whatever the length of the list (a
    school's history runs to hundreds of requests). `partner_of`: the school reading the list, so
    a joint project led by another school is marked as one it is a partner in. `reader`: who reads
    the list, so another school's request without consent shows no pupil-level text."""
    ids = [r.id or 0 for r in requests]
    schools = dict(session.exec(select(School.id, School.name).where(
        col(School.id).in_({r.school_id for r in requests}))).all())
    meetings = {m.id: m for m in session.exec(select(Meeting).where(
        col(Meeting.id).in_({r.meeting_id for r in requests if r.meeting_id}))).all()}
    awards: dict[int, Award] = {}
    for confirmed in session.exec(select(Award).where(col(Award.request_id).in_(ids),
                                                      col(Award.draft).is_(False))
                                  .order_by(col(Award.id))).all():
        awards[confirmed.request_id] = confirmed  # the latest confirmed decision stands
    due: dict[int, date] = {}
    for award_id, due_on in session.exec(select(Review.award_id, col(Review.due_on)).where(
            col(Review.award_id).in_([a.id for a in awards.values()]),
            col(Review.status).in_((ReviewStatus.DUE, ReviewStatus.DRAFTED)))
            .order_by(col(Review.due_on))).all():
        due.setdefault(award_id, due_on)
    pupils = dict(session.exec(select(RequestPupil.request_id, func.count(col(RequestPupil.id)))
                               .where(col(RequestPupil.request_id).in_(ids))
                               .group_by(col(RequestPupil.request_id))).all())
    consents: dict[int, list[bool]] = {}
    for request_id, given in session.exec(select(RequestPupil.request_id,
                                                 RequestPupil.consent_given)
                                          .where(col(RequestPupil.request_id).in_(ids))).all():
        consents.setdefault(request_id, []).append(given)
    rows = []
    for request in requests:
        parts = _parts_for(reader, request, consents.get(request.id or 0, []))
        meeting = meetings.get(request.meeting_id)
        award = awards.get(request.id or 0)
        score_data = NeedScore.from_json(request.need_score_parts)
        rows.append(RequestRow(
            id=request.id or 0, school_name=schools.get(request.school_id, ""),
            title=request.title, kind=request.kind, main_area=request.main_area,
            status=request.status,
            meeting=f"{meeting.half_term} {format_date(meeting.held_on)}" if meeting else "",
            amount_pence=request.amount_pence, minimum_pence=request.minimum_pence,
            awarded_pence=award.amount_pence if award else None,
            next_review_due=due.get(award.id or 0) if award else None,
            need_score=request.need_score,
            band=score_data.band.label if score_data and score_data.band else None,
            flags=tuple(request.flags or []), pupils=pupils.get(request.id or 0, 0),
            submitted_on=request.submitted_on,
            partner=partner_of is not None and request.school_id != partner_of))
        if not parts.pupil_detail:
            rows[-1] = replace(rows[-1], title=withheld_title(request.kind, request.main_area),
                               flags=(), pupils=0, withheld=parts.reason)
    return rows


def _parts_for(reader: Actor, request: SupportRequest,
               pupil_consents: Sequence[bool]) -> ReadableParts:
    return readable_parts(reader, school_id=request.school_id,
                          partner_school_ids=list(request.partner_school_ids or []),
                          kind=request.kind, consent_given=request.consent_given,
                          pupil_consents=pupil_consents)


def _withheld(detail: RequestDetail, reason: str) -> RequestDetail:
    """Another school's reader without consent: the kind, amounts, area of need and need score
    stay; everything the school wrote about the pupil(s) is left out, not just hidden on screen."""
    return replace(
        detail, title=withheld_title(detail.kind, detail.main_area), pupils=(), pupils_helped=0,
        need_summary="", graduated_approach="", review_cycles=0, external_advice="",
        specialist_assessment_on=None, school_spend_pence=0, parents_involved=False,
        consent_given=False, outcomes=(), lines=(), severity={}, parent_view="", pupil_view="",
        score=None, flags=(), missing_items=(),
        history=tuple(replace(change, note="", by="") for change in detail.history),
        form=None, withheld=reason)


def _detail(session: Session, actor: Actor, request: SupportRequest, school: School,
            meeting: Meeting | None, on: date, own: bool) -> RequestDetail:
    assert request.id is not None
    pupils = session.exec(select(RequestPupil).where(RequestPupil.request_id == request.id)
                          .order_by(col(RequestPupil.id))).all()
    outcomes = session.exec(select(RequestOutcome).where(RequestOutcome.request_id == request.id)
                            .order_by(col(RequestOutcome.position))).all()
    lines = session.exec(select(CostLine).where(CostLine.request_id == request.id)
                         .order_by(col(CostLine.position), col(CostLine.id))).all()
    position_of = {o.id: o.position for o in outcomes}
    partners = [session.get(School, i) for i in request.partner_school_ids or []]
    award = _award_of(session, request.id)
    starts, ends = support_period(request.academic_year, request.start_term,
                                  request.duration_terms)
    is_school_member = actor.role == Role.SCHOOL and actor.school_id == request.school_id
    editable = is_school_member and request.status in EDITABLE_STATUSES
    parts = _parts_for(actor, request, [p.consent_given for p in pupils])
    detail = RequestDetail(
        id=request.id, version=request.version, school_name=school.name, own=own,
        kind=request.kind, status=request.status, title=request.title,
        meeting=_choice(meeting) if meeting else None, academic_year=request.academic_year,
        main_area=request.main_area,
        partner_schools=tuple(p.name for p in partners if p is not None),
        pupils=tuple(PupilView(p.reference, p.year_group, p.sen_status,
                               p.ehc_assessment_requested, p.primary_need, p.profile,
                               p.consent_given) for p in pupils),
        pupils_helped=request.pupils_helped, need_summary=request.need_summary,
        graduated_approach=request.graduated_approach, review_cycles=request.review_cycles,
        external_advice=request.external_advice,
        specialist_assessment_on=request.specialist_assessment_on,
        school_spend_pence=request.school_spend_pence, parents_involved=request.parents_involved,
        consent_given=request.consent_given,
        outcomes=tuple(OutcomeView(o.position, o.description, o.measure, o.baseline, o.target,
                                   o.target_on) for o in outcomes),
        lines=tuple(_line_view(line, position_of.get(line.outcome_id)) for line in lines),
        amount_pence=request.amount_pence, minimum_pence=request.minimum_pence,
        start_term=request.start_term, duration_terms=request.duration_terms,
        support_starts=starts, support_ends=ends,
        severity={str(k): int(v) for k, v in (request.severity or {}).items()},
        parent_view=request.parent_view, pupil_view=request.pupil_view,
        need_score=request.need_score, score=NeedScore.from_json(request.need_score_parts),
        flags=tuple(request.flags or []), missing_items=tuple(request.missing_items or []),
        history=_history_views(session, request.id, show_names=own or actor.role == Role.HOST),
        awarded_pence=award.amount_pence if award else None,
        decision=award.decision if award else None, reviews_due=_reviews_due(session, award),
        can_edit=(True, "") if editable else (False, "Only a draft or a returned request of your "
                                                     "own school can be changed."),
        can_submit=(True, "") if editable else (False, "Only a draft or a returned request of "
                                                       "your own school can be submitted."),
        can_withdraw=_withdraw_permission(request, meeting, on) if is_school_member
        else (False, "Only the school that made the request can withdraw it."),
        can_return=(True, "") if actor.role == Role.HOST and request.status in RETURNABLE_STATUSES
        else (False, "Only the host can return a submitted request."),
        form=_form_of(session, request) if is_school_member else None,
    )
    return detail if parts.pupil_detail else _withheld(detail, parts.reason)


def _line_view(line: CostLine, outcome: int | None) -> CostLineView:
    if line.staff_grade:
        rate = StaffRate(line.staff_grade, line.rate_pence_per_hour)
        paid_for = places_paid_for(line.rate_pence_per_hour, line.minutes_per_week, line.weeks,
                                   line.group_size, line.cost_pence)
        label = staff_label(StaffLine(line.staff_grade, line.minutes_per_week, line.group_size,
                                      line.weeks, outcome), rate, paid_for)
        return CostLineView(label, outcome, line.cost_pence, is_item=False)
    return CostLineView(line.item_description or "", outcome, line.cost_pence, is_item=True)


def _history_views(session: Session, request_id: int, show_names: bool) -> tuple[StatusView, ...]:
    changes = session.exec(select(StatusChange).where(StatusChange.request_id == request_id)
                           .order_by(col(StatusChange.at), col(StatusChange.id))).all()
    names = {u.id: u.display_name for u in session.exec(select(User).where(
        col(User.id).in_({c.by_user_id for c in changes if c.by_user_id}))).all()}
    return tuple(StatusView(c.at.date(), c.from_status, c.to_status, c.note,
                            names.get(c.by_user_id, "") if show_names else "")
                 for c in changes)
