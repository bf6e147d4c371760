"""A page's address names its record: `/papers?meeting=N` opens meeting N's papers, choosing
another meeting puts it in the address, and a number that names nothing says so."""

from __future__ import annotations

from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from cluster.core.db import make_engine
from cluster.models import Meeting
from tests.cluster.meeting_helpers import spring_round
from tests.helpers.actors import demo_actor
from tests.helpers.demo_la import wensum_meeting_ids
from tests.toolkit.conftest import APP, ROOT
from toolkit import state

PAPERS = str(ROOT / "toolkit/views/common/papers.py")


def papers_at(url: str, username: str, meeting: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[state.ACTOR] = demo_actor(url, username)
    at.run()
    at.switch_page(PAPERS)
    at.query_params["meeting"] = meeting
    return at.run()


def test_the_address_opens_the_meeting_it_names_and_follows_the_choice(
        demo_database: str) -> None:
    engine = make_engine(demo_database)
    with Session(engine) as session:
        spring = spring_round(engine).id
        autumn = session.exec(wensum_meeting_ids().where(Meeting.academic_year == 2026,
                                                       Meeting.half_term == "Autumn 2")).one()
    engine.dispose()
    at = papers_at(demo_database, "senco.ap", str(autumn))  # not the page's first choice
    assert not at.exception
    assert at.selectbox(key=state.PAPERS_MEETING).value == autumn
    at.selectbox(key=state.PAPERS_MEETING).set_value(spring).run()
    assert not at.exception
    assert at.selectbox(key=state.PAPERS_MEETING).value == spring
    assert at.query_params["meeting"] in (str(spring), [str(spring)])


def test_a_number_that_names_no_meeting_says_so(demo_database: str) -> None:
    at = papers_at(demo_database, "governor", "99999")
    assert not at.exception
    assert any("There is no meeting “99999”" in w.value for w in at.warning)
