"""One year's settings for requests, as plain data: the staff rate table, the rules (prerequisites,
limit) and the need matrix. Each academic year keeps its own; a year the host has not set yet
inherits the latest earlier year's, and a cluster that has never set any gets the documented
defaults, so the form always works.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from cluster.core.labelled import LabelledEnum
from cluster.models import NeedMatrixSetting, RequestRules, StaffGradeRate
from cluster.requests.costing import DEFAULT_STAFF_RATES, StaffRate
from cluster.requests.need_score import NeedMatrix
from cluster.year.inherited import latest_row


class Prerequisite(LabelledEnum):
    REVIEW_CYCLES = "review_cycles", "At least {cycles} cycles of assess-plan-do-review"
    SPECIALIST_ASSESSMENT = ("specialist_assessment",
                             "A dated specialist assessment within {months} months")
    PARENT_CONSENT = "parent_consent", "Parent/carer consent for every pupil on the request"
    PARENTS_INVOLVED = ("parents_involved",
                        "Parents/carers (or the young person) involved in the plan")
    SCHOOL_SPEND = "school_spend", "The school's own spend on the pupil(s) recorded"

# Consent is the one prerequisite every cluster starts with: other schools read the request.
DEFAULT_PREREQUISITES: tuple[str, ...] = (Prerequisite.PARENT_CONSENT,)


@dataclass(frozen=True)
class Rules:
    prerequisites: tuple[str, ...] = DEFAULT_PREREQUISITES
    min_review_cycles: int = 2
    assessment_within_months: int = 12
    max_requests_per_school_per_meeting: int | None = None
    halfway_review: bool = True  # see cluster/year/review_points.py
    head_sign_off: bool = False  # a SENCO's request waits for the headteacher (requests/status.py)

    def label(self, prerequisite: str) -> str:
        return Prerequisite.label_of(prerequisite).format(
            cycles=self.min_review_cycles, months=self.assessment_within_months)


@dataclass(frozen=True)
class YearSettings:
    academic_year: int
    rates: tuple[StaffRate, ...]
    rules: Rules
    matrix: NeedMatrix
    rates_from_year: int | None  # None: the toolkit's defaults
    rules_from_year: int | None
    matrix_from_year: int | None
    rules_version: int | None = None  # the version of this year's own row, when it has one
    matrix_version: int | None = None


def load_settings(session: Session, cluster_id: int, academic_year: int) -> YearSettings:
    rates, rates_year = _rates(session, cluster_id, academic_year)
    rules_row = latest_row(session, RequestRules, cluster_id, academic_year)
    matrix_row = latest_row(session, NeedMatrixSetting, cluster_id, academic_year)
    return YearSettings(
        academic_year=academic_year,
        rates=rates,
        rules=_rules_of(rules_row),
        matrix=NeedMatrix.from_json(matrix_row.matrix if matrix_row else None),
        rates_from_year=rates_year,
        rules_from_year=rules_row.academic_year if rules_row else None,
        matrix_from_year=matrix_row.academic_year if matrix_row else None,
        rules_version=rules_row.version if rules_row and rules_row.academic_year == academic_year
        else None,
        matrix_version=matrix_row.version
        if matrix_row and matrix_row.academic_year == academic_year else None,
    )


def _rules_of(row: RequestRules | None) -> Rules:
    if row is None:
        return Rules()
    return Rules(tuple(row.prerequisites), row.min_review_cycles, row.assessment_within_months,
                 row.max_requests_per_school_per_meeting, row.halfway_review, row.head_sign_off)


def _rates(session: Session, cluster_id: int,
           academic_year: int) -> tuple[tuple[StaffRate, ...], int | None]:
    year = session.exec(
        select(StaffGradeRate.academic_year)
        .where(StaffGradeRate.cluster_id == cluster_id,
               StaffGradeRate.academic_year <= academic_year)
        .order_by(col(StaffGradeRate.academic_year).desc()).limit(1)
    ).first()
    if year is None:
        return DEFAULT_STAFF_RATES, None
    rows = session.exec(
        select(StaffGradeRate).where(StaffGradeRate.cluster_id == cluster_id,
                                     StaffGradeRate.academic_year == year)
        .order_by(col(StaffGradeRate.id))
    ).all()
    return tuple(StaffRate(r.grade, r.pence_per_hour, r.is_senco_time) for r in rows), year
