"""The small things a new user tripped on (issue 22), each checked the way they were seen."""

from __future__ import annotations

import ast
import tomllib
from datetime import date

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from cluster.common.calendar import year_groups_for
from cluster.core.db import make_engine
from cluster.imports.files import MAX_FILE_BYTES
from cluster.meetings.urgent import UrgentCandidate
from cluster.models import RequestStatus, SupportRequest
from cluster.requests.reconsiderations import (
    ask_for_reconsideration,
    decisions_open_to_reconsideration,
)
from cluster.requests.status import withdraw_permission
from tests.helpers.actors import demo_actor
from tests.toolkit.conftest import APP, ROOT
from tests.toolkit.test_views import page_text
from tests.toolkit.views.test_home_pages import home_for
from tests.toolkit.views.test_todo import todo_links
from toolkit import state
from toolkit.registry import VIEWS

REASONS = "The need score missed the speech and language report of October"


def _open(url: str, username: str, view: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[state.ACTOR] = demo_actor(url, username)
    at.run()
    at.switch_page(str(ROOT / view))
    at.query_params.update(query)
    at.run()
    assert not at.exception
    return at


def _home_addresses() -> list[tuple[str, str]]:
    """(home file, address) of each (address, words) pair the home pages link with."""
    found = []
    for path in ROOT.glob("toolkit/views/*/home.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Tuple) and len(node.elts) == 2
                    and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                            for e in node.elts)):
                first = node.elts[0]
                assert isinstance(first, ast.Constant)
                found.append((path.parent.name, str(first.value)))
    return found


def test_every_link_on_a_home_page_names_a_page_that_exists() -> None:
    """The host's "Open the meetings" pointed at "meetings", which no page answers to (and the
    governor's "Read the minutes" at "minutes"): a missing page draws no link at all."""
    pages = {view.url_path for view in VIEWS}
    addresses = _home_addresses()
    assert ("host", "run-meeting") in addresses
    assert [(home, a) for home, a in addresses if a not in pages] == []


def test_host_home_links_to_the_meetings_and_keeps_labels_short(demo_database: str) -> None:
    at = home_for(demo_database, "host")
    addresses = {address.split("?")[0] for _, address in todo_links(at)}
    assert {"run-meeting", "meeting-agendas"} <= addresses
    # Four metrics to a row: the label was cut off after 35 characters ("Requests received for
    # the next meet…"); 32 leaves room on a laptop's screen.
    assert all(len(m.label) <= 32 for m in at.metric), [m.label for m in at.metric]


def test_school_home_states_the_next_deadline_once(demo_database: str) -> None:
    """It said the requests deadline three times, then twice (a banner and the deadlines line):
    the meeting's line names the meeting, the deadlines line alone gives the dates."""
    text = page_text(home_for(demo_database, "senco.ap"))
    assert "**Next meeting:** Spring 1 funding round on 20/01/2027" in text
    assert text.count("06/01/2027") == 1, text
    assert text.count("13/01/2027") == 1, text


def test_my_account_names_the_role_once(demo_database: str) -> None:
    at = _open(demo_database, "host", "toolkit/views/common/account.py")
    text = page_text(at)
    assert "Cluster SEN host, Cluster SEN host" not in text
    assert "Cluster SEN host" in text


def test_a_withdrawn_request_says_so_and_is_not_awaiting_a_decision(demo_database: str) -> None:
    engine = make_engine(demo_database)
    with Session(engine) as session:
        request = session.exec(select(SupportRequest).where(
            SupportRequest.status == RequestStatus.SUBMITTED)).first()
        assert request is not None
        request.status = RequestStatus.WITHDRAWN
        session.add(request)
        session.commit()
        session.refresh(request)
        allowed, why = withdraw_permission(request, None, date(2026, 11, 23))
        request_id = request.id
    engine.dispose()
    assert not allowed and "cannot be withdrawn" not in why and "already" in why
    at = _open(demo_database, "host", "toolkit/views/common/request.py", request=str(request_id))
    awarded = {m.label: m.value for m in at.metric}["Awarded"]
    assert awarded == "none: withdrawn"


