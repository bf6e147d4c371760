"""Changes of a request's status: save a draft, submit, withdraw, return for more information.
One short session per user action; plain data out.

Lifecycle: draft → submitted (before the meeting's requests deadline, 14 days before it) →
decided at the meeting; a school withdraws a draft, a returned request, or a submitted one until the
requests deadline ("the papers close"); after that only the host can return it, with the list of
what is missing. Every change goes through `change_status`: the status, a `StatusChange` row and
(for a change a person asked for) an audit row without pupil text, together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.calendar import HALF_TERMS, format_date
from cluster.common.text_check import (
    ConfirmedNames,
    record_confirmation,
    require_clean_text,
    require_clean_texts,
)
from cluster.core import audit
from cluster.core.clock import now, today
from cluster.core.db import write_session
from cluster.core.errors import InvalidInput, NotAllowed, NotOpenToYou
from cluster.core.permissions import (
    Actor,
    Permission,
    can_manage_cluster,
    require,
)
from cluster.core.versioning import check_not_stale
from cluster.models import (
    CostLine,
    Meeting,
    RequestOutcome,
    RequestPupil,
    RequestStatus,
    Role,
    School,
    StatusChange,
    SupportRequest,
)
from cluster.requests.checks import (
    CheckContext,
    CheckReport,
    ChecksFailed,
    free_texts,
    run_checks,
)
from cluster.requests.forms import RequestForm
from cluster.requests.lookups import check_context, form_of, own_school, request_in_cluster
from cluster.requests.scoring import score_request, store_score
from cluster.requests.screens import SavedRequest
from cluster.requests.visibility import (
    can_draft_requests,
)
from cluster.year.deadlines import deadlines_for
from cluster.year.schedule import meeting_for_request

HEADTEACHER = "headteacher"  # the title that signs requests off (User.title)
EDITABLE_STATUSES = frozenset({RequestStatus.DRAFT, RequestStatus.RETURNED})
RETURNABLE_STATUSES = frozenset({RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA})
STALE_LABELS = {"status": "status", "amount_pence": "amount asked", "title": "title",
                "meeting_id": "meeting"}
MAX_MISSING_ITEMS = 12
MAX_NOTE_CHARACTERS = 1_000  # a reason for withdrawing, kept in the request's history



# --- saving and submitting -------------------------------------------------------------------


def _write_form(session: Session, actor: Actor, form: RequestForm, *, request_id: int | None,
                expected_version: int | None, drawn_from: dict[str, object] | None,
                confirmed_not_names: ConfirmedNames, submitting: bool
                ) -> tuple[SupportRequest, CheckContext, dict[str, object], str]:
    """What saving a draft and submitting share: the form moved to the round that takes it, the
    checks (those that stop this step refuse it and nothing is written), the text check, and the
    form written over the request (a new draft when there is none). Returns the request, the
    checks' context, the request as it was and the message when it moved round."""
    school = own_school(session, actor)
    request = _editable(session, actor, request_id, expected_version, drawn_from)
    form, moved = _to_open_round(session, school, form)
    context = check_context(session, school, form.meeting_id, request_id)
    report = run_checks(form, context)
    blocking = report.blocking_submit if submitting else report.blocking_save
    if blocking:
        raise ChecksFailed(blocking)
    confirmed = require_clean_texts(free_texts(form), confirmed_not_names=confirmed_not_names,
                                    on=context.today)
    before = _audit_values(request) if request else {}
    request = write_request(session, actor, school, request, form, report, context)
    record_confirmation(session, actor, confirmed, entity="support_request", entity_id=request.id)
    if not before:
        draft_started(session, actor, request)
    return request, context, before, moved


