"""The host's settings for a year's requests: the staff rate table, the rules (prerequisites and an
optional limit per school per meeting) and the need matrix. Reading them is open to the host and the
schools (the form needs the rates and the descriptors); changing them is the host's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, StaleEdit
from cluster.core.permissions import MEMBER_ROLES, Actor, can_manage_cluster, has_role, require
from cluster.models import NeedMatrixSetting, RequestRules, StaffGradeRate
from cluster.requests.costing import StaffRate
from cluster.requests.need_score import NeedMatrix, matrix_problems
from cluster.requests.rules import Prerequisite, Rules, YearSettings, load_settings
from cluster.requests.scoring import rescore_open_requests
from cluster.year.inherited import YearSettingRow

MAX_RATE_PENCE = 50_000  # £500 an hour


@dataclass(frozen=True)
class SettingsSaved:
    settings: YearSettings
    rescored: int  # open requests scored again with the new settings


def year_settings(engine: Engine, actor: Actor, academic_year: int) -> YearSettings:
    require(has_role(actor, MEMBER_ROLES))
    with read_session(engine) as session:
        return load_settings(session, actor.cluster_id or 0, academic_year)


@audit.mutating("save_staff_rates")
def save_staff_rates(engine: Engine, actor: Actor, academic_year: int, rates: Sequence[StaffRate],
                     *, drawn_from: Sequence[StaffRate]) -> SettingsSaved:
    """Replaces the year's rate table. Refused when someone changed it since the screen was
    drawn."""
    require(can_manage_cluster(actor))
    _check_rates(rates)
    cluster_id = actor.cluster_id or 0
    with write_session(engine) as session:
        current = load_settings(session, cluster_id, academic_year)
        if tuple(current.rates) != tuple(drawn_from):
            raise StaleEdit(["staff rate table"],
                            last_change_by(session, "staff_rates", academic_year))
        for row in session.exec(select(StaffGradeRate).where(
                StaffGradeRate.cluster_id == cluster_id,
                StaffGradeRate.academic_year == academic_year)).all():
            session.delete(row)
        session.flush()
        for rate in rates:
            session.add(StaffGradeRate(cluster_id=cluster_id, academic_year=academic_year,
                                       grade=rate.grade.strip(), pence_per_hour=rate.pence_per_hour,
                                       is_senco_time=rate.is_senco_time))
        session.flush()
        audit.record(session, actor, "save_staff_rates", entity="staff_rates",
                     entity_id=academic_year,
                     before={r.grade: r.pence_per_hour for r in current.rates},
                     after={r.grade.strip(): r.pence_per_hour for r in rates})
        return SettingsSaved(load_settings(session, cluster_id, academic_year), 0)


@audit.mutating("save_request_rules")
def save_request_rules(engine: Engine, actor: Actor, academic_year: int, rules: Rules, *,
                       expected_version: int | None) -> SettingsSaved:
    """`expected_version` is None when the year had no rules of its own on the screen."""
    require(can_manage_cluster(actor))
    _check_rules(rules)
    cluster_id = actor.cluster_id or 0
    with write_session(engine) as session:
        row = _own_row(session, RequestRules, cluster_id, academic_year, expected_version)
        before = _rules_values(row)
        if row is None:
            row = RequestRules(cluster_id=cluster_id, academic_year=academic_year)
        row.prerequisites = list(rules.prerequisites)
        row.min_review_cycles = rules.min_review_cycles
        row.assessment_within_months = rules.assessment_within_months
        row.max_requests_per_school_per_meeting = rules.max_requests_per_school_per_meeting
        row.halfway_review = rules.halfway_review
        row.head_sign_off = rules.head_sign_off
        session.add(row)
        session.flush()
        rescored = rescore_open_requests(session, cluster_id, academic_year, today())
        audit.record(session, actor, "save_request_rules", entity="request_rules",
                     entity_id=row.id, before=before, after=_rules_values(row))
        return SettingsSaved(load_settings(session, cluster_id, academic_year), rescored)


@audit.mutating("save_need_matrix")
def save_need_matrix(engine: Engine, actor: Actor, academic_year: int, matrix: NeedMatrix, *,
                     expected_version: int | None) -> SettingsSaved:
    """Saves the year's matrix and scores the year's open requests again with it."""
    require(can_manage_cluster(actor))
    problems = matrix_problems(matrix)
    if problems:
        raise InvalidInput(*problems[0])
    cluster_id = actor.cluster_id or 0
    with write_session(engine) as session:
        row = _own_row(session, NeedMatrixSetting, cluster_id, academic_year, expected_version)
        before = {"maximum": NeedMatrix.from_json(row.matrix).maximum if row else None}
        if row is None:
            row = NeedMatrixSetting(cluster_id=cluster_id, academic_year=academic_year)
        row.matrix = matrix.to_json()
        session.add(row)
        session.flush()
        rescored = rescore_open_requests(session, cluster_id, academic_year, today())
        audit.record(session, actor, "save_need_matrix", entity="need_matrix", entity_id=row.id,
                     before=before, after={"maximum": matrix.maximum, "bands": len(matrix.bands),
                                           "rescored": rescored})
        return SettingsSaved(load_settings(session, cluster_id, academic_year), rescored)


def _own_row(session: Session, table: type[YearSettingRow], cluster_id: int, academic_year: int,
             expected_version: int | None) -> YearSettingRow | None:
    row = session.exec(select(table).where(table.cluster_id == cluster_id,
                                           table.academic_year == academic_year)).first()
    current = row.version if row else None
    if current != expected_version:
        entity = "request_rules" if table is RequestRules else "need_matrix"
        raise StaleEdit([f"{entity.replace('_', ' ')} for the year"],
                        last_change_by(session, entity, row.id) if row and row.id else None)
    return row


def _rules_values(row: RequestRules | None) -> dict[str, object]:
    if row is None:
        return {}
    return {"prerequisites": ",".join(row.prerequisites),
            "min_review_cycles": row.min_review_cycles,
            "assessment_within_months": row.assessment_within_months,
            "max_requests_per_school_per_meeting": row.max_requests_per_school_per_meeting,
            "halfway_review": row.halfway_review, "head_sign_off": row.head_sign_off}


def _check_rates(rates: Sequence[StaffRate]) -> None:
    if not rates:
        raise InvalidInput("Staff rate table", "keep at least one grade")
    seen: set[str] = set()
    for rate in rates:
        grade = rate.grade.strip()
        if not grade or len(grade) > 40:
            raise InvalidInput("Grade", "give each grade a name of up to 40 characters")
        if grade.lower() in seen:
            raise InvalidInput("Grade", f"{grade} is in the table twice")
        seen.add(grade.lower())
        if not 1 <= rate.pence_per_hour <= MAX_RATE_PENCE:
            raise InvalidInput(f"Rate for {grade}", "give £0.01 to £500 an hour")


def _check_rules(rules: Rules) -> None:
    unknown = [p for p in rules.prerequisites if p not in set(Prerequisite)]
    if unknown:
        raise InvalidInput("Prerequisites", f"{unknown[0]!r} is not a prerequisite the toolkit "
                                            "can check")
    if not 1 <= rules.min_review_cycles <= 6:
        raise InvalidInput("Review cycles", "ask for 1 to 6 cycles")
    if not 1 <= rules.assessment_within_months <= 36:
        raise InvalidInput("Assessment within", "give 1 to 36 months")
    limit = rules.max_requests_per_school_per_meeting
    if limit is not None and not 1 <= limit <= 20:
        raise InvalidInput("Requests per school per meeting", "give 1 to 20, or no limit")
