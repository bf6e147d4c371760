"""Each role's home page shows the demo's real figures."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from cluster.funding.ledger import NOT_YET_AWARDED
from tests.helpers.actors import demo_actor
from tests.toolkit.conftest import APP, ROOT
from tests.toolkit.test_views import page_text
from toolkit import state


def home_for(url: str, username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[state.ACTOR] = demo_actor(url, username)
    at.run()
    assert not at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_host_home_says_what_needs_doing(demo_database: str) -> None:
    at = home_for(demo_database, "host")
    figures = metrics(at)
    assert figures["Requests for the next meeting"] == "8"
    assert figures["Requests waiting for triage"] == "8"
    assert int(figures["Reviews overdue"]) > 0
    assert int(figures["Actions open"]) > 0
    text = page_text(at)
    assert "**Next meeting:** Spring 1 funding round on 20/01/2027" in text
    assert text.count("papers out 13/01/2027") == 1
    assert NOT_YET_AWARDED.lower() in text


def test_school_home_shows_our_requests_and_deadline(demo_database: str) -> None:
    at = home_for(demo_database, "senco.ap")
    figures = metrics(at)
    assert figures["Our requests submitted"] == "1"
    assert "requests due 06/01/2027 (Spring 1)" in page_text(at)
    assert figures["Awarded to us this year"].startswith("£")


def test_governor_home_shows_three_figures_and_the_latest_minutes(demo_database: str) -> None:
    at = home_for(demo_database, "governor")
    figures = metrics(at)
    assert figures["Awarded to the cluster this year"].startswith("£")
    assert figures["Pupils supported this year"].isdigit()
    assert " of " in figures["Outcomes met or exceeded (all years)"]
    assert "Latest approved minutes:** Autumn 1 2026/27 meeting of 16/09/2026" in page_text(at)


def test_la_home_lists_each_cluster(demo_database: str) -> None:
    at = home_for(demo_database, "la.adviser")
    table = at.dataframe[0].value
    # The demo LA holds seven clusters; the adviser's home lists each, in name order.
    assert len(table) == 7 and list(table["Cluster"]) == sorted(table["Cluster"])
    wensum = list(table["Cluster"]).index("Wensum Valley Cluster")
    assert table["Next meeting"][wensum] == "20/01/2027"


def test_host_creates_an_account_and_sees_the_one_time_password(demo_database: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[state.ACTOR] = demo_actor(demo_database, "host")
    at.run()
    at.switch_page(str(ROOT / "toolkit/views/host/users.py")).run()
    at.text_input[0].input("Jo Example")
    at.text_input[1].input("senco.extra")
    at.selectbox[0].set_value("school")
    at.selectbox[1].select_index(1)  # the first school
    at.button[0].click().run()
    assert not at.exception
    assert any("one-time password" in s.value for s in at.success)
    assert "senco.extra" in page_text(at)