def _to_open_round(session: Session, school: School, form: RequestForm
                   ) -> tuple[RequestForm, str]:
    """The form with the meeting the request really goes to (the one rule in
    `cluster.year.schedule.meeting_for_request`), and the message when it moved."""
    chosen = session.get(Meeting, form.meeting_id) if form.meeting_id is not None else None
    if chosen is not None and chosen.cluster_id != school.cluster_id:
        return form, ""  # the checks refuse another cluster's meeting
    meeting, moved = meeting_for_request(session, school.cluster_id, chosen, today())
    if meeting is None or meeting is chosen:
        return form, ""
    start = form.start_term
    if start in HALF_TERMS and HALF_TERMS.index(start) < HALF_TERMS.index(meeting.half_term):
        start = meeting.half_term  # support cannot start before the meeting that decides it
        moved += f" Its support now starts in {start}."
    return replace(form, meeting_id=meeting.id, start_term=start), moved


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
        request, _, before, moved = _write_form(
            session, actor, form, request_id=request_id, expected_version=expected_version,
            drawn_from=drawn_from, confirmed_not_names=confirmed_not_names, submitting=False)
        audit.record(session, actor, "save_request_draft", entity="support_request",
                     entity_id=request.id,
                     before=before, after=_audit_values(request), text_fields=frozenset({"title"}))
        return _saved(request, moved)


@audit.mutating("submit_request")
def submit_form(engine: Engine, actor: Actor, form: RequestForm, *, request_id: int | None = None,
                expected_version: int | None = None,
                drawn_from: dict[str, object] | None = None,
                confirmed_not_names: ConfirmedNames = False) -> SavedRequest:
    """Saves and submits in one transaction: any check that fails leaves nothing written."""
    require(can_draft_requests(actor))
    with write_session(engine) as session:
        request, context, before, moved = _write_form(
            session, actor, form, request_id=request_id, expected_version=expected_version,
            drawn_from=drawn_from, confirmed_not_names=confirmed_not_names, submitting=True)
        _submit(session, actor, request, context, "submit_request", before,
                text_fields=frozenset({"title"}))
        return _saved(request, moved)


@audit.mutating("submit_saved_request")
def submit_request(engine: Engine, actor: Actor, request_id: int, *,
                   expected_version: int) -> SavedRequest:
    """Submits a saved draft (or a returned request) as it stands, after every check."""
    require(can_draft_requests(actor))
    with write_session(engine) as session:
        school = own_school(session, actor)
        request = _editable(session, actor, request_id, expected_version, None)
        assert request is not None and request.id is not None
        form, moved = _to_open_round(session, school, form_of(session, request))
        context = check_context(session, school, form.meeting_id, request.id)
        report = run_checks(form, context)
        if report.blocking_submit:
            raise ChecksFailed(report.blocking_submit)
        before = _audit_values(request)
        write_request(session, actor, school, request, form, report, context)
        _submit(session, actor, request, context, "submit_saved_request", before)
        return _saved(request, moved)


# --- withdrawing and returning ---------------------------------------------------------------


@audit.mutating("withdraw_request")
def withdraw_request(engine: Engine, actor: Actor, request_id: int, *, expected_version: int,
                     reason: str = "", confirmed_not_names: ConfirmedNames = False
                     ) -> SavedRequest:
    require(can_draft_requests(actor))
    with write_session(engine) as session:
        request = _own_request(session, actor, request_id)
        _not_stale(session, request, expected_version)
        meeting = session.get(Meeting, request.meeting_id) if request.meeting_id else None
        require(withdraw_permission(request, meeting, today()))
        confirmed = require_clean_text("Reason", reason, MAX_NOTE_CHARACTERS,
                                       confirmed_not_names=confirmed_not_names)
        record_confirmation(session, actor, confirmed, entity="support_request",
                            entity_id=request.id)
        change_status(session, actor, request, RequestStatus.WITHDRAWN,
                      reason.strip() or "Withdrawn by the school.",
                      audit_action="withdraw_request")
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
        request, _ = request_in_cluster(session, actor, request_id)
        _not_stale(session, request, expected_version)
        record_confirmation(session, actor, confirmed, entity="support_request",
                            entity_id=request.id)
        if request.status not in RETURNABLE_STATUSES:
            raise NotAllowed(f"Only a submitted request can be returned; this one is "
                             f"{RequestStatus.label_of(request.status).lower()}.")
        before = _audit_values(request)
        request.missing_items = items
        change_status(session, actor, request, RequestStatus.RETURNED,
                      "Returned for more information: " + "; ".join(items),
                      audit_action="return_request", before=before)
        return _saved(request)


