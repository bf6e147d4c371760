"""The audit log: every registered mutating service writes a row (checked around every test by
tests/conftest.py), and no row holds pupil text."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster import audit
from cluster.accounts import actor_of, sign_in
from cluster.db import write_session
from cluster.models import AuditEvent, Cluster, RequestOutcome, RequestPupil, SupportRequest, User
from cluster.privacy import subject_access_export


def test_the_check_catches_a_service_that_writes_no_audit_row(sqlite_engine: Engine) -> None:
    @audit.mutating("test_silent_change")
    def silent_change(engine: Engine) -> None:
        with write_session(engine) as session:
            session.add(Cluster(name="Silent", la_code="926", la_name="Norfolk",
                                funded_since=date(2024, 9, 1)))

    try:
        silent_change(sqlite_engine)
        assert audit.AUDIT_CHECK["missing"] == ["test_silent_change"]
    finally:
        audit.AUDIT_CHECK["missing"] = []
        audit.MUTATING_SERVICES.pop("test_silent_change", None)


def test_every_registered_service_takes_the_engine_first() -> None:
    import inspect

    import cluster.clawback  # noqa: F401 - registers its services
    import cluster.privacy  # noqa: F401
    import cluster.reviews  # noqa: F401
    import cluster.rollover  # noqa: F401
    import cluster.users  # noqa: F401

    assert len(audit.MUTATING_SERVICES) >= 10
    for action, function in audit.MUTATING_SERVICES.items():
        first = next(iter(inspect.signature(function).parameters))
        assert first == "engine", action


def test_the_log_holds_no_pupil_text(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        host = actor_of(session.exec(select(User).where(User.username == "host")).one())
        pupils = session.exec(select(RequestPupil.reference)).all()
        texts = [t for t in session.exec(select(SupportRequest.need_summary)).all() if t]
        texts += [t for t in session.exec(select(RequestOutcome.description)).all() if t]
    sign_in(demo_engine, "senco.ap", "cluster-demo-1")
    sign_in(demo_engine, "senco.ap", "wrong-password")
    for reference in pupils[:5]:
        subject_access_export(demo_engine, host, reference)
    with Session(demo_engine) as session:
        rows = session.exec(select(AuditEvent)).all()
    logged = json.dumps([[r.action, r.before, r.after, r.changed_fields, r.username]
                         for r in rows])
    assert rows
    assert not [p for p in pupils if p in logged]
    assert not [t for t in texts if t[:40] in logged]
