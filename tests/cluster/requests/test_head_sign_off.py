"""The head's sign-off (a cluster's request rule): a SENCO's request waits for the headteacher
before the cluster sees it; the head signs it off or sends it back with a note; both see where
it is; with the rule off nothing changes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import NotAllowed
from cluster.models import RequestStatus, StatusChange, SupportRequest
from cluster.reporting.todo import todo_list
from cluster.requests.reading import get_request, requests_for_meeting
from cluster.requests.rules import load_settings
from cluster.requests.status import (
    return_for_information,
    send_back_to_senco,
    sign_off_request,
    submit_request,
)
from cluster.requests.year_setup import save_request_rules
from tests.helpers.actors import actor

YEAR = 2026


def _rule(engine: Engine, on: bool) -> None:
    host = actor(engine, "host")
    with Session(engine) as session:
        settings = load_settings(session, host.cluster_id or 0, YEAR)
    save_request_rules(engine, host, YEAR, replace(settings.rules, head_sign_off=on),
                       expected_version=settings.rules_version)


def _senco_submits_again(engine: Engine) -> int:
    """The host returns senco.ap's submitted request; the SENCO submits it again."""
    senco = actor(engine, "senco.ap")
    with Session(engine) as session:
        request = session.exec(select(SupportRequest).where(
            SupportRequest.school_id == senco.school_id,
            SupportRequest.status == RequestStatus.SUBMITTED)).first()
        assert request is not None and request.id is not None
        request_id, version = request.id, request.version
    saved = return_for_information(engine, actor(engine, "host"), request_id, ["Attendance"],
                                   expected_version=version)
    submit_request(engine, senco, request_id, expected_version=saved.version)
    return request_id


def _status(engine: Engine, request_id: int) -> tuple[str, int]:
    with Session(engine) as session:
        request = session.get_one(SupportRequest, request_id)
        return request.status, request.version


def test_a_sencos_request_waits_for_the_head_then_goes_to_the_cluster(demo_copy: Engine) -> None:
    _rule(demo_copy, True)
    request_id = _senco_submits_again(demo_copy)
    status, version = _status(demo_copy, request_id)
    assert status == RequestStatus.AWAITING_HEAD
    # Both see where it is; the cluster does not see it yet.
    for username in ("senco.ap", "head.ap"):
        detail = get_request(demo_copy, actor(demo_copy, username), request_id)
        assert detail.status_label == "Waiting for the headteacher's sign-off"
    host_todo = todo_list(demo_copy, actor(demo_copy, "host"))
    assert not any(f"request {request_id} " in i.what for i in host_todo)
    assert request_id not in _listed_for_the_meeting(demo_copy)
    head_todo = todo_list(demo_copy, actor(demo_copy, "head.ap"))
    assert any(i.what.startswith(f"Sign off request {request_id}") for i in head_todo)
    assert not any(i.what.startswith("Sign off") for i in
                   todo_list(demo_copy, actor(demo_copy, "senco.ap")))
    with pytest.raises(NotAllowed, match="headteacher"):
        sign_off_request(demo_copy, actor(demo_copy, "senco.ap"), request_id,
                         expected_version=version)
    sign_off_request(demo_copy, actor(demo_copy, "head.ap"), request_id, expected_version=version)
    assert _status(demo_copy, request_id)[0] == RequestStatus.SUBMITTED
    assert any(i.what.startswith(f"Triage request {request_id} ")
               for i in todo_list(demo_copy, actor(demo_copy, "host")))
    assert request_id in _listed_for_the_meeting(demo_copy)


def _listed_for_the_meeting(engine: Engine) -> list[int]:
    """The host's "Requests for the next meeting" list."""
    return [row.id for row in requests_for_meeting(engine, actor(engine, "host")).rows]


def test_the_head_sends_it_back_with_a_note(demo_copy: Engine) -> None:
    _rule(demo_copy, True)
    request_id = _senco_submits_again(demo_copy)
    head = actor(demo_copy, "head.ap")
    version = _status(demo_copy, request_id)[1]
    send_back_to_senco(demo_copy, head, request_id, "Add the costs of the speech therapist.",
                       expected_version=version)
    assert _status(demo_copy, request_id)[0] == RequestStatus.DRAFT
    with Session(demo_copy) as session:
        notes = session.exec(select(StatusChange.note).where(
            StatusChange.request_id == request_id)).all()
    assert "Sent back by the headteacher: Add the costs of the speech therapist." in notes
    with pytest.raises(NotAllowed, match="not waiting"):
        sign_off_request(demo_copy, head, request_id,
                         expected_version=_status(demo_copy, request_id)[1])


def test_with_the_rule_off_a_sencos_request_goes_straight_to_the_cluster(
        demo_copy: Engine) -> None:
    request_id = _senco_submits_again(demo_copy)
    assert _status(demo_copy, request_id)[0] == RequestStatus.SUBMITTED