def withdraw_permission(request: SupportRequest, meeting: Meeting | None, on: date) -> Permission:
    if request.status in EDITABLE_STATUSES or request.status == RequestStatus.AWAITING_HEAD:
        return True, ""
    if request.status == RequestStatus.SUBMITTED:
        if meeting is None or on <= deadlines_for(meeting.held_on).requests_due:
            return True, ""
        return False, (f"The papers for the {meeting.half_term} meeting closed on "
                       f"{format_date(deadlines_for(meeting.held_on).requests_due)}: ask the host "
                       "to return the request if it should not be heard.")
    if request.status == RequestStatus.WITHDRAWN:
        return False, "This request has been withdrawn already: there is nothing more to do."
    return False, (f"A request that is {RequestStatus.label_of(request.status).lower()} "
                   "cannot be withdrawn.")


# --- the one way a status changes ------------------------------------------------------------


def change_status(session: Session, actor: Actor, request: SupportRequest, to_status: str,
                  note: str, *, audit_action: str | None = None,
                  before: dict[str, object] | None = None,
                  text_fields: frozenset[str] = frozenset()) -> None:
    """Moves a request to `to_status` inside the caller's transaction: the status, a history row
    saying who moved it and why, and, when the change is a person's own action, an audit row
    (`audit_action`) from `before` (the request as it was; by default as it is now) to after.
    A meeting's confirmation passes no `audit_action`: it audits the whole meeting in one row."""
    before = _audit_values(request) if before is None else before
    from_status = request.status
    request.status = to_status
    request.updated_at = now()
    session.add(request)
    _history(session, request, actor, from_status, to_status, note)
    session.flush()
    if audit_action is not None:
        audit.record(session, actor, audit_action, entity="support_request",
                     entity_id=request.id, before=before, after=_audit_values(request),
                     text_fields=text_fields)


def draft_started(session: Session, actor: Actor, request: SupportRequest) -> None:
    """The first line of a new request's history: it has no status before this."""
    _history(session, request, actor, None, RequestStatus.DRAFT, "Draft started.")


def _submit(session: Session, actor: Actor, request: SupportRequest, context: CheckContext,
            audit_action: str, before: dict[str, object], *,
            text_fields: frozenset[str] = frozenset()) -> None:
    request.missing_items = []
    meeting = context.meeting
    if context.settings.rules.head_sign_off and not is_headteacher(actor):
        # The cluster's rule: the head signs a SENCO's request off before the cluster sees it.
        change_status(session, actor, request, RequestStatus.AWAITING_HEAD,
                      "Sent to the headteacher to sign off.", audit_action=audit_action,
                      before=before, text_fields=text_fields)
        return
    request.submitted_on = context.today
    change_status(session, actor, request, RequestStatus.SUBMITTED,
                  f"Submitted for {meeting.label}." if meeting else "Submitted.",
                  audit_action=audit_action, before=before, text_fields=text_fields)


def is_headteacher(actor: Actor) -> bool:
    return actor.role == Role.SCHOOL and actor.title.casefold() == HEADTEACHER


# --- the head's sign-off ---------------------------------------------------------------------


def _awaiting_head(session: Session, actor: Actor, request_id: int,
                   expected_version: int) -> SupportRequest:
    if not is_headteacher(actor):
        raise NotAllowed("Only the school's headteacher signs a request off or sends it back.")
    request = _own_request(session, actor, request_id)
    _not_stale(session, request, expected_version)
    if request.status != RequestStatus.AWAITING_HEAD:
        raise NotAllowed("This request is not waiting for the headteacher's sign-off; it is "
                         f"{RequestStatus.label_of(request.status).lower()}.")
    return request


