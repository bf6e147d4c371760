"""Round trips of a request's status forms: a school withdraws its request, the host returns one
for more information. Each changes the request's status (and its history), nothing else."""

from __future__ import annotations

from sqlmodel import Session, select

from cluster.core.db import make_engine
from cluster.models import RequestStatus, SupportRequest
from cluster.requests.reading import get_request
from cluster.requests.screens import RequestDetail
from tests.helpers.actors import demo_actor
from tests.helpers.forms import open_view, round_trip, texts
from tests.toolkit.conftest import APP, ROOT

ONE = str(ROOT / "toolkit/views/common/request.py")
STATUS_FIELDS = {"status", "status_label", "version", "history", "missing_items", "can_edit",
                 "can_submit", "can_withdraw", "can_return", "updated_at", "flags"}


def submitted_request(url: str, username: str = "senco.ap") -> int:
    school_id = demo_actor(url, username).school_id
    engine = make_engine(url)
    with Session(engine) as session:
        request = session.exec(select(SupportRequest).where(
            SupportRequest.school_id == school_id,
            SupportRequest.status == RequestStatus.SUBMITTED)).first()
    engine.dispose()
    assert request is not None and request.id is not None
    return request.id


def detail(url: str, request_id: int, username: str = "host") -> RequestDetail:
    engine = make_engine(url)
    try:
        return get_request(engine, demo_actor(url, username), request_id)
    finally:
        engine.dispose()


def same_apart_from_status(before: RequestDetail, after: RequestDetail) -> None:
    for name in before.__dataclass_fields__:
        if name not in STATUS_FIELDS and not name.startswith("can_"):
            assert getattr(before, name) == getattr(after, name), name


@round_trip("withdraw")
def test_withdrawing_changes_only_the_status(demo_database: str) -> None:
    request_id = submitted_request(demo_database)
    before = detail(demo_database, request_id, "senco.ap")
    at = open_view(APP, demo_database, "senco.ap", ONE, request=str(request_id))
    next(t for t in at.text_input if t.label.startswith("Why withdraw it")).input(
        "The pupil's needs are now met from the school's own budget.")
    next(b for b in at.button if b.label == "Withdraw this request").click().run()
    assert not at.exception, at.exception
    after = detail(demo_database, request_id, "senco.ap")
    assert after.status == RequestStatus.WITHDRAWN and before.status == RequestStatus.SUBMITTED
    same_apart_from_status(before, after)
    assert f"Request {request_id} withdrawn." in texts(at)
    assert at.query_params["request"] == str(request_id)  # the page still shows it


@round_trip("return")
def test_returning_for_information_changes_only_the_status_and_what_is_missing(
        demo_database: str) -> None:
    request_id = submitted_request(demo_database)
    before = detail(demo_database, request_id)
    at = open_view(APP, demo_database, "host", ONE, request=str(request_id))
    next(t for t in at.text_area if t.label.startswith("What is missing")).input(
        "A measurable baseline for outcome 1\nThe parents' view")
    next(b for b in at.button if b.label == "Return to the school").click().run()
    assert not at.exception, at.exception
    after = detail(demo_database, request_id)
    assert after.status == RequestStatus.RETURNED
    assert after.missing_items == ("A measurable baseline for outcome 1", "The parents' view")
    same_apart_from_status(before, after)
    assert "returned to" in texts(at)


def test_a_name_in_a_withdrawal_reason_is_asked_about_before_anything_is_written(
        demo_database: str) -> None:
    request_id = submitted_request(demo_database)
    at = open_view(APP, demo_database, "senco.ap", ONE, request=str(request_id))
    next(t for t in at.text_input if t.label.startswith("Why withdraw it")).input(
        "Jack Smith has moved school.")
    next(b for b in at.button if b.label == "Withdraw this request").click().run()
    assert not at.exception, at.exception
    assert "Jack Smith" in texts(at, "error") + texts(at, "warning")
    assert detail(demo_database, request_id, "senco.ap").status == RequestStatus.SUBMITTED
