"""Reading requests: the form's options and checks before saving, one request, a school's own
list, the agenda other schools may read, and the host's list for a meeting; each role reads only
what it is allowed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.common.calendar import AcademicYear, academic_year_of, format_date, year_groups_for
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import NotOpenToYou
from cluster.core.permissions import (
    Actor,
    can_manage_cluster,
    can_read_pupil_level,
    require,
)
from cluster.funding.ledger import left_to_award_this_year
from cluster.models import (
    OPEN_REVIEW_STATUSES,
    Award,
    CostLine,
    Meeting,
    RequestPupil,
    RequestStatus,
    Review,
    Role,
    School,
    StatusChange,
    SupportRequest,
    User,
)
from cluster.requests.checks import (
    CheckContext,
    CheckReport,
    is_recent_assessment,
    run_checks,
)
from cluster.requests.costing import (
    StaffLine,
    StaffRate,
    places_paid_for,
    staff_label,
)
from cluster.requests.forms import RequestForm, support_period
from cluster.requests.lookups import (
    check_context,
    form_of,
    own_school,
    parts_of,
    request_in_cluster,
)
from cluster.requests.need_score import NeedInputs, NeedScore, PupilStatus, need_band, score
from cluster.requests.rules import load_settings
from cluster.requests.scoring import prevalences
from cluster.requests.screens import (
    CheckResult,
    CostLineView,
    FormOptions,
    MeetingChoice,
    MeetingRequests,
    OutcomeView,
    PupilView,
    RequestDetail,
    RequestRow,
    StatusView,
    meeting_choice,
)
from cluster.requests.status import EDITABLE_STATUSES, RETURNABLE_STATUSES, withdraw_permission
from cluster.requests.visibility import (
    ON_AGENDA_STATUSES,
    ReadableParts,
    can_draft_requests,
    readable_parts,
    request_access,
    withheld_title,
)
from cluster.year.schedule import (
    closed_to_requests,
    meetings_from,
    next_funding_round,
    next_or_latest,
)

# --- the form --------------------------------------------------------------------------------


def request_form_options(engine: Engine, actor: Actor) -> FormOptions:
    """What the "New request" form offers: meetings still taking requests, rates, descriptors."""
    require(can_draft_requests(actor))
    on = today()
    with read_session(engine) as session:
        school = own_school(session, actor)
        upcoming = meetings_from(session, school.cluster_id, on)
        meetings = tuple(meeting_choice(m) for m in upcoming if not closed_to_requests(m, on))
        # The one rule for where a new request goes (the save and the submit use it too).
        round_ = next_funding_round(session, school.cluster_id, on)
        default = (meeting_choice(round_) if round_ is not None
                   else meetings[0] if meetings else None)
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
            year_groups=year_groups_for(school.phase),
            default_note=_default_note(upcoming, round_, on),
        )


def _default_note(upcoming: Sequence[Meeting], round_: Meeting | None, on: date) -> str:
    """Says why the form offers a later round than the next one on the calendar."""
    closed = next((m for m in upcoming if m.is_funding_round and closed_to_requests(m, on)
                   and (round_ is None or m.held_on < round_.held_on)), None)
    if closed is None:
        return ""
    why = closed_to_requests(closed, on)
    if round_ is None:
        return f"{why[0].upper()}{why[1:]}; no later funding round is set up yet."
    return (f"{why[0].upper()}{why[1:]}, so new requests go to the {round_.half_term} funding "
            f"round on {format_date(round_.held_on)} (requests due "
            f"{format_date(meeting_choice(round_).requests_due)}).")


def check_request(engine: Engine, actor: Actor, form: RequestForm,
                  request_id: int | None = None) -> CheckResult:
    """Runs every check and costs the lines without saving: what the form shows before submit."""
    require(can_draft_requests(actor))
    with read_session(engine) as session:
        school = own_school(session, actor)
        context = check_context(session, school, form.meeting_id, request_id)
        report = run_checks(form, context)
        return CheckResult(report.findings, report.provision.lines, report.amount_pence,
                           report.main_area, _preview_score(session, school, form, report, context))


def _preview_score(session: Session, school: School, form: RequestForm, report: CheckReport,
                   context: CheckContext) -> NeedScore | None:
    if report.main_area is None:
        return None
    school_share, cluster_share = prevalences(session, school.id or 0, school.cluster_id)
    inputs = NeedInputs(
        kind=form.kind, main_area=report.main_area, severity=dict(form.severity),
        pupils=[PupilStatus(p.sen_status, p.ehc_assessment_requested) for p in form.pupils],
        pupils_helped=form.pupils_counted,
        review_cycles=form.review_cycles,
        recent_assessment=is_recent_assessment(form.specialist_assessment_on, context.today,
                                               context.settings.rules.assessment_within_months),
        school_prevalence=school_share, cluster_prevalence=cluster_share)
    return score(inputs, context.settings.matrix)



# --- requests --------------------------------------------------------------------------------


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
        school = own_school(session, actor)
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
        school = own_school(session, actor)
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


SCHOOLS_OWN = (RequestStatus.DRAFT, RequestStatus.AWAITING_HEAD)


@audit.refusals_logged("list_meeting_requests")
def requests_for_meeting(engine: Engine, actor: Actor, meeting_id: int | None = None, *,
                         schools: Sequence[str] = (), areas: Sequence[str] = (),
                         statuses: Sequence[str] = ()) -> MeetingRequests:
    """The host's list for a meeting (the next one by default), filtered by school, area, status.
    Drafts, and requests waiting for the head's sign-off, are the schools' own business and never
    listed: the cluster sees a request once it is sent."""
    require(can_manage_cluster(actor))
    on = today()
    with read_session(engine) as session:
        cluster_id = actor.cluster_id or 0
        choices = _meetings_around(session, cluster_id, on)
        meeting = next((m for m in choices if m.id == meeting_id), None) if meeting_id else \
            next_or_latest(choices, on)
        school_names = tuple(s.name for s in session.exec(
            select(School).where(School.cluster_id == cluster_id).order_by(col(School.name))).all())
        if meeting is None:
            return MeetingRequests(None, choices, school_names, ())
        requests = session.exec(
            select(SupportRequest).where(SupportRequest.meeting_id == meeting.id,
                                         col(SupportRequest.status).not_in(SCHOOLS_OWN))
            .order_by(col(SupportRequest.need_score).desc().nulls_last(), col(SupportRequest.id))
        ).all()
        rows = _rows(session, requests, reader=actor)
        rows = [r for r in rows if (not schools or r.school_name in schools)
                and (not areas or r.main_area in areas) and (not statuses or r.status in statuses)]
        return MeetingRequests(meeting, choices, school_names, tuple(rows))



# --- inside one session ----------------------------------------------------------------------


def _load_for_reading(session: Session, actor: Actor,
                      request_id: int) -> tuple[SupportRequest, School, Meeting | None]:
    request, school = request_in_cluster(session, actor, request_id)
    meeting = session.get(Meeting, request.meeting_id) if request.meeting_id else None
    return request, school, meeting


def _meetings_around(session: Session, cluster_id: int, on: date) -> tuple[MeetingChoice, ...]:
    """This academic year's meetings and any later ones: what a host picks from."""
    start = AcademicYear(academic_year_of(on).start_year).starts
    return tuple(meeting_choice(m) for m in meetings_from(session, cluster_id, start))


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
        col(Review.status).in_(OPEN_REVIEW_STATUSES))
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
            col(Review.status).in_(OPEN_REVIEW_STATUSES))
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
        rows.append(RequestRow(
            id=request.id or 0, school_name=schools.get(request.school_id, ""),
            title=request.title, kind=request.kind, main_area=request.main_area,
            status=request.status,
            meeting=f"{meeting.half_term} {format_date(meeting.held_on)}" if meeting else "",
            amount_pence=request.amount_pence, minimum_pence=request.minimum_pence,
            awarded_pence=award.amount_pence if award else None,
            next_review_due=due.get(award.id or 0) if award else None,
            need_score=request.need_score,
            band=need_band(request),
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
    pupils, outcomes, lines = parts_of(session, request)
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
        meeting=meeting_choice(meeting) if meeting else None, academic_year=request.academic_year,
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
        can_withdraw=withdraw_permission(request, meeting, on) if is_school_member
        else (False, "Only the school that made the request can withdraw it."),
        can_return=(True, "") if actor.role == Role.HOST and request.status in RETURNABLE_STATUSES
        else (False, "Only the host can return a submitted request."),
        form=form_of(session, request) if is_school_member else None,
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
