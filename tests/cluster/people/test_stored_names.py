"""Names already stored: the host's list of stored text that looks like it holds a pupil's name,
and the removal of the confirmed words, on the seeded demo with old text written straight into the
database (as data saved before the text check would be)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core.errors import InvalidInput, NotAllowed, NotFound
from cluster.models import AuditEvent, Meeting, RequestOutcome, RequestPupil, SupportRequest
from cluster.people.stored_names import (
    NAME_REMOVED,
    REMOVE_ACTION,
    remove_stored_names,
    stored_names,
)
from tests.helpers.actors import actor

JACK = ("Jack Smith reads well below age-related expectations and avoids writing; "
        "he enjoys Lego therapy at lunchtime.")


def write_directly(engine: Engine, table: str, column: str, row_id: int, value: str) -> None:
    """Old data: written with SQL, past every form and its check (and without a version bump)."""
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                           {"value": value, "id": row_id})


def first_id(engine: Engine, table: type[SupportRequest] | type[RequestPupil]
             | type[RequestOutcome] | type[Meeting]) -> int:
    with Session(engine) as session:
        found = session.exec(select(table.id).order_by(col(table.id))).first()
    assert found is not None
    return found


def a_request(engine: Engine) -> SupportRequest:
    with Session(engine) as session:
        return session.get_one(SupportRequest, first_id(engine, SupportRequest))


def removal_rows(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == REMOVE_ACTION)
                                 .order_by(col(AuditEvent.id))).all())


def test_the_demo_text_gives_no_rows(demo_engine: Engine) -> None:
    """Every free-text field of the demo passes: its minutes name staff through their accounts
    (known people) and its history notes ("Draft started.") are ordinary words."""
    assert stored_names(demo_engine, actor(demo_engine, "host")) == ()


def test_a_name_written_before_the_check_is_listed_for_the_host(demo_engine: Engine) -> None:
    request = a_request(demo_engine)
    assert request.id is not None
    write_directly(demo_engine, "supportrequest", "need_summary", request.id, JACK)
    [row] = stored_names(demo_engine, actor(demo_engine, "host"))
    assert row.key == f"support_request:{request.id}:need_summary"
    assert (row.record, row.field_label) == (f"Request {request.id}", "Need in plain words")
    assert row.words == ("Jack Smith",) and row.clear and row.verdict == "clear case"
    assert "'Jack Smith' (clear case)" in row.found_text


def test_removal_replaces_the_name_and_keeps_the_rest(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    request = a_request(demo_engine)
    assert request.id is not None
    write_directly(demo_engine, "supportrequest", "need_summary", request.id,
                   JACK + " Jack's mum agrees.")
    [row] = stored_names(demo_engine, host)
    [done] = remove_stored_names(demo_engine, host, {row.key: row.words})
    assert done.replaced == 2
    with Session(demo_engine) as session:
        after = session.get_one(SupportRequest, request.id)
    assert after.need_summary == (f"{NAME_REMOVED} reads well below age-related expectations and "
                                  "avoids writing; he enjoys Lego therapy at lunchtime. "
                                  f"{NAME_REMOVED}'s mum agrees.")
    assert after.version == request.version + 1  # a screen drawn before cannot save over it
    assert after.title == request.title and after.graduated_approach == request.graduated_approach
    assert stored_names(demo_engine, host) == ()


def test_the_audit_row_says_which_field_and_how_many_words_never_the_name(
        demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    request = a_request(demo_engine)
    assert request.id is not None
    write_directly(demo_engine, "supportrequest", "need_summary", request.id, JACK)
    [row] = stored_names(demo_engine, host)
    remove_stored_names(demo_engine, host, {row.key: row.words})
    [event] = removal_rows(demo_engine)
    assert (event.entity, event.entity_id, event.username) == ("support_request", request.id,
                                                               "host")
    assert event.changed_fields == ["need_summary", "version", "words_removed"]
    assert event.after == {"need_summary": "(text changed)", "version": request.version + 1,
                           "words_removed": 1}
    every_column = json.dumps(event.model_dump(mode="json"))
    for word in ("Jack", "Smith", "reads well", NAME_REMOVED):
        assert word not in every_column


def test_each_kind_of_record_is_found_and_corrected_one_audit_row_per_field(
        demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    pupil, outcome = first_id(demo_engine, RequestPupil), first_id(demo_engine, RequestOutcome)
    meeting = first_id(demo_engine, Meeting)
    write_directly(demo_engine, "requestpupil", "profile", pupil,
                   "Olivia finds it hard to settle after break.")
    write_directly(demo_engine, "requestoutcome", "baseline", outcome, "Mrs Okonkwo-Reid reports "
                   "3 incidents a week")
    with Session(demo_engine) as session:
        minutes = session.get_one(Meeting, meeting).minutes_md
    write_directly(demo_engine, "meeting", "minutes_md", meeting,
                   minutes + "\nThe panel heard that Zofia Nowak has settled well.\n")
    rows = {row.entity: row for row in stored_names(demo_engine, host)}
    assert set(rows) == {"request_pupil", "request_outcome", "meeting"}
    assert rows["request_pupil"].words == ("Olivia",)
    assert rows["request_outcome"].field_label == "Baseline"
    assert rows["meeting"].words == ("Zofia Nowak",)  # the chair, Sam Hardy, is an account
    done = remove_stored_names(demo_engine, host, {r.key: r.words for r in rows.values()})
    assert [d.replaced for d in done] == [1, 1, 1]
    with Session(demo_engine) as session:
        assert session.get_one(RequestPupil, pupil).profile == \
            f"{NAME_REMOVED} finds it hard to settle after break."
        assert "Sam Hardy" in session.get_one(Meeting, meeting).minutes_md
    assert sorted((e.entity, e.changed_fields[0]) for e in removal_rows(demo_engine)) == [
        ("meeting", "minutes_md"), ("request_outcome", "baseline"), ("request_pupil", "profile")]


def test_only_the_confirmed_words_go(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    request = a_request(demo_engine)
    assert request.id is not None
    write_directly(demo_engine, "supportrequest", "parent_view", request.id,
                   "Jack Smith's mum says Grace at the club helps him.")
    [row] = stored_names(demo_engine, host)
    assert set(row.words) == {"Jack Smith", "Grace"}
    remove_stored_names(demo_engine, host, {row.key: ["jack smith", "reads", "mum"]})
    with Session(demo_engine) as session:
        assert session.get_one(SupportRequest, request.id).parent_view == \
            f"{NAME_REMOVED}'s mum says Grace at the club helps him."


def test_nothing_to_remove_is_refused_and_changes_nothing(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    request = a_request(demo_engine)
    assert request.id is not None
    write_directly(demo_engine, "supportrequest", "need_summary", request.id, JACK)
    [row] = stored_names(demo_engine, host)
    write_directly(demo_engine, "supportrequest", "need_summary", request.id,
                   "Reads well below age-related expectations.")  # corrected meanwhile
    with pytest.raises(InvalidInput, match="the text has changed since the list was drawn"):
        remove_stored_names(demo_engine, host, {row.key: row.words})
    with pytest.raises(InvalidInput, match="tick at least one row"):
        remove_stored_names(demo_engine, host, {})
    with pytest.raises(InvalidInput, match="not a row of the list"):
        remove_stored_names(demo_engine, host, {"user:1:password_hash": ["x"]})
    assert removal_rows(demo_engine) == []


def test_a_text_that_would_pass_its_column_is_left_for_the_host(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    outcome = first_id(demo_engine, RequestOutcome)
    baseline = ("Mrs Ng says " + "reading is slow and effortful; " * 7)[:200]
    write_directly(demo_engine, "requestoutcome", "baseline", outcome, baseline)
    [row] = stored_names(demo_engine, host)
    with pytest.raises(InvalidInput, match="200 characters; edit it by hand"):
        remove_stored_names(demo_engine, host, {row.key: row.words})
    with Session(demo_engine) as session:
        assert session.get_one(RequestOutcome, outcome).baseline == baseline


def test_a_record_of_no_cluster_of_the_hosts_is_not_opened(demo_engine: Engine) -> None:
    with pytest.raises(NotFound, match="There is no stored text"):
        remove_stored_names(demo_engine, actor(demo_engine, "host"),
                            {"support_request:999999:need_summary": ["Jack Smith"]})


@pytest.mark.parametrize("username", ["senco.ap", "head.hs", "governor", "governor.ap",
                                      "la.adviser"])
def test_only_the_host_lists_or_removes(demo_engine: Engine, username: str) -> None:
    request = a_request(demo_engine)
    assert request.id is not None
    write_directly(demo_engine, "supportrequest", "need_summary", request.id, JACK)
    who = actor(demo_engine, username)
    with pytest.raises(NotAllowed, match="Only the cluster's SEN host"):
        stored_names(demo_engine, who)
    with pytest.raises(NotAllowed, match="Only the cluster's SEN host"):
        remove_stored_names(demo_engine, who,
                            {f"support_request:{request.id}:need_summary": ["Jack Smith"]})
    with Session(demo_engine) as session:
        assert session.get_one(SupportRequest, request.id).need_summary == JACK
        refused = session.exec(select(AuditEvent.action).where(
            AuditEvent.username == username, AuditEvent.outcome == "refused")).all()
    assert sorted(refused) == ["list_stored_names", "names_removed"]


def test_the_deputy_host_may_too(demo_engine: Engine) -> None:
    request = a_request(demo_engine)
    assert request.id is not None
    write_directly(demo_engine, "supportrequest", "need_summary", request.id, JACK)
    deputy = actor(demo_engine, "deputy")
    [row] = stored_names(demo_engine, deputy)
    assert remove_stored_names(demo_engine, deputy, {row.key: row.words})[0].replaced == 1
