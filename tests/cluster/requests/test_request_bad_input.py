"""The request forms at the service level with 500 generated inputs each, the bad values a person, a
paste or a tampered request could send: New request / Edit request (check, save a draft, submit;
`cluster.requests.status`), and the request page's Withdraw (a reason) and Return for information
(the host's list of what is missing).

Each example starts from a request that passes every check and spoils some of its fields with
hostile values: empty, huge, unicode, formula-leading text, identifiers, kinds and codes that do not
exist, negative and overflowing numbers, dates far in the past or future, meetings of nobody's.
Whatever arrives, the service saves, or refuses with the project's error naming the field and the
problem, and writes nothing. The database is one copy of the demo per test; after an example that
was accepted the copy is put back, so every example starts from the same state.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.calendar import HALF_TERMS, YEAR_GROUPS
from cluster.common.needs import AREA_CHOICES, PRIMARY_NEEDS, SenStatus
from cluster.core.db import make_engine
from cluster.core.errors import ClusterError
from cluster.models import Meeting, RequestKind, RequestStatus, School, SupportRequest
from cluster.requests.checks import ChecksFailed
from cluster.requests.costing import ItemLine, StaffLine
from cluster.requests.forms import AUXILIARY_AID, OutcomeInput, PupilInput, RequestForm
from cluster.requests.reading import check_request
from cluster.requests.status import (
    return_for_information,
    save_draft,
    submit_form,
    withdraw_request,
)
from tests.cluster.bad_input import (
    FRESH,
    Pristine,
    Tally,
    assert_ran,
    attempt,
    check_message,
    copy_database,
    hostile_dates,
    hostile_text,
    run_examples,
    whole_numbers,
    without_audit_count,
)
from tests.cluster.requests.conftest import TA, complete_form
from tests.helpers.actors import actor

__all__ = ["without_audit_count"]

REQUEST_TABLES = ("supportrequest", "requestpupil", "requestoutcome", "costline", "statuschange")


@dataclass(frozen=True)
class Scene:
    engine: Engine
    pristine: Pristine
    draft_id: int  # Aylsham Road's own draft, for Edit, Withdraw
    submitted_id: int  # a submitted request of the cluster, for Return for information
    meeting_ids: tuple[int, ...]
    school_ids: tuple[int, ...]
    base: RequestForm


@pytest.fixture
def scene(tmp_path: Path, demo_sqlite_file: Path, without_audit_count: None) -> Iterator[Scene]:
    path = copy_database(demo_sqlite_file, tmp_path, "requests.db")
    engine = make_engine(f"sqlite:///{path}")
    base = complete_form(engine)
    draft = save_draft(engine, actor(engine, "senco.ap"), replace(base, title="Draft to edit"))
    with Session(engine) as session:
        submitted = session.exec(select(SupportRequest.id).where(
            SupportRequest.status == RequestStatus.SUBMITTED)).first()
        meetings = tuple(m for m in session.exec(select(Meeting.id)).all() if m is not None)
        schools = tuple(s for s in session.exec(select(School.id)).all() if s is not None)
    assert submitted is not None
    yield Scene(engine, Pristine(engine), draft.id, submitted, meetings, schools, base)
    engine.dispose()


# --- hostile forms --------------------------------------------------------------------------------

LONG = 4_000
codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_ ./",
                max_size=12)


def references() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(["AP-901", "AP-902", "ap-901", "AP 17", "AP/017"]),
                     st.just("AP-" + "9" * 40), hostile_text(30))


def pupils() -> st.SearchStrategy[PupilInput]:
    return st.builds(
        PupilInput, references(),
        st.one_of(st.sampled_from(YEAR_GROUPS), st.sampled_from(["Year 12", "year 4", "", "Y4"])),
        st.one_of(st.sampled_from(list(SenStatus.labels())), st.sampled_from(["E", "K", "ehc"])),
        st.one_of(st.sampled_from(list(PRIMARY_NEEDS)), st.sampled_from(["slcn", "XYZ", ""])),
        st.booleans(), hostile_text(LONG), st.booleans())


def outcomes() -> st.SearchStrategy[OutcomeInput]:
    return st.builds(OutcomeInput, hostile_text(500), hostile_text(200), hostile_text(200),
                     hostile_text(200), st.one_of(st.none(), hostile_dates(date(2027, 3, 1))))


def staff_lines() -> st.SearchStrategy[StaffLine]:
    return st.builds(StaffLine, st.one_of(st.just(TA), st.just("SENCO"), codes),
                     whole_numbers(0, 1_920), whole_numbers(0, 30), whole_numbers(0, 52),
                     st.one_of(st.none(), st.integers(-1, 4)))


def item_lines() -> st.SearchStrategy[ItemLine]:
    return st.builds(ItemLine, hostile_text(200), whole_numbers(0, 10_000_000),
                     st.one_of(st.none(), st.integers(-1, 4)))


def changes(meeting_ids: tuple[int, ...], school_ids: tuple[int, ...]
            ) -> st.SearchStrategy[dict[str, object]]:
    """Fields of the complete form to spoil, with their hostile values."""
    fields: dict[str, st.SearchStrategy[object]] = {
        "kind": st.sampled_from([*RequestKind, AUXILIARY_AID, "", "Individual", "grant"]),
        "title": hostile_text(200),
        "meeting_id": st.one_of(st.none(), st.sampled_from(meeting_ids),
                                st.sampled_from([0, -1, 10**6, 2**31, 2**63 - 1])),
        "main_area": st.one_of(st.none(), st.sampled_from(AREA_CHOICES),
                               st.sampled_from(["", "Cognition", "C&L"])),
        "partner_school_ids": st.lists(st.one_of(st.sampled_from(school_ids),
                                                 st.integers(-5, 10**6)), max_size=4).map(tuple),
        "pupils": st.lists(pupils(), max_size=16).map(tuple),
        "pupils_helped": whole_numbers(0, 5_000),
        "need_summary": hostile_text(LONG),
        "graduated_approach": hostile_text(LONG),
        "review_cycles": whole_numbers(0, 20),
        "external_advice": hostile_text(LONG),
        "specialist_assessment_on": st.one_of(st.none(), hostile_dates(date(2026, 11, 23))),
        "school_spend_pence": whole_numbers(0, 100_000_000),
        "parents_involved": st.booleans(),
        "outcomes": st.lists(outcomes(), max_size=5).map(tuple),
        "staff_lines": st.lists(staff_lines(), max_size=9).map(tuple),
        "item_lines": st.lists(item_lines(), max_size=9).map(tuple),
        "minimum_pence": whole_numbers(0, 100_000_000),
        "start_term": st.sampled_from([*HALF_TERMS, "Autumn 3", "", "spring 1"]),
        "duration_terms": whole_numbers(1, 6),
        "severity": st.dictionaries(st.one_of(st.sampled_from(AREA_CHOICES), codes),
                                    whole_numbers(0, 4), max_size=6),
        "parent_view": hostile_text(LONG),
        "pupil_view": hostile_text(LONG),
    }
    # Half the examples spoil one field only, so the rest of the form passes and the spoilt value
    # reaches the database if the checks let it through; the others spoil up to five at once.
    return st.one_of(
        st.sampled_from(sorted(fields)).flatmap(
            lambda name: fields[name].map(lambda value: {name: value})),
        st.lists(st.sampled_from(sorted(fields)), max_size=5, unique=True).flatmap(
            lambda names: st.fixed_dictionaries({name: fields[name] for name in names})))


def check_refusal(error: ClusterError) -> None:
    """Every finding that refuses the request names its field and says what is wrong."""
    check_message(error)
    if isinstance(error, ChecksFailed):
        assert error.findings
        for finding in error.findings:
            assert finding.field.strip() and finding.problem.strip(), finding


# --- the properties -------------------------------------------------------------------------------

ACTIONS = ("check", "save", "submit", "edit-save", "edit-submit")


def test_500_new_and_edited_requests_save_or_refuse_cleanly(scene: Scene) -> None:
    engine = scene.engine
    school = actor(engine, "senco.ap")
    with Session(engine) as session:
        draft = session.get(SupportRequest, scene.draft_id)
        assert draft is not None
        draft_version = draft.version
    tally = Tally("new / edit request")

    def body(example: tuple[str, dict[str, object], bool]) -> None:
        action, spoilt, right_version = example
        form = replace(scene.base, **spoilt)  # type: ignore[arg-type]  # hostile values on purpose
        where: dict[str, object] = {}
        if action.startswith("edit"):
            where = {"request_id": scene.draft_id,
                     "expected_version": draft_version if right_version else draft_version + 7,
                     "drawn_from": {"status": RequestStatus.DRAFT}}
        if action == "check":
            result = attempt(engine, tally, lambda: check_request(engine, school, form),
                             on_refusal=check_refusal)
            if result is not None:
                assert all(f.field.strip() and f.problem.strip() for f in result.findings)
            return
        service = save_draft if action.endswith("save") else submit_form
        saved = attempt(engine, tally, lambda: service(engine, school, form, **where),
                        writes=REQUEST_TABLES, on_refusal=check_refusal)
        if saved is not None:
            assert saved.status == (RequestStatus.DRAFT if action.endswith("save")
                                    else RequestStatus.SUBMITTED)
            if action != "save":  # a new draft changes nothing the next example relies on
                scene.pristine.restore()

    run_examples(tally, st.tuples(st.sampled_from(ACTIONS),
                                  changes(scene.meeting_ids, scene.school_ids),
                                  FRESH), body)
    assert_ran(tally, engine)
    assert tally.accepted >= 50 and sum(tally.refused.values()) >= 50, tally.line()


def test_500_withdrawals_and_returns_save_or_refuse_cleanly(scene: Scene) -> None:
    """Withdraw (the school's reason) and Return for information (the host's list)."""
    engine = scene.engine
    school, host = actor(engine, "senco.ap"), actor(engine, "host")
    with Session(engine) as session:
        versions = {i: session.get(SupportRequest, i).version  # type: ignore[union-attr]  # the requests exist
                    for i in (scene.draft_id, scene.submitted_id)}
    tally = Tally("withdraw / return a request")

    def body(example: tuple[bool, str, list[str], int]) -> None:
        withdrawing, reason, missing, which = example
        request_id = (scene.draft_id, scene.submitted_id, -1, 2**31, 10**6)[which]
        version = versions.get(request_id, 1)
        if withdrawing:
            done = attempt(engine, tally, lambda: withdraw_request(
                engine, school, request_id, expected_version=version, reason=reason),
                writes=REQUEST_TABLES)
        else:
            done = attempt(engine, tally, lambda: return_for_information(
                engine, host, request_id, missing, expected_version=version),
                writes=REQUEST_TABLES)
        if done is not None:
            scene.pristine.restore()

    run_examples(tally, st.tuples(
        st.booleans(), hostile_text(4_000),
        st.lists(st.one_of(hostile_text(200), st.just("A costed provision map")), max_size=14),
        st.sampled_from([0, 0, 1, 1, 2, 3, 4])), body)
    assert_ran(tally, engine)
    assert tally.accepted >= 50 and sum(tally.refused.values()) >= 50, tally.line()
