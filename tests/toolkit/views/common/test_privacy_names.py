"""The privacy page's "Names in stored text" tab in AppTest: the host sees the rows old text gives,
ticks one and removes it; other roles have no such tab."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from cluster.core.db import make_engine
from cluster.models import SupportRequest
from cluster.people.stored_names import NAME_REMOVED, PAPERS_NOTE
from tests.helpers.forms import open_view
from tests.toolkit.conftest import APP, ROOT
from tests.toolkit.test_views import page_text
from toolkit import state

PRIVACY = str(ROOT / "toolkit/views/common/privacy.py")
JACK = "Jack Smith reads well below age-related expectations."
TAB = "Names in stored text"


def plant(url: str) -> int:
    """Old text: a name in the first request's need, written past the form's check."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            request_id = session.exec(select(SupportRequest.id)
                                      .order_by(col(SupportRequest.id))).first()
        with engine.begin() as connection:
            connection.execute(text("UPDATE supportrequest SET need_summary = :t WHERE id = :id"),
                               {"t": JACK, "id": request_id})
        assert request_id is not None
        return request_id
    finally:
        engine.dispose()


def need_of(url: str, request_id: int) -> str:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.get_one(SupportRequest, request_id).need_summary
    finally:
        engine.dispose()


def remove_button(at: AppTest) -> Button:
    """The form's button by its label: the sidebar's "Sign out" is drawn after the page."""
    return next(b for b in at.button if b.label == "Remove the ticked names")


def test_the_host_ticks_a_row_and_removes_the_name(demo_database: str) -> None:
    request_id = plant(demo_database)
    at = open_view(APP, demo_database, "host", PRIVACY)
    assert TAB in [tab.label for tab in at.tabs]
    assert PAPERS_NOTE in page_text(at)
    at.toggle(key=state.STORED_NAMES_CHECK).set_value(True).run()
    assert not at.exception, at.exception
    assert "**1 field(s)** look like they hold a name (1 with a clear case" in page_text(at)
    tick = at.checkbox(key=f"{state.STORED_NAMES_TICK}.support_request:{request_id}:need_summary")
    assert tick.label == (f"Request {request_id}, Need in plain words — 'Jack Smith' "
                          "(clear case)")
    tick.check()
    remove_button(at).click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success][0].startswith(
        f"Replaced 1 word(s) with {NAME_REMOVED} in 1 field(s).")
    assert "No stored text looks like it holds a name." in page_text(at)
    assert need_of(demo_database, request_id) == \
        f"{NAME_REMOVED} reads well below age-related expectations."


def test_pressing_remove_with_nothing_ticked_changes_nothing(demo_database: str) -> None:
    request_id = plant(demo_database)
    at = open_view(APP, demo_database, "host", PRIVACY)
    at.toggle(key=state.STORED_NAMES_CHECK).set_value(True).run()
    remove_button(at).click().run()
    assert "Tick the rows whose words are a person's name first." in page_text(at)
    assert need_of(demo_database, request_id) == JACK


@pytest.mark.parametrize("username", ["senco.ap", "governor", "la.adviser"])
def test_other_roles_have_no_such_tab(demo_database: str, username: str) -> None:
    plant(demo_database)
    at = open_view(APP, demo_database, username, PRIVACY)
    assert TAB not in [tab.label for tab in at.tabs]
    assert "Jack Smith" not in page_text(at)
