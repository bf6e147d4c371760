"""Round-trip tests of the registered forms (toolkit/components/forms.py FORMS).

`round_trip("name")` marks a test as the round-trip test of one registered form; the registry
test (tests/toolkit/forms/test_registry.py) fails when a registered form has none. `changed`
compares a record read back through its service before and after a save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import Any, TypeVar

import pytest
from streamlit.testing.v1 import AppTest

from cluster.core.db import make_engine
from tests.helpers.actors import demo_actor
from toolkit import state

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
ROOT_APP = "streamlit_app.py"


def round_trip(form: str) -> Callable[[F], F]:
    """The round-trip test of the registered form `form`."""
    return pytest.mark.round_trip(form)


def changed(before: Any, after: Any, *, ignore: tuple[str, ...] = ("version",)) -> set[str]:
    """The fields that differ between two reads of one record (its version always moves)."""
    old = asdict(before) if is_dataclass(before) else dict(before)
    new = asdict(after) if is_dataclass(after) else dict(after)
    return {name for name in old.keys() | new.keys()
            if name not in ignore and old.get(name) != new.get(name)}


def open_view(app: str, url: str, username: str, view: str, **query: str) -> AppTest:
    """`view` (a path from the app's folder, or a whole one) as `username` would open it, with
    `query` in the address; the page must not crash. A chart-heavy page can take most of a minute
    on a busy machine: the limit is generous, and costs nothing when the page is quicker."""
    at = AppTest.from_file(app, default_timeout=60)
    at.session_state[state.ACTOR] = demo_actor(url, username)
    at.run()
    at.switch_page(view)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """The lazy tab `label` of the `st.tabs` with `key` opened, as a click on it would: only the
    open tab's content is drawn."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, at.exception
    return at


def open_section(at: AppTest, key: str) -> AppTest:
    """The lazy expander with `key` opened, as a click on it would: what is inside is drawn only
    while it is open."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    return at


def read_back(url: str, username: str, service: Callable[..., T], *args: Any) -> T:
    """What `service` gives `username` now, through an engine of its own (closed afterwards):
    the stored record a round trip compares before and after a save."""
    engine = make_engine(url)
    try:
        return service(engine, demo_actor(url, username), *args)
    finally:
        engine.dispose()


def press(at: AppTest, label: str) -> AppTest:
    """Presses the button labelled `label` and waits for the rerun; the page must not crash."""
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest, kind: str = "success") -> str:
    return "\n".join(str(element.value) for element in getattr(at, kind))
