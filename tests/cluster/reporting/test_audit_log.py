"""The audit log as the host and the LA adviser read it: filters, "who changed this", and never a
pupil's words, on screen or in the Excel file."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput, NotAllowed
from cluster.models import ImpactRecord, RequestPupil, Review, StatusChange, SupportRequest
from cluster.papers.workbook import table_workbook
from cluster.reporting.audit_log import AuditFilter, audit_log, who_changed
from cluster.requests.status import return_for_information, withdraw_request
from tests.helpers.actors import actor

MISSING = "Attendance since September"
REASON = "The family moved away at half-term"


def _submitted(engine: Engine, school_username: str) -> tuple[int, int]:
    school = actor(engine, school_username)
    with Session(engine) as session:
        request = session.exec(select(SupportRequest).where(
            SupportRequest.status == "submitted",
            SupportRequest.school_id == school.school_id)).first()
        assert request is not None and request.id is not None
        return request.id, request.version


def _returned(engine: Engine) -> int:
    """senco.ap withdraws a request with a reason; the host returns another school's with a list
    of what is missing: two changes on record, each with free text."""
    mine, version = _submitted(engine, "senco.ap")
    withdraw_request(engine, actor(engine, "senco.ap"), mine, expected_version=version,
                     reason=REASON)
    request_id, version = _submitted(engine, "senco.hs")
    return_for_information(engine, actor(engine, "host"), request_id, [MISSING],
                           expected_version=version)
    return request_id


def test_host_reads_the_clusters_log_newest_first(demo_copy: Engine) -> None:
    request_id = _returned(demo_copy)
    page = audit_log(demo_copy, actor(demo_copy, "host"), AuditFilter())
    assert page.total >= len(page.lines) > 0
    assert page.lines[0].action == "return request"
    assert page.lines[0].record == f"request {request_id}"
    assert "status: submitted → returned" in page.lines[0].changes
    assert [line.at for line in page.lines] == sorted((line.at for line in page.lines),
                                                      reverse=True)
    assert "host" in page.people and "senco.ap" in page.people


def test_filters_by_person_record_and_dates(demo_copy: Engine) -> None:
    request_id = _returned(demo_copy)
    host = actor(demo_copy, "host")
    mine = audit_log(demo_copy, host, AuditFilter(username="senco.ap"))
    assert mine.lines and {line.username for line in mine.lines} == {"senco.ap"}
    one = audit_log(demo_copy, host, AuditFilter(record="request", record_id=request_id))
    assert one.lines and {line.record for line in one.lines} == {f"request {request_id}"}
    assert not audit_log(demo_copy, host, AuditFilter(to_day=date(2000, 1, 1))).lines
    today = audit_log(demo_copy, host, AuditFilter(from_day=date(2026, 11, 23),
                                                   to_day=date(2026, 11, 23)))
    assert today.lines[0].as_row()["When"].startswith("23/11/2026 ")
    with pytest.raises(InvalidInput, match="before the first"):
        audit_log(demo_copy, host, AuditFilter(from_day=date(2026, 11, 2),
                                               to_day=date(2026, 11, 1)))
    with pytest.raises(InvalidInput, match="what kind of record"):
        audit_log(demo_copy, host, AuditFilter(record_id=3))


def test_la_adviser_reads_a_cluster_others_are_refused(demo_copy: Engine) -> None:
    _returned(demo_copy)
    la = actor(demo_copy, "la.adviser")
    assert audit_log(demo_copy, la, AuditFilter()).lines[0].action == "return request"
    for username in ("governor", "senco.ap", "head.ap"):
        with pytest.raises(NotAllowed):
            audit_log(demo_copy, actor(demo_copy, username), AuditFilter())
    with pytest.raises(NotAllowed):
        who_changed(demo_copy, la, "request", 1)


def test_who_changed_a_request_lists_its_changes_not_its_reads(demo_copy: Engine) -> None:
    request_id = _returned(demo_copy)
    lines = who_changed(demo_copy, actor(demo_copy, "host"), "request", request_id)
    assert lines[0].username == "host" and lines[0].action == "return request"
    assert not any(line.action.startswith(("read ", "list ")) for line in lines)
    assert who_changed(demo_copy, actor(demo_copy, "host"), "request", 999_999) == []


def _pupil_text(engine: Engine) -> set[str]:
    """Every pupil reference and every piece of free text about a pupil in the demo."""
    with Session(engine) as session:
        texts = [p.reference for p in session.exec(select(RequestPupil)).all()]
        texts += [p.profile for p in session.exec(select(RequestPupil)).all()]
        for request in session.exec(select(SupportRequest)).all():
            texts += [request.need_summary, request.parent_view, request.pupil_view,
                      request.graduated_approach, *request.missing_items]
        texts += [r.notes for r in session.exec(select(Review)).all()]
        texts += [c.note for c in session.exec(select(StatusChange)).all()]
        for impact in session.exec(select(ImpactRecord)).all():
            texts += [impact.what_worked, impact.pupil_voice, impact.parent_voice]
    return {text for text in texts if len(text) >= 4}


def test_no_pupil_text_on_screen_or_in_the_excel_file(demo_copy: Engine) -> None:
    _returned(demo_copy)
    page = audit_log(demo_copy, actor(demo_copy, "host"), AuditFilter())
    workbook = load_workbook(io.BytesIO(table_workbook("Audit log",
                                                       [line.as_row() for line in page.lines])))
    cells = " | ".join(str(cell) for row in workbook.active.iter_rows(values_only=True)
                       for cell in row if cell is not None)
    assert "return request" in cells  # the file holds the rows…
    pupil_text = _pupil_text(demo_copy)
    assert {MISSING, REASON} <= pupil_text
    assert not [text for text in pupil_text if text in cells]  # …and none of a pupil's words
