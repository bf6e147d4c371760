"""The New request form in AppTest with 20 generated bad inputs, the page-level check that bad input
never breaks the form (the service level has 500 of each): a SENCO fills in a complete request,
spoils one to three boxes with hostile values (empty, huge, unicode, formula-leading, identifiers,
odd numbers and dates the widgets allow), and presses Check, Save draft or Submit. The page never
shows a stack trace; a refusal names each field and its problem; and a refused save or submit writes
no row."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from cluster.common.calendar import HALF_TERMS, YEAR_GROUPS
from cluster.core.db import make_engine
from tests.cluster.bad_input import Tally, hostile_text, run_examples, table_counts
from tests.helpers.forms import open_view
from tests.toolkit.conftest import APP
from tests.toolkit.views.test_requests import NEW, K, fill_complete

EXAMPLES = 20
Spoil = Callable[[AppTest], object]
FIELD_PROBLEM = re.compile(r"\*\*[^*\n]+\*\*: \S")  # "- **Outcome 1**: is missing"


def text(key: str, limit: int) -> st.SearchStrategy[Spoil]:
    return hostile_text(limit).map(lambda value: lambda at: at.text_input(key=K + key).input(value))


def area(key: str) -> st.SearchStrategy[Spoil]:
    return hostile_text(4_000).map(lambda value: lambda at: at.text_area(key=K + key).input(value))


def number(key: str, low: float, high: float, whole: bool = True) -> st.SearchStrategy[Spoil]:
    values = st.integers(int(low), int(high)) if whole else st.floats(low, high)
    edges = st.sampled_from([low, high])
    return st.one_of(values, edges).map(
        lambda value: lambda at: at.number_input(key=K + key).set_value(value))


def choice(key: str, options: list[object]) -> st.SearchStrategy[Spoil]:
    return st.sampled_from(options).map(
        lambda value: lambda at: at.selectbox(key=K + key).select(value))


def day(key: str) -> st.SearchStrategy[Spoil]:
    return st.dates(date(2017, 1, 1), date(2036, 12, 31)).map(
        lambda value: lambda at: at.date_input(key=K + key).set_value(value))


SPOILS: list[st.SearchStrategy[Spoil]] = [
    text("title", 200), text("pupil.0.reference", 30), area("need_summary"),
    area("graduated_approach"), area("parent_view"), area("pupil_view"), text("advice", 4_000),
    text("outcome.0.description", 500), text("outcome.0.measure", 200),
    text("outcome.0.baseline", 200), text("outcome.0.target", 200),
    number("cycles", 0, 20), number("spend", 0.0, 1_000_000.0, whole=False),
    number("minimum", 0.0, 1_000_000.0, whole=False), number("staff.0.minutes", 0, 1_920),
    number("staff.0.group", 1, 30), number("staff.0.weeks", 1, 52), number("duration", 1, 6),
    choice("start_term", list(HALF_TERMS)), choice("pupil.0.year_group", list(YEAR_GROUPS)),
    choice("severity.Cognition and learning", [0, 1, 4]), day("outcome.0.date"),
    day("assessed_on"),
]


def test_20_bad_requests_through_the_new_request_form(demo_database: str) -> None:
    engine = make_engine(demo_database)
    at = open_view(APP, demo_database, "senco.ap", NEW)
    tally = Tally("new request page")

    def body(example: tuple[list[Spoil], str]) -> None:
        spoils, button = example
        fill_complete(at)
        for spoil in spoils:
            spoil(at)
        before = table_counts(engine)
        at.button(key=K + button).click().run()
        assert not at.exception, at.exception  # a stack trace on the page
        errors = "\n".join(e.value for e in at.error)
        if errors:
            tally.refused[button] += 1
            assert FIELD_PROBLEM.search(errors) or re.search(r"\w: \S", errors), errors
            if button != "check":
                assert table_counts(engine) == before, errors  # nothing written
            return
        tally.accepted += 1
        shown = "\n".join(s.value for s in at.success)
        assert ("Every check passes" in shown or "Draft saved" in shown
                or "submitted to the cluster" in shown or at.warning), shown
        if "submitted to the cluster" in shown:  # the page says so; a button opens a new form
            next(b for b in at.button if b.label == "Start a new request").click().run()

    run_examples(tally, st.tuples(st.lists(st.one_of(*SPOILS), min_size=1, max_size=3),
                                  st.sampled_from(["submit", "save", "check"])), body,
                 examples=EXAMPLES)
    engine.dispose()
    assert tally.examples >= EXAMPLES and tally.refused, tally.line()