@audit.mutating("sign_off_request")
def sign_off_request(engine: Engine, actor: Actor, request_id: int, *,
                     expected_version: int) -> SavedRequest:
    """The headteacher signs a SENCO's request off: it goes to the cluster, after every check
    again (the deadline may have passed while it waited)."""
    require(can_draft_requests(actor))
    with write_session(engine) as session:
        request = _awaiting_head(session, actor, request_id, expected_version)
        school = own_school(session, actor)
        context = check_context(session, school, request.meeting_id, request.id)
        report = run_checks(form_of(session, request), context)
        if report.blocking_submit:
            raise ChecksFailed(report.blocking_submit)
        _submit(session, actor, request, context, "sign_off_request", _audit_values(request))
        return _saved(request)


@audit.mutating("send_back_to_senco")
def send_back_to_senco(engine: Engine, actor: Actor, request_id: int, note: str, *,
                       expected_version: int,
                       confirmed_not_names: ConfirmedNames = False) -> SavedRequest:
    """The headteacher sends a request back to the SENCO as a draft, saying why."""
    require(can_draft_requests(actor))
    if not note.strip():
        raise InvalidInput("Note", "say what the SENCO should change before it goes again")
    confirmed = require_clean_text("Note", note, MAX_NOTE_CHARACTERS,
                                   confirmed_not_names=confirmed_not_names)
    with write_session(engine) as session:
        request = _awaiting_head(session, actor, request_id, expected_version)
        record_confirmation(session, actor, confirmed, entity="support_request",
                            entity_id=request.id)
        change_status(session, actor, request, RequestStatus.DRAFT,
                      f"Sent back by the headteacher: {note.strip()}",
                      audit_action="send_back_to_senco")
        return _saved(request)


def _history(session: Session, request: SupportRequest, actor: Actor, from_status: str | None,
             to_status: str, note: str) -> None:
    session.add(StatusChange(request_id=request.id or 0, by_user_id=actor.user_id,
                             from_status=from_status, to_status=to_status, note=note))


# --- inside one session ----------------------------------------------------------------------


def _own_request(session: Session, actor: Actor, request_id: int) -> SupportRequest:
    request = session.get(SupportRequest, request_id)
    if request is None or request.school_id != actor.school_id:
        raise NotOpenToYou("request", request_id)
    return request


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
        status = RequestStatus.label_of(request.status).lower()
        raise NotAllowed(f"Request {request_id} is {status}: only a draft or a request returned "
                         "for more information can be changed.")
    return request


def write_request(session: Session, actor: Actor, school: School, request: SupportRequest | None,
                  form: RequestForm, report: CheckReport, context: CheckContext) -> SupportRequest:
    """Writes the form over the request (creating it, as a draft, when new), children replaced as
    a whole. The status is left as it is: only `change_status` moves it."""
    if request is None:
        request = SupportRequest(school_id=school.id or 0, kind=form.kind, title="", main_area="",
                                 academic_year=context.academic_year, created_by_id=actor.user_id,
                                 status=RequestStatus.DRAFT)
    else:
        _delete_children(session, request.id or 0)
    consents = [p.consent_given for p in form.pupils]
    request.meeting_id = context.meeting.id if context.meeting else None
    request.kind = form.kind
    request.title = form.title.strip()
    request.main_area = report.main_area or ""  # a draft may not know it yet
    request.partner_school_ids = list(form.partner_school_ids)
    request.pupils_helped = form.pupils_counted
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


def _audit_values(request: SupportRequest | None) -> dict[str, object]:
    if request is None:
        return {}
    return {"status": request.status, "kind": request.kind, "school_id": request.school_id,
            "meeting_id": request.meeting_id, "amount_pence": request.amount_pence,
            "minimum_pence": request.minimum_pence, "need_score": request.need_score,
            "title": request.title, "flags": len(request.flags or [])}


def _saved(request: SupportRequest, moved: str = "") -> SavedRequest:
    return SavedRequest(request.id or 0, request.version, request.status, request.amount_pence,
                        request.need_score, tuple(request.flags or []), moved)
