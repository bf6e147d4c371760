"""The head's sign-off on screen: the head signs a SENCO's request off, or sends it back with a
note, from the request's page; the SENCO sees where it is."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from cluster.core.db import make_engine
from cluster.requests.status import send_back_to_senco
from tests.cluster.requests.test_head_sign_off import _rule, _senco_submits_again, _status
from tests.helpers.actors import demo_actor
from tests.toolkit.conftest import APP, ROOT
from tests.toolkit.test_views import page_text
from toolkit import state

REQUEST_VIEW = str(ROOT / "toolkit/views/common/request.py")


def _waiting(url: str) -> tuple[Engine, int]:
    engine = make_engine(url)
    _rule(engine, True)
    return engine, _senco_submits_again(engine)


def _open(url: str, username: str, request_id: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[state.ACTOR] = demo_actor(url, username)
    at.run()
    at.switch_page(REQUEST_VIEW)
    at.query_params["request"] = str(request_id)
    at.run()
    assert not at.exception
    return at


def test_the_head_signs_off_from_the_request_page(demo_database: str) -> None:
    engine, request_id = _waiting(demo_database)
    senco = _open(demo_database, "senco.ap", request_id)
    assert "Waiting for the headteacher's sign-off" in page_text(senco)
    assert not [b for b in senco.button if b.label == "Sign off and send to the cluster"]
    head = _open(demo_database, "head.ap", request_id)
    next(b for b in head.button if b.label == "Sign off and send to the cluster").click().run()
    assert not head.exception
    assert any("signed off and sent to the cluster" in s.value for s in head.success)
    assert _status(engine, request_id)[0] == "submitted"
    engine.dispose()


def test_the_senco_reads_the_heads_note_on_the_request(demo_database: str) -> None:
    engine, request_id = _waiting(demo_database)
    version = _status(engine, request_id)[1]
    send_back_to_senco(engine, demo_actor(demo_database, "head.ap"), request_id,
                       "Add the attendance figures.", expected_version=version)
    senco = _open(demo_database, "senco.ap", request_id)
    assert "Sent back by the headteacher: Add the attendance figures." in [
        w.value for w in senco.warning]
    engine.dispose()
