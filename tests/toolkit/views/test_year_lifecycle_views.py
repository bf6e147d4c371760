"""AppTest for the year's lifecycle screens: the funding year keeps a held round's release and
shows every refusal before saving; a split lock outside its limits is refused at the lock; the
national file's census year is offered from its name and can be removed; the rollover checklist;
Home leading into the next year's set-up."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.cluster.imports.test_benchmarks import NATIONAL
from tests.helpers.forms import open_view, press
from tests.toolkit.conftest import APP
from tests.toolkit.test_views import page_text
from toolkit import state

FUNDING_YEAR = "toolkit/views/host/funding_year.py"
SPLIT = "toolkit/views/host/suggest_split.py"
IMPORTS = "toolkit/views/host/census_import.py"
YEARS = "toolkit/views/host/years.py"
HOME = "toolkit/views/host/home.py"


def tick(at: AppTest, label: str) -> AppTest:
    next(c for c in at.checkbox if c.label.startswith(label)).check().run()
    assert not at.exception, at.exception
    return at


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def test_spread_evenly_keeps_the_held_round_and_show_what_changes_names_refusals(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", FUNDING_YEAR)
    tick(at, "Spread the money available evenly")
    press(at, "Show what changes")
    releases = table_with(at, "Released now").set_index("Held")
    held = releases.loc["yes: stays as released"]
    assert held["Released now"] == held["Proposed"] == "£34,940"
    assert not [e.value for e in at.error]
    carried = next(n for n in at.number_input if n.label.startswith("Carried forward"))
    carried.set_value(0.0)
    press(at, "Show what changes")
    refusals = [str(e.value) for e in at.error]
    assert refusals and refusals[0].startswith("Saving these figures would be refused: release "
                                               "plan (the plan): releases add up to £")
    assert not any("pounds" in r for r in refusals)


def test_a_lock_above_the_ask_is_refused_with_the_limits(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", SPLIT)
    box = next(s for s in at.selectbox if s.label == "Request to lock")
    next(n for n in at.number_input if n.label == "Lock at (£)").set_value(500_000)
    press(at, "Lock this amount")  # the form's value goes with its submit button
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(f"Not locked: request {box.value}: "
                                                     "£500,000 is more than the £")
    assert "lock it at £0 (not funded) or from the £" in errors[0]
    assert "locked at" not in page_text(at)


def test_the_national_file_is_filed_under_the_year_its_name_suggests_and_can_be_removed(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", IMPORTS)
    radio = at.radio(key=state.IMPORT_KIND)
    radio.set_value(radio.options[2]).run()
    at.file_uploader(key=f"{state.IMPORT_FILE}.2").set_value(
        (NATIONAL.name, NATIONAL.read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    text = page_text(at)
    assert "This file does not say which census it holds." in text
    year = next(n for n in at.number_input if n.label == "Census year (January)")
    assert year.value == 2021 and year.max == 2026  # never a census not yet taken
    press(at, "Import")
    assert "(census 2021)" in page_text(at)
    at.file_uploader(key=f"{state.IMPORT_FILE}.2").set_value(None).run()
    assert "LA benchmarks, January 2021: 152 LAs and England" in page_text(at)


def test_the_rollover_checklist_then_home_leads_into_the_next_year(
        demo_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TODAY", "2027-07-20")
    at = open_view(APP, demo_database, "host", YEARS)
    text = page_text(at)
    assert "loose end(s) in 2026/27" in text and "Review overdue" in text
    assert "Request not decided" in text and "Minutes not approved" in text
    roll = next(b for b in at.button if b.label == "Roll over from 2026/27") \
        if any(b.label == "Roll over from 2026/27" for b in at.button) else None
    assert roll is None  # hidden while loose ends are neither resolved nor carried over
    tick(at, "Carry over every item listed")
    roll = next(b for b in at.button if b.label == "Roll over from 2026/27")
    assert roll.disabled  # the confirmation comes first
    tick(at, "I have checked the list")
    press(at, "Roll over from 2026/27")
    assert "2026/27 closed; 2027/28 open" in page_text(at)
    home = open_view(APP, demo_database, "host", HOME)
    assert "No meeting is booked. Set up 2027/28" in page_text(home)
