"""The privacy page's "Hidden figures" tab in AppTest: the host runs the disclosure audit on the
live data and reads, per reader, the figures shown, hidden and checked, and that none fails."""

from __future__ import annotations

import pytest

from tests.helpers.forms import open_view
from tests.toolkit.conftest import APP
from tests.toolkit.test_views import page_text
from tests.toolkit.views.common.test_privacy_names import PRIVACY
from toolkit import state

TAB = "Hidden figures"


def test_the_host_checks_the_hidden_figures_on_demand(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", PRIVACY)
    assert TAB in [tab.label for tab in at.tabs]
    assert not at.dataframe  # nothing is solved until asked
    at.toggle(key=state.DISCLOSURE_CHECK).set_value(True).run(timeout=120)
    assert not at.exception, at.exception
    assert "No hidden figure can be worked out or narrowed down by any reader." in page_text(at)
    table = at.dataframe[0].value
    assert list(table["Reader"][:2]) == ["Cluster governor", "LA adviser"]
    assert (table["Could be worked out"] == 0).all() and (table["Ranges checked"] > 0).all()


@pytest.mark.parametrize("username", ["governor", "la.adviser"])
def test_readers_have_no_such_tab(demo_database: str, username: str) -> None:
    at = open_view(APP, demo_database, username, PRIVACY)
    assert TAB not in [tab.label for tab in at.tabs]
