"""Scores requests from what is stored: the need matrix of the request's year, its pupils and the
school's SEN prevalence against the cluster's (latest census)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from cluster.common.needs import OTHER_AREA
from cluster.models import CensusSnapshot, RequestPupil, RequestStatus, School, SupportRequest
from cluster.requests.checks import is_recent_assessment
from cluster.requests.need_score import NeedInputs, NeedScore, PupilStatus, score
from cluster.requests.rules import YearSettings, load_settings

OPEN_STATUSES = (RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.RETURNED,
                 RequestStatus.ON_AGENDA)


def prevalences(session: Session, school_id: int,
                cluster_id: int) -> tuple[float | None, float | None]:
    """(school's, cluster's) share of pupils with SEN (SEN support + EHC plans), latest census."""
    school_row: CensusSnapshot | None = None
    pupils = with_sen = 0
    for school in session.exec(select(School).where(School.cluster_id == cluster_id)).all():
        latest = session.exec(
            select(CensusSnapshot).where(CensusSnapshot.school_id == school.id)
            .order_by(col(CensusSnapshot.census_year).desc()).limit(1)
        ).first()
        if latest is None:
            continue
        pupils += latest.pupils
        with_sen += latest.sen_support + latest.ehc_plan
        if school.id == school_id:
            school_row = latest
    cluster = with_sen / pupils if pupils else None
    if school_row is None or not school_row.pupils:
        return None, cluster
    return (school_row.sen_support + school_row.ehc_plan) / school_row.pupils, cluster


def score_request(session: Session, request: SupportRequest, pupils: Sequence[RequestPupil],
                  settings: YearSettings, cluster_id: int, on: date) -> NeedScore:
    school, cluster = prevalences(session, request.school_id, cluster_id)
    inputs = NeedInputs(
        kind=request.kind,
        main_area=request.main_area or OTHER_AREA,
        severity={str(k): int(v) for k, v in (request.severity or {}).items()},
        pupils=[PupilStatus(p.sen_status, p.ehc_assessment_requested) for p in pupils],
        pupils_helped=request.pupils_helped or len(pupils),
        review_cycles=request.review_cycles,
        recent_assessment=is_recent_assessment(request.specialist_assessment_on, on,
                                               settings.rules.assessment_within_months),
        school_prevalence=school,
        cluster_prevalence=cluster,
    )
    return score(inputs, settings.matrix)


def store_score(request: SupportRequest, result: NeedScore) -> None:
    request.need_score = result.total
    request.need_score_parts = result.to_json()


def rescore_open_requests(session: Session, cluster_id: int, academic_year: int, on: date) -> int:
    """After the host changes the matrix or the rules: requests not yet decided are scored again."""
    settings = load_settings(session, cluster_id, academic_year)
    requests = session.exec(
        select(SupportRequest).join(School, col(School.id) == SupportRequest.school_id)
        .where(School.cluster_id == cluster_id, SupportRequest.academic_year == academic_year,
               col(SupportRequest.status).in_(OPEN_STATUSES))
    ).all()
    for request in requests:
        pupils = session.exec(select(RequestPupil).where(
            RequestPupil.request_id == request.id)).all()
        store_score(request, score_request(session, request, pupils, settings, cluster_id, on))
        session.add(request)
    return len(requests)
