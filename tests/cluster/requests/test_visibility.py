"""Who reads which request, and when (DESIGN.md §2), enforced in the services."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core.errors import NotAllowed, NotFound, NotOpenToYou
from cluster.models import AuditEvent, Meeting, School, SupportRequest
from cluster.requests.reading import agenda_requests, get_request
from cluster.requests.status import save_draft, submit_form
from tests.cluster.requests.conftest import NEXT_MEETING_ON, complete_form
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meetings


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
    with pytest.raises(NotAllowed) as refused:
        get_request(demo_copy, actor(demo_copy, "head.bi"), request_id)
    # Not "papers go out on 13/01/2027": that would say the request exists, and when it opens.
    assert refused.value.message == f"There is no request {request_id} that you can open."
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


def approve_spring_minutes(engine: Engine) -> None:
    """The Spring 1 meeting's minutes approved on 03/03/2027, written straight to the record:
    what approval closes is the point here, not how a meeting approves them."""
    with Session(engine) as session:
        meeting = session.exec(wensum_meetings().where(Meeting.held_on == NEXT_MEETING_ON)).one()
        meeting.minutes_approved_on = date(2027, 3, 3)
        session.add(meeting)
        session.commit()


def test_once_the_minutes_are_approved_it_closes_again(demo_copy: Engine,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    request_id = submitted_by_ap(demo_copy)
    approve_spring_minutes(demo_copy)
    monkeypatch.setenv("CLUSTER_TODAY", "2027-03-03")
    assert get_request(demo_copy, actor(demo_copy, "head.bi"), request_id).id == request_id
    monkeypatch.setenv("CLUSTER_TODAY", "2027-03-04")
    with pytest.raises(NotAllowed) as refused:
        get_request(demo_copy, actor(demo_copy, "head.bi"), request_id)
    assert "03/03/2027" not in refused.value.message
    assert refused.value.message == f"There is no request {request_id} that you can open."


def test_a_draft_is_never_open_to_another_school(demo_copy: Engine,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    draft = save_draft(demo_copy, actor(demo_copy, "head.ap"), complete_form(demo_copy))
    monkeypatch.setenv("CLUSTER_TODAY", "2027-01-14")
    with pytest.raises(NotAllowed, match=f"^There is no request {draft.id} that you can open"):
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
    with pytest.raises(NotFound, match=f"^There is no request {request_id} that you can open"):
        get_request(demo_copy, actor(demo_copy, "head.ap"), request_id)


def refusal(engine: Engine, username: str, request_id: int) -> tuple[str, str]:
    """What a reader is told when refused: the kind of error and its words, with the number
    they typed taken out so two numbers' refusals can be compared."""
    with pytest.raises(NotFound) as refused:
        get_request(engine, actor(engine, username), request_id)
    return type(refused.value).__name__, refused.value.message.replace(str(request_id), "N")


def test_another_schools_request_off_the_agenda_is_refused_as_if_it_did_not_exist(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A SENCO learns nothing from a refusal: not that another school's request exists, nor where
    it is, nor when its papers go out. Off the agenda, before papers-out, after the minutes, and a
    number that was never used all get the same error in the same words, and each is audited."""
    sent = submitted_by_ap(demo_copy)  # on the Spring 1 agenda: papers go out on 13/01/2027
    draft = save_draft(demo_copy, actor(demo_copy, "head.ap"), complete_form(demo_copy)).id
    with Session(demo_copy) as session:
        missing = max(session.exec(select(SupportRequest.id)).all(), key=lambda i: i or 0) or 0
    missing += 1000
    never_used = refusal(demo_copy, "senco.bi", missing)
    assert never_used == ("NotOpenToYou", "There is no request N that you can open.")
    assert refusal(demo_copy, "senco.bi", sent) == never_used  # before its papers go out
    assert refusal(demo_copy, "senco.bi", draft) == never_used  # not on any agenda
    approve_spring_minutes(demo_copy)
    monkeypatch.setenv("CLUSTER_TODAY", "2027-03-04")
    assert refusal(demo_copy, "senco.bi", sent) == never_used  # after its minutes
    assert refusal(demo_copy, "senco.bi", missing) == never_used
    with Session(demo_copy) as session:
        refused = session.exec(select(AuditEvent).where(
            AuditEvent.action == "read_request", AuditEvent.outcome == "refused")
            .order_by(col(AuditEvent.id))).all()
    assert [(r.username, r.entity_id) for r in refused] == [
        ("senco.bi", missing), ("senco.bi", sent), ("senco.bi", draft), ("senco.bi", sent),
        ("senco.bi", missing)]
    assert reads_audited(demo_copy) == 0


def test_the_one_refusal_is_both_not_found_and_not_allowed() -> None:
    refusal = NotOpenToYou("request", 82)
    assert isinstance(refusal, NotFound) and isinstance(refusal, NotAllowed)
    assert refusal.message == "There is no request 82 that you can open."


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
