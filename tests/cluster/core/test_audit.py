"""The audit log: every registered mutating service writes a row (checked around every test by
tests/conftest.py), every refusal by an audited service is logged, and no row holds pupil text."""

from __future__ import annotations

import contextlib
import json
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core import audit
from cluster.core.db import write_session
from cluster.core.errors import NotAllowed
from cluster.core.permissions import Actor, can_read_pupil_level, require
from cluster.models import (
    AuditEvent,
    AuditOutcome,
    Cluster,
    RequestOutcome,
    RequestPupil,
    RequestStatus,
    Role,
    SupportRequest,
    User,
)
from cluster.people.accounts import actor_of, sign_in
from cluster.people.privacy import apply_retention, subject_access_export
from cluster.requests.reading import get_request
from cluster.requests.status import return_for_information
from tests.helpers.actors import actor


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

    # Importing a module registers its services.
    import cluster.funding.clawback
    import cluster.outcomes.reviews
    import cluster.people.privacy
    import cluster.people.users
    import cluster.year.rollover  # noqa: F401 - imported only so its services register

    assert len(audit.MUTATING_SERVICES) >= 10
    for action, function in audit.MUTATING_SERVICES.items():
        signature = inspect.signature(function)
        first = next(iter(signature.parameters), None)
        # Name the service in full: a failure seen only in long runs must say where to look.
        assert first == "engine", (f"{action}: {function.__module__}.{function.__qualname__}"
                                   f"{signature}")


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


# --- refusals: every audited service that says no leaves a "refused" row --------------------------


def refusals(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent)
                                 .where(AuditEvent.outcome == AuditOutcome.REFUSED)
                                 .order_by(col(AuditEvent.id))).all())


def a_request(engine: Engine, status: str) -> SupportRequest:
    with Session(engine) as session:
        return session.exec(select(SupportRequest).where(SupportRequest.status == status)
                            .order_by(col(SupportRequest.id))).first()  # type: ignore[return-value]  # the demo has one


def pupil_text(engine: Engine, request_id: int) -> list[str]:
    """What must never reach the log: the request's pupil references and its free text."""
    with Session(engine) as session:
        request = session.get(SupportRequest, request_id)
        assert request is not None
        references = session.exec(select(RequestPupil.reference).where(
            RequestPupil.request_id == request_id)).all()
        return [*references, request.title, request.need_summary[:40]]


def logged_text(event: AuditEvent) -> str:
    return json.dumps([event.action, event.entity, event.before, event.after,
                       event.changed_fields, event.username])


def test_refused_changes_are_logged_and_change_nothing(demo_engine: Engine) -> None:
    # A school user tries the host's change: refused by `require` before any session opens.
    senco = actor(demo_engine, "senco.ap")
    request = a_request(demo_engine, RequestStatus.SUBMITTED)
    assert request.id is not None
    with pytest.raises(NotAllowed) as refused:
        return_for_information(demo_engine, senco, request.id, ["Parents' views"],
                               expected_version=request.version)
    assert "Only the cluster's SEN host" in refused.value.message
    [row] = refusals(demo_engine)
    assert (row.action, row.username, row.user_id) == ("return_request", "senco.ap", senco.user_id)
    assert (row.entity, row.entity_id) == ("request", request.id)
    assert row.after == {"reason": refused.value.message}
    assert not [t for t in pupil_text(demo_engine, request.id) if t in logged_text(row)]
    after = a_request(demo_engine, RequestStatus.SUBMITTED)
    assert (after.id, after.version, after.missing_items) == (
        request.id, request.version, request.missing_items)

    # The host may return requests, but not a decided one: the service refuses half-way through
    # its own write, which is rolled back; the refusal row is written after it, on its own.
    decided = a_request(demo_engine, RequestStatus.DECIDED)
    assert decided.id is not None
    with pytest.raises(NotAllowed, match="Only a submitted request can be returned"):
        return_for_information(demo_engine, actor(demo_engine, "host"), decided.id,
                               ["Parents' views"], expected_version=decided.version)
    [_, row] = refusals(demo_engine)
    assert (row.action, row.username, row.entity_id) == ("return_request", "host", decided.id)
    with Session(demo_engine) as session:
        still = session.get(SupportRequest, decided.id)
        assert still is not None and still.status == RequestStatus.DECIDED