def test_a_primary_school_is_offered_primary_year_groups_only() -> None:
    assert "Year 7" not in year_groups_for("primary")
    assert year_groups_for("primary")[-1] == "Year 6"
    assert year_groups_for("secondary") == tuple(f"Year {n}" for n in range(7, 12))
    assert year_groups_for("junior")[0] == "Year 3"


def test_the_upload_limit_is_one_number(demo_database: str) -> None:
    config = tomllib.loads((ROOT / ".streamlit/config.toml").read_text(encoding="utf-8"))
    limit = MAX_FILE_BYTES // 1_048_576
    assert config["server"]["maxUploadSize"] == limit
    at = _open(demo_database, "host", "toolkit/views/host/census_import.py")
    uploader = at.get("file_uploader")[0]
    assert uploader.proto.max_upload_size_mb == limit
    assert f"up to {limit} MB" in page_text(at)


def test_the_year_section_is_not_named_like_its_page() -> None:
    """A click on the "The year" heading folded the section away, hiding "Ask for
    reconsideration": no section heading reads like a page now, and reconsideration sits with
    the requests."""
    assert not {view.title for view in VIEWS} & {view.section for view in VIEWS}
    reconsideration = next(v for v in VIEWS if v.url_path == "reconsideration")
    assert reconsideration.section == "Requests"


def test_reviews_table_shows_request_numbers_not_review_numbers(demo_database: str) -> None:
    at = _open(demo_database, "host", "toolkit/views/host/reviews.py")
    frame = next(f.value for f in at.dataframe if "Request" in f.value.columns)
    assert "Review" not in frame.columns
    assert all(str(v).split(":")[0].isdigit() for v in frame["Request"])


def test_provision_map_column_has_one_type(demo_database: str) -> None:
    engine = make_engine(demo_database)
    with Session(engine) as session:
        request_id = session.exec(select(SupportRequest.id).where(
            SupportRequest.school_id == demo_actor(demo_database, "senco.ap").school_id)).first()
    engine.dispose()
    at = _open(demo_database, "senco.ap", "toolkit/views/common/request.py",
               request=str(request_id))
    frame = next(f.value for f in at.dataframe if "For outcome" in f.value.columns)
    assert {type(v) for v in frame["For outcome"]} == {str}


def test_reconsideration_shows_the_schools_reasons_back(demo_database: str) -> None:
    engine = make_engine(demo_database)
    school = demo_actor(demo_database, "senco.hs")
    try:
        askable = [d for d in decisions_open_to_reconsideration(engine, school) if d.can_ask]
        assert askable, "the demo has a decision senco.hs may ask about"
        ask_for_reconsideration(engine, school, askable[0].award_id, REASONS)
    finally:
        engine.dispose()
    at = _open(demo_database, "senco.hs", "toolkit/views/school/reconsideration.py")
    ours = next(f.value for f in at.dataframe if "Our reasons" in f.value.columns)
    assert REASONS in list(ours["Our reasons"])


def test_the_urgent_list_shows_the_ask_to_the_penny() -> None:
    """£1,451.60 read "£1,452" (the whole pounds an award would round it to)."""
    candidate = UrgentCandidate(12, 1, "Bintree Infant School", "Speech support", 1452, 900, 3,
                                145_160)
    assert candidate.label.endswith("(£1,451.60)")


def test_another_request_can_be_opened_while_one_is_open(demo_database: str) -> None:
    """The sidebar's "Open a request" is this page already, so it did nothing: the open request
    offers the number box itself."""
    at = _open(demo_database, "host", "toolkit/views/common/request.py", request="91")
    assert at.title[0].value.startswith("Request 91: ")
    next(n for n in at.number_input if n.label == "Request number").set_value(92)
    submit = next(b for b in at.button if b.label == "Open")
    submit.click().run()
    assert not at.exception
    assert at.title[0].value.startswith("Request 92: ")
