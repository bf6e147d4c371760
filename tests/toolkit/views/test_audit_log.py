"""The audit log page and the "who changed this" expander, run as the host and the LA adviser."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from cluster.core.db import make_engine
from cluster.models import SupportRequest
from cluster.requests.status import return_for_information
from tests.helpers.actors import demo_actor
from tests.helpers.forms import open_view
from tests.toolkit.conftest import APP, ROOT
from toolkit import state

AUDIT_VIEW = str(ROOT / "toolkit/views/host/audit_log.py")


def _return_one(url: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            request = session.exec(select(SupportRequest).where(
                SupportRequest.status == "submitted")).first()
            assert request is not None and request.id is not None
            request_id, version = request.id, request.version
        return_for_information(engine, demo_actor(url, "host"), request_id, ["Attendance"],
                               expected_version=version)
        return request_id
    finally:
        engine.dispose()


def test_host_reads_filters_and_can_download_the_log(demo_database: str) -> None:
    request_id = _return_one(demo_database)
    at = open_view(APP, demo_database, "host", AUDIT_VIEW)
    table = at.dataframe[0].value
    assert table["What"][0] == "return request"
    assert table["Record"][0] == f"request {request_id}"
    assert at.get("download_button")
    at.selectbox(key=state.AUDIT_RECORD).set_value("award").run()
    assert not at.exception
    assert any("No rows match" in info.value for info in at.info)


def test_la_adviser_reads_the_log_too(demo_database: str) -> None:
    _return_one(demo_database)
    at = open_view(APP, demo_database, "la.adviser", AUDIT_VIEW)
    assert at.dataframe[0].value["Who"][0] == "host"


def test_who_changed_this_request_for_the_host(demo_database: str) -> None:
    request_id = _return_one(demo_database)
    at = open_view(APP, demo_database, "host", str(Path(ROOT / "toolkit/views/common/request.py")),
               request=str(request_id))
    expander = next(e for e in at.expander if e.label == "Who changed this request")
    assert expander.dataframe[0].value["What"][0] == "return request"
