"""Draft → submitted → (withdrawn | returned → resubmitted): who may do each step, the status
history, stale screens, and audit rows that carry no pupil text. The three main paths run on SQLite
and PostgreSQL; the rest on a copy of the SQLite demo_copy, to keep the file fast."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput, NotAllowed, NotFound, StaleEdit
from cluster.models import AuditEvent, StatusChange, SupportRequest
from cluster.requests.forms import PupilInput
from cluster.requests.reading import get_request, our_requests, requests_for_meeting
from cluster.requests.status import (
    return_for_information,
    save_draft,
    submit_form,
    submit_request,
    withdraw_request,
)
from tests.cluster.requests.conftest import COMPLETE_FORM_PENCE, complete_form, written_rows
from tests.helpers.actors import actor


def history(engine: Engine, request_id: int) -> list[tuple[str | None, str]]:
    with Session(engine) as session:
        return [(c.from_status, c.to_status) for c in session.exec(
            select(StatusChange).where(StatusChange.request_id == request_id)
            .order_by(StatusChange.id)).all()]


def test_a_head_drafts_submits_and_sees_it_in_our_requests(demo_engine: Engine) -> None:
    head = actor(demo_engine, "head.ap")
    draft = save_draft(demo_engine, head, complete_form(demo_engine))
    assert (draft.status, draft.amount_pence) == ("draft", COMPLETE_FORM_PENCE)
    assert draft.need_score is not None and 0 < draft.need_score <= 10
    submitted = submit_request(demo_engine, head, draft.id, expected_version=draft.version)
    assert submitted.status == "submitted"
    assert history(demo_engine, draft.id) == [(None, "draft"), ("draft", "submitted")]
    rows = {row.id: row for row in our_requests(demo_engine, actor(demo_engine, "senco.ap"))}
    assert rows[draft.id].status_label == "Submitted"
    assert rows[draft.id].amount_pence == COMPLETE_FORM_PENCE
    assert rows[draft.id].awarded_pence is None
    with Session(demo_engine) as session:
        stored = session.get(SupportRequest, draft.id)
        assert stored is not None and stored.submitted_on == date(2026, 11, 23)
        assert stored.need_score_parts["total"] == stored.need_score
        events = session.exec(select(AuditEvent).where(
            AuditEvent.entity == "support_request", AuditEvent.entity_id == draft.id)).all()
    assert [e.action for e in events] == ["save_request_draft", "submit_saved_request"]
    for event in events:  # audit rows never carry pupil text
        assert "AP-900" not in str(event.after) and "Reading" not in str(event.after)
    host_rows = requests_for_meeting(demo_engine, actor(demo_engine, "host")).rows
    assert draft.id in {row.id for row in host_rows}


def test_withdrawn_before_the_papers_close_but_not_after(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    head = actor(demo_engine, "head.ap")
    first = submit_form(demo_engine, head, complete_form(demo_engine))
    withdrawn = withdraw_request(demo_engine, head, first.id, expected_version=first.version,
                                 reason="No longer needed: the pupil moved school.")
    assert withdrawn.status == "withdrawn"
    assert history(demo_engine, first.id)[-1] == ("submitted", "withdrawn")
    second = submit_form(demo_engine, head, complete_form(demo_engine))
    monkeypatch.setenv("CLUSTER_TODAY", "2027-01-07")
    before = written_rows(demo_engine)
    with pytest.raises(NotAllowed, match="closed on 06/01/2027: ask the host to return"):
        withdraw_request(demo_engine, head, second.id, expected_version=second.version)
    assert written_rows(demo_engine) == before


def test_the_host_returns_it_with_what_is_missing_and_the_school_resubmits(
        demo_engine: Engine) -> None:
    head, host = actor(demo_engine, "head.ap"), actor(demo_engine, "host")
    sent = submit_form(demo_engine, head, complete_form(demo_engine))
    with pytest.raises(InvalidInput, match="What is missing: list at least one thing"):
        return_for_information(demo_engine, host, sent.id, ["  "], expected_version=sent.version)
    returned = return_for_information(
        demo_engine, host, sent.id, ["A dated speech and language assessment", "Outcome 2"],
        expected_version=sent.version)
    detail = get_request(demo_engine, head, sent.id)
    assert detail.status_label == "Returned for more information"
    assert detail.missing_items == ("A dated speech and language assessment", "Outcome 2")
    assert "A dated speech and language assessment" in detail.history[-1].note
    assert detail.can_edit == (True, "")
    assert detail.form is not None
    edited = save_draft(demo_engine, head, replace(detail.form, need_summary="Updated need."),
                        request_id=sent.id, expected_version=returned.version,
                        drawn_from=detail.drawn_from())
    assert edited.status == "returned"
    again = submit_request(demo_engine, head, sent.id, expected_version=edited.version)
    assert again.status == "submitted"
    assert get_request(demo_engine, head, sent.id).missing_items == ()
    assert history(demo_engine, sent.id) == [(None, "draft"), ("draft", "submitted"),
                                             ("submitted", "returned"), ("returned", "submitted")]


def test_a_stale_screen_is_refused(demo_copy: Engine) -> None:
    senco, head = actor(demo_copy, "senco.ap"), actor(demo_copy, "head.ap")
    draft = save_draft(demo_copy, senco, complete_form(demo_copy))
    drawn = get_request(demo_copy, head, draft.id)
    save_draft(demo_copy, senco, complete_form(demo_copy, title="Reading support, changed"),
               request_id=draft.id, expected_version=draft.version,
               drawn_from=drawn.drawn_from())
    with pytest.raises(StaleEdit) as refused:
        save_draft(demo_copy, head, complete_form(demo_copy), request_id=draft.id,
                   expected_version=drawn.version, drawn_from=drawn.drawn_from())
    assert "senco.ap" in refused.value.message
    assert "title: Reading support in Year 4 → Reading support, changed" in refused.value.message


def test_a_submitted_request_is_not_edited_and_others_cannot_touch_it(demo_copy: Engine) -> None:
    head = actor(demo_copy, "head.ap")
    sent = submit_form(demo_copy, head, complete_form(demo_copy))
    with pytest.raises(NotAllowed, match="only a draft or a request returned"):
        save_draft(demo_copy, head, complete_form(demo_copy), request_id=sent.id,
                   expected_version=sent.version)
    other = actor(demo_copy, "head.bi")
    with pytest.raises(NotFound, match=f"^There is no request {sent.id} that you can open"):
        withdraw_request(demo_copy, other, sent.id, expected_version=sent.version)
    with pytest.raises(NotAllowed, match="Only the cluster's SEN host"):
        return_for_information(demo_copy, head, sent.id, ["x"], expected_version=sent.version)


@pytest.mark.parametrize("username", ["host", "governor", "la.adviser"])
def test_only_a_schools_head_or_senco_drafts(demo_copy: Engine, username: str) -> None:
    before = written_rows(demo_copy)
    with pytest.raises(NotAllowed, match="headteacher or SENCO"):
        save_draft(demo_copy, actor(demo_copy, username), complete_form(demo_copy))
    assert written_rows(demo_copy) == before


def test_duplicates_only_count_live_requests(demo_copy: Engine) -> None:
    """A withdrawn request frees its pupil; a submitted one holds it."""
    head = actor(demo_copy, "head.ap")
    first = submit_form(demo_copy, head, complete_form(demo_copy))
    withdraw_request(demo_copy, head, first.id, expected_version=first.version)
    second = submit_form(demo_copy, head, complete_form(demo_copy))
    assert second.status == "submitted"
    pupil = PupilInput("AP-900", "Year 4", "sen_support", "SpLD", consent_given=True)
    with pytest.raises(InvalidInput, match=f"AP-900 is already on request {second.id}"):
        submit_form(demo_copy, head, complete_form(demo_copy, pupils=(pupil,)))
