from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.core.errors import InvalidInput, NotAllowed
from cluster.models import (
    AuditEvent,
    Award,
    ImpactRecord,
    RequestPupil,
    School,
    SupportRequest,
    User,
)
from cluster.people.accounts import actor_of
from cluster.people.privacy import ERASED, apply_retention, retention_plan, subject_access_export
from tests.helpers.actors import actor
from tests.helpers.demo_la import WENSUM_VALLEY_ID


def a_decided_reference(engine: Engine) -> tuple[str, int]:
    with Session(engine) as session:
        pupil, request = session.exec(
            select(RequestPupil, SupportRequest)
            .join(SupportRequest, col(SupportRequest.id) == RequestPupil.request_id)
            .where(SupportRequest.status == "decided", SupportRequest.kind == "individual")
            .order_by(RequestPupil.id)).first()
    return pupil.reference, request.school_id


def test_subject_access_export_holds_everything_for_one_reference(demo_engine: Engine) -> None:
    reference, _ = a_decided_reference(demo_engine)
    export = subject_access_export(demo_engine, actor(demo_engine, "host"), reference)
    assert export["reference"] == reference
    [held] = export["requests"]
    assert held["pupil"]["reference"] == reference
    assert held["request"]["need_summary"]
    assert held["outcomes"] and held["decisions"]
    json.dumps(export)  # downloadable as it stands
    with Session(demo_engine) as session:
        row = session.exec(select(AuditEvent).where(
            AuditEvent.action == "subject_access_export")).one()
    assert reference not in json.dumps(row.after)


def test_a_school_searches_only_its_own_pupils(demo_engine: Engine) -> None:
    reference, school_id = a_decided_reference(demo_engine)
    with Session(demo_engine) as session:
        own = session.exec(select(User).where(User.school_id == school_id,
                                              User.role == "school")).first()
        other = session.exec(select(User).where(User.school_id != school_id,
                                                User.role == "school")).first()
    assert subject_access_export(demo_engine, actor_of(own), reference)["requests"]
    assert subject_access_export(demo_engine, actor_of(other), reference)["requests"] == []


@pytest.mark.parametrize("username", ["governor", "la.adviser"])
def test_governors_and_the_la_cannot_export_pupil_data(demo_engine: Engine,
                                                       username: str) -> None:
    with pytest.raises(NotAllowed):
        subject_access_export(demo_engine, actor(demo_engine, username), "WV-AR-001")


def test_an_empty_reference_is_refused(demo_engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="Pupil reference"):
        subject_access_export(demo_engine, actor(demo_engine, "host"), "  ")


def test_nothing_is_due_yet_in_the_demo(demo_engine: Engine) -> None:
    plan = retention_plan(demo_engine, actor(demo_engine, "host"))
    assert plan.pupil_detail_due == () and plan.financial_due == ()


def test_retention_erases_pupil_detail_then_deletes_old_records(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    host = actor(demo_engine, "host")
    with Session(demo_engine) as session:
        # Retention is the host's, for Wensum Valley's requests; the LA's other clusters' hosts
        # apply their own (tests/helpers/demo_la.py).
        first_year = session.exec(select(func.count()).select_from(SupportRequest)
                                  .join(School, col(School.id) == SupportRequest.school_id)
                                  .where(SupportRequest.academic_year == 2023,
                                         School.cluster_id == WENSUM_VALLEY_ID)).one()
        awarded_before = session.exec(select(func.sum(Award.amount_pence))).one()
    monkeypatch.setenv("CLUSTER_TODAY", "2029-10-01")  # 2023/24 support ended by 2024/25 at latest
    plan = apply_retention(demo_engine, host)
    assert len(plan.pupil_detail_due) >= first_year > 0
    assert plan.financial_due == ()
    with Session(demo_engine) as session:
        erased = session.exec(select(SupportRequest).where(
            col(SupportRequest.id).in_(plan.pupil_detail_due))).all()
        assert all(r.need_summary == ERASED for r in erased)
        assert session.exec(select(func.count()).select_from(RequestPupil).where(
            col(RequestPupil.request_id).in_(plan.pupil_detail_due))).one() == 0
        # Money and judgements stay for the accounts and the impact figures.
        assert session.exec(select(func.sum(Award.amount_pence))).one() == awarded_before
        assert session.exec(select(func.count()).select_from(ImpactRecord)).one() > 0
        row = session.exec(select(AuditEvent).where(AuditEvent.action == "apply_retention")).one()
    assert row.after == {"pupil_detail_erased": len(plan.pupil_detail_due), "records_deleted": 0}
    monkeypatch.setenv("CLUSTER_TODAY", "2033-10-01")
    later = apply_retention(demo_engine, host)
    assert len(later.financial_due) >= first_year
    with Session(demo_engine) as session:
        left = select(func.count()).select_from(SupportRequest).join(
            School, col(School.id) == SupportRequest.school_id).where(
            SupportRequest.academic_year == 2023)
        assert session.exec(left.where(School.cluster_id == WENSUM_VALLEY_ID)).one() == 0
        # The other clusters' records are their hosts' to delete, not Wensum Valley's.
        assert session.exec(left.where(School.cluster_id != WENSUM_VALLEY_ID)).one() > 0


def test_only_the_host_runs_retention(demo_engine: Engine) -> None:
    with pytest.raises(NotAllowed):
        apply_retention(demo_engine, actor(demo_engine, "senco.ap"))