def test_refused_reads_of_pupil_level_data_are_logged_without_pupil_text(
        demo_engine: Engine) -> None:
    request = a_request(demo_engine, RequestStatus.DECIDED)
    assert request.id is not None
    secrets = pupil_text(demo_engine, request.id)
    for username in ("governor", "la.adviser"):
        reader = actor(demo_engine, username)
        with pytest.raises(NotAllowed, match="groups of pupils only") as refused:
            get_request(demo_engine, reader, request.id)
        row = refusals(demo_engine)[-1]
        assert (row.action, row.username, row.user_id) == ("read_request", username,
                                                           reader.user_id)
        assert (row.entity, row.entity_id) == ("request", request.id)
        assert row.after == {"reason": refused.value.message}
    # A subject-access search names a pupil: the reference searched for is never copied.
    with pytest.raises(NotAllowed):
        subject_access_export(demo_engine, actor(demo_engine, "governor"), secrets[0])
    rows = refusals(demo_engine)
    assert [(r.action, r.entity, r.entity_id) for r in rows][-1] == (
        "subject_access_export", "", None)
    assert len(rows) == 3
    assert not [t for t in secrets if any(t in logged_text(r) for r in rows)]


def test_a_refusal_raised_by_a_service_itself_is_logged_too(demo_copy: Engine) -> None:
    """Not only `require`: a service's own `raise NotAllowed` is logged the same way."""
    head = actor(demo_copy, "head.ap")
    with pytest.raises(NotAllowed, match="Only the cluster's SEN host runs retention"):
        apply_retention(demo_copy, head)
    [row] = refusals(demo_copy)
    assert (row.action, row.user_id, row.username) == ("apply_retention", head.user_id, "head.ap")


def test_a_refusal_passed_through_two_audited_services_is_logged_once(
        sqlite_engine: Engine) -> None:
    @audit.refusals_logged("test_inner_read")
    def inner(engine: Engine, actor: Actor | None, award_id: int) -> None:
        require((False, "Not yours."))

    @audit.refusals_logged("test_outer_read")
    def outer(engine: Engine, actor: Actor | None, award_id: int) -> None:
        inner(engine, actor, award_id)

    with pytest.raises(NotAllowed, match="Not yours."):
        outer(sqlite_engine, None, award_id=7)
    [row] = refusals(sqlite_engine)
    assert (row.action, row.entity, row.entity_id) == ("test_inner_read", "award", 7)


def test_the_check_counts_a_refusal_as_audited_but_never_as_a_changes_row(
        sqlite_engine: Engine) -> None:
    @audit.refusals_logged("test_refused_read")
    def refused_read(engine: Engine, actor: Actor | None) -> None:
        require((False, "Not today."))

    @audit.mutating("test_refused_change")
    def refused_change(engine: Engine, actor: Actor | None) -> None:
        require((False, "Not today."))

    @audit.mutating("test_change_after_a_refused_read")
    def change_after_refused_read(engine: Engine, actor: Actor | None) -> None:
        with contextlib.suppress(NotAllowed):
            refused_read(engine, actor)
        with write_session(engine) as session:
            session.add(Cluster(name="Unaudited", la_code="926", la_name="Norfolk",
                                funded_since=date(2024, 9, 1)))

    try:
        with pytest.raises(NotAllowed):
            refused_change(sqlite_engine, None)
        assert audit.AUDIT_CHECK["missing"] == []
        change_after_refused_read(sqlite_engine, None)
        assert audit.AUDIT_CHECK["missing"] == ["test_change_after_a_refused_read"]
    finally:
        audit.AUDIT_CHECK["missing"] = []
        for action in ("test_refused_change", "test_change_after_a_refused_read"):
            audit.MUTATING_SERVICES.pop(action, None)


def test_a_refusal_that_cannot_be_logged_still_refuses_and_the_check_says_so(
        sqlite_engine: Engine) -> None:
    """An actor whose user row is gone: the row breaks a foreign key, the person is still refused
    with the service's own message (not a database error) and the test suite hears of it."""
    ghost = Actor(999, "ghost", "Ghost", Role.GOVERNOR, None, None)

    @audit.refusals_logged("test_unloggable")
    def guarded(engine: Engine, actor: Actor) -> None:
        require(can_read_pupil_level(actor))

    try:
        with pytest.raises(NotAllowed, match="groups of pupils only"):
            guarded(sqlite_engine, ghost)
        assert audit.AUDIT_CHECK["missing"] == ["test_unloggable (refusal)"]
        assert refusals(sqlite_engine) == []
    finally:
        audit.AUDIT_CHECK["missing"] = []


def test_a_refusal_of_a_number_too_big_for_a_record_is_kept_without_the_number() -> None:
    """"Not found" is refused as a NotAllowed now, so a typed 2**40 reaches the log: PostgreSQL's
    INTEGER could not hold it, and the refusal row must still be written."""
    assert audit.refused_record({"request_id": 82}) == ("request", 82)
    assert audit.refused_record({"request_id": 2**40}) == ("request", None)
