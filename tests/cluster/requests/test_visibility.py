"""Who reads which request, and when (DESIGN.md §2), enforced in the services."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core.errors import NotAllowed, NotFound
from cluster.models import AuditEvent, Meeting, School, SupportRequest
from cluster.requests.service import agenda_requests, get_request, save_draft, submit_form
from tests.cluster.requests.conftest import NEXT_MEETING_ON, complete_form
from tests.helpers.actors import actor


def reads_audited(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(AuditEvent).where(
            AuditEvent.action == "read_other_school_request")).all())


def submitted_by_ap(engine: Engine) -> int:
    return submit_form(engine, actor(engine, "head.ap"), complete_form(engine)).id


def test_a_school_reads_its_own_request_in_full_without_an_audit_row(demo_copy: Engine) -> None:
    request_id = submitted_by_ap(demo_copy)
    detail = get_request(demo_copy, actor(demo_copy, "senco.ap"), request_id)
    assert detail.own and detail.pupils[0].reference == "AP-900"
    assert detail.form is not None
    assert reads_audited(demo_copy) == 0


def test_another_school_cannot_read_it_before_the_papers_go_out(demo_copy: Engine) -> None:
    request_id = submitted_by_ap(demo_copy)
    with pytest.raises(NotAllowed, match="once the meeting papers go out on 13/01/2027"):
        get_request(demo_copy, actor(demo_copy, "head.bi"), request_id)
    assert reads_audited(demo_copy) == 0


def test_from_papers_out_another_school_reads_it_and_the_read_is_audited(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    request_id = submitted_by_ap(demo_copy)
    monkeypatch.setenv("CLUSTER_TODAY", "2027-01-13")
    reader = actor(demo_copy, "head.bi")
    detail = get_request(demo_copy, reader, request_id)
    assert not detail.own
    assert detail.pupils[0].reference == "AP-900"  # pseudonymous details only
    assert detail.form is None and detail.can_withdraw[0] is False
    assert all(change.by == "" for change in detail.history)  # no staff names across schools
    with Session(demo_copy) as session:
        event = session.exec(select(AuditEvent).where(
            AuditEvent.action == "read_other_school_request")).one()
    assert (event.username, event.entity_id) == ("head.bi", request_id)


def test_once_the_minutes_are_approved_it_closes_again(demo_copy: Engine,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    request_id = submitted_by_ap(demo_copy)
    with Session(demo_copy) as session:
        meeting = session.exec(select(Meeting).where(Meeting.held_on == NEXT_MEETING_ON)).one()
        meeting.minutes_approved_on = date(2027, 3, 3)
        session.add(meeting)
        session.commit()
    monkeypatch.setenv("CLUSTER_TODAY", "2027-03-03")
    assert get_request(demo_copy, actor(demo_copy, "head.bi"), request_id).id == request_id
    monkeypatch.setenv("CLUSTER_TODAY", "2027-03-04")
    with pytest.raises(NotAllowed, match="until the meeting's minutes were approved on 03/03/2027"):
        get_request(demo_copy, actor(demo_copy, "head.bi"), request_id)


def test_a_draft_is_never_open_to_another_school(demo_copy: Engine,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    draft = save_draft(demo_copy, actor(demo_copy, "head.ap"), complete_form(demo_copy))
    monkeypatch.setenv("CLUSTER_TODAY", "2027-01-14")
    with pytest.raises(NotAllowed, match="not on a meeting's agenda"):
        get_request(demo_copy, actor(demo_copy, "head.bi"), draft.id)


def test_the_host_reads_every_request_of_the_cluster(demo_copy: Engine) -> None:
    draft = save_draft(demo_copy, actor(demo_copy, "head.ap"), complete_form(demo_copy))
    assert get_request(demo_copy, actor(demo_copy, "host"), draft.id).school_name == \
        "Aylsham Road Primary School"


@pytest.mark.parametrize("username", ["governor", "governor.ap", "la.adviser"])
def test_governors_and_the_la_see_no_request(demo_copy: Engine, username: str) -> None:
    request_id = submitted_by_ap(demo_copy)
    with pytest.raises(NotAllowed, match="groups of pupils only"):
        get_request(demo_copy, actor(demo_copy, username), request_id)


@pytest.mark.parametrize("request_id", [0, 99_999])
def test_an_unknown_number_is_not_found(demo_copy: Engine, request_id: int) -> None:
    with pytest.raises(NotFound, match=f"no request {request_id} in your cluster"):
        get_request(demo_copy, actor(demo_copy, "head.ap"), request_id)


def test_the_agenda_list_shows_other_schools_requests_in_their_window(demo_copy: Engine) -> None:
    """Today (23/11/2026) the Autumn 2 round's requests are minuted but not yet approved."""
    rows = agenda_requests(demo_copy, actor(demo_copy, "head.ap"))
    assert rows and all(row.school_name != "Aylsham Road Primary School" for row in rows)
    assert all(row.meeting.startswith("Autumn 2") for row in rows)
    with Session(demo_copy) as session:
        assert session.exec(select(AuditEvent).where(
            AuditEvent.action == "list_agenda_requests")).one().username == "head.ap"
        other = session.exec(select(SupportRequest).join(
            School, col(School.id) == SupportRequest.school_id).where(
            School.name != "Aylsham Road Primary School",
            SupportRequest.id == rows[0].id)).one()
    assert get_request(demo_copy, actor(demo_copy, "head.ap"), other.id or 0).school_name != \
        "Aylsham Road Primary School"
