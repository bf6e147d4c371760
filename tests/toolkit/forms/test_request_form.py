"""Round trips of the New request form (issue 19): a draft opened again shows every stored field,
changing one field changes only that field, "New request" always creates, and a stale save
reloads the latest stored request and keeps what was typed beside it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from streamlit.testing.v1 import AppTest

from cluster.core.db import make_engine
from cluster.requests.forms import RequestForm
from cluster.requests.reading import get_request
from cluster.requests.status import save_draft
from tests.helpers.actors import demo_actor
from tests.helpers.forms import open_view, round_trip, texts
from tests.toolkit.conftest import APP
from tests.toolkit.views.test_requests import NEW, OURS, K, fill_complete, press, stored
from toolkit.components.request_fields import values_of

HOME = "toolkit/views/school/home.py"


def stored_form(url: str, request_id: int) -> tuple[RequestForm, int]:
    engine = make_engine(url)
    try:
        detail = get_request(engine, demo_actor(url, "senco.ap"), request_id)
    finally:
        engine.dispose()
    assert detail.form is not None
    return detail.form, detail.version


def shown(at: AppTest, form: RequestForm) -> dict[str, Any]:
    """What the form's boxes hold, for every field the stored request fills."""
    return {name: at.session_state[K + name] for name in values_of(form)
            if K + name in at.session_state}


def draft(url: str) -> tuple[AppTest, int]:
    at = open_view(APP, url, "senco.ap", NEW)
    at.number_input(key=K + "n_items").set_value(1).run()  # the item's boxes, before typing
    fill_complete(at)
    at.text_input(key=K + "item.0.description").input("Phonics reading books")
    at.number_input(key=K + "item.0.pounds").set_value(120.0)
    at.text_area(key=K + "parent_view").input("Parents want more reading at home.")
    press(at, "save")
    [request] = stored(url)
    return at, request.id


@round_trip("request")
def test_a_draft_opened_again_shows_every_field_and_saves_only_what_changed(
        demo_database: str) -> None:
    at, request_id = draft(demo_database)
    before, _ = stored_form(demo_database, request_id)
    # Home, then Our requests, then the draft's Edit: the address names the draft.
    at.switch_page(HOME).run()
    at.switch_page(OURS).run()
    at.switch_page(NEW)
    at.query_params["edit"] = str(request_id)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == f"Edit request {request_id}"
    values = values_of(before)
    assert shown(at, before) == {name: values[name] for name in shown(at, before)}
    assert len(shown(at, before)) >= len(values) - 3  # kind-dependent counts aside
    at.text_input(key=K + "title").input("Reading support (phonics)")
    press(at, "save")
    after, _ = stored_form(demo_database, request_id)
    assert after == replace(before, title="Reading support (phonics)")
    assert at.title[0].value == f"Edit request {request_id}"  # still the same record


@round_trip("request")
def test_new_request_after_saving_a_draft_creates_a_new_one(demo_database: str) -> None:
    at, request_id = draft(demo_database)
    before, version = stored_form(demo_database, request_id)
    at.query_params.clear()
    at.switch_page(NEW).run()  # the sidebar's New request: no ?edit
    assert at.title[0].value == "New request"
    assert at.text_input(key=K + "title").value == ""
    fill_complete(at)
    at.text_input(key=K + "title").input("Reading support")
    press(at, "save")
    assert len(stored(demo_database)) == 2
    assert stored_form(demo_database, request_id) == (before, version)  # untouched


@round_trip("request")
def test_a_stale_save_shows_the_latest_keeps_the_typed_text_and_the_next_save_works(
        demo_database: str) -> None:
    at, request_id = draft(demo_database)
    before, version = stored_form(demo_database, request_id)
    engine = make_engine(demo_database)
    detail = get_request(engine, demo_actor(demo_database, "head.ap"), request_id)
    save_draft(engine, demo_actor(demo_database, "head.ap"),
               replace(before, title="Reading and spelling support"), request_id=request_id,
               expected_version=version, drawn_from=detail.drawn_from())
    engine.dispose()
    at.text_area(key=K + "need_summary").input("Reads two years below age expectation.")
    press(at, "save")
    assert "Not saved" in texts(at, "error")
    assert at.text_input(key=K + "title").value == "Reading and spelling support"
    assert at.text_area(key=K + "need_summary").value == before.need_summary
    assert "Reads two years below age expectation." in "\n".join(c.value for c in at.code)
    at.text_area(key=K + "need_summary").input("Reads two years below age expectation.")
    press(at, "save")
    after, _ = stored_form(demo_database, request_id)
    assert after == replace(before, title="Reading and spelling support",
                            need_summary="Reads two years below age expectation.")
    assert "Draft saved" in texts(at)


def test_a_refused_save_draft_says_not_saved(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", NEW)
    fill_complete(at)
    at.text_area(key=K + "need_summary").input("UPN A" "12345678901" "B.")
    press(at, "save")
    assert "Not saved" in texts(at, "error") and stored(demo_database) == []


def test_a_negative_cost_is_named_and_left_out_of_the_total(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", NEW)
    at.number_input(key=K + "n_items").set_value(1).run()
    total = next(m for m in at.metric if m.label.startswith("Total asked")).value
    at.number_input(key=K + "item.0.pounds").set_value(-50.0).run()
    assert "Item 1: a cost cannot be below £0" in texts(at, "error")
    assert next(m for m in at.metric if m.label.startswith("Total asked")).value == total
