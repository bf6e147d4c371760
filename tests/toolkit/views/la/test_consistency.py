"""The LA adviser's consistency view through Streamlit's AppTest: the ranking in plain words, the
two clusters' similar requests, the moderation pack; refused to every other role."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cluster.demo.la_clusters import LA_CLUSTERS
from tests.helpers.actors import demo_actor
from tests.helpers.forms import open_tab, open_view
from tests.toolkit.conftest import APP, ROOT
from tests.toolkit.test_views import page_text
from toolkit import state

CONSISTENCY = "toolkit/views/la/consistency.py"
FINANCE = "toolkit/views/common/finance.py"


def test_the_la_adviser_sees_the_clusters_ranked_in_plain_words(demo_database: str) -> None:
    at = open_view(APP, demo_database, "la.adviser", CONSISTENCY)
    text = page_text(at)
    least = min(LA_CLUSTERS, key=lambda c: c.generosity).name
    most = max(LA_CLUSTERS, key=lambda c: c.generosity).name
    assert f"{least} awards about " in text and "less than the LA would expect" in text
    assert f"{most} awards about " in text and "more than the LA would expect" in text
    assert len(at.get("vega_lite_chart")) == 1
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"Download the moderation pack (PDF)", "Download the moderation pack (Excel)"} <= labels
    # The drill-down starts on the most and the least generous clusters.
    assert at.selectbox(key=state.MODERATION_FIRST).value is not None
    first = at.selectbox(key=state.MODERATION_FIRST)
    second = at.selectbox(key=state.MODERATION_SECOND)
    assert first.format_func(first.value) == most
    assert second.format_func(second.value) == least


def test_choosing_one_cluster_twice_asks_for_two(demo_database: str) -> None:
    at = open_view(APP, demo_database, "la.adviser", CONSISTENCY)
    chosen = at.selectbox(key=state.MODERATION_FIRST).value
    at.selectbox(key=state.MODERATION_SECOND).set_value(chosen).run()
    assert [w.value for w in at.warning] == [
        "Choose two different clusters to set side by side."]


@pytest.mark.parametrize("username", ["host", "host.bh", "governor", "senco.ap"])
def test_every_other_role_is_refused(demo_database: str, username: str) -> None:
    direct = AppTest.from_file(str(ROOT / CONSISTENCY), default_timeout=60)
    direct.session_state[state.ACTOR] = demo_actor(demo_database, username)
    direct.run()
    assert not direct.exception
    assert [e.value for e in direct.error][0].startswith("This page is for")
    assert "Breckland Heath Cluster" not in page_text(direct)


def test_a_host_sees_how_its_own_cluster_compares_on_finance(demo_database: str) -> None:
    at = open_tab(open_view(APP, demo_database, "host.wm", FINANCE), state.FINANCE_SECTION,
                  "How we compare")
    text = page_text(at)
    assert "How we compare with the LA's other clusters" in text
    assert "Waveney Marshes Cluster awards about " in text and "less than the LA" in text
    assert "Breckland Heath Cluster" not in text
    figures = {m.label: m.value for m in at.metric}
    assert figures["For the same needs, against the LA"].startswith("-")


def test_governors_finance_page_has_no_comparison(demo_database: str) -> None:
    at = open_view(APP, demo_database, "governor", FINANCE)
    assert "How we compare" not in [tab.label for tab in at.tabs]
    assert "How we compare with the LA's other clusters" not in page_text(at)
