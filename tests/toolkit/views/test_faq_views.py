"""AppTest for the FAQ's year on screen: the hours-to-needs-led shares on Finance for the host,
a governor and the LA adviser (with the FAQ's aim beside them), an extra income line in the pot,
the preparation meetings on the timeline with the adviser's own calendar, and the editable
guides."""

from __future__ import annotations

from sqlmodel import Session

from cluster.common.support_class import FAQ_AIM
from cluster.core.db import make_engine
from cluster.funding.budget import IncomeLineRow, funding_year
from cluster.funding.income import save_income_lines
from cluster.models import Cluster
from tests.helpers.actors import demo_actor
from tests.helpers.forms import open_tab, open_view
from tests.toolkit.conftest import APP, ROOT
from tests.toolkit.test_views import page_text
from tests.toolkit.views.test_year_views import GUIDES, YEAR, table_text
from toolkit import state

FINANCE = str(ROOT / "toolkit/views/common/finance.py")


def test_the_host_sees_the_shares_by_class_and_an_extra_income_line(demo_database: str) -> None:
    engine = make_engine(demo_database)
    host = demo_actor(demo_database, "host")
    version = funding_year(engine, host, 2026).version
    save_income_lines(engine, host, 2026, [IncomeLineRow("Delegated learning support",
                                                         600_000, ("Spring 1",))],
                      expected_version=version)
    engine.dispose()
    at = open_view(APP, demo_database, "host", FINANCE)
    assert "Extra income: Delegated learning support" in table_text(at)  # the pot, first
    assert "£6,000" in table_text(at)
    open_tab(at, state.FINANCE_SECTION, "Needs-led support")
    text, tables = page_text(at), table_text(at)
    assert "From hours to needs-led support" in [h.value for h in at.subheader]
    assert FAQ_AIM in text
    for shown in ("Individual hours", "Early intervention", "Capacity building and training",
                  "2023/24", "2026/27"):
        assert shown in tables, shown
    assert at.selectbox(key="support-class-award").options


def test_a_governor_and_the_la_adviser_see_the_shares_with_small_cells_hidden(
        demo_database: str) -> None:
    for username in ("governor", "la.adviser"):
        at = open_tab(open_view(APP, demo_database, username, FINANCE), state.FINANCE_SECTION,
                      "Needs-led support")
        assert FAQ_AIM in page_text(at), username
        tables = table_text(at)
        assert "Early intervention" in tables and "fewer than 5" in tables, username
        assert not [s for s in at.selectbox if s.key == "support-class-award"], username


def test_the_la_adviser_compares_the_move_across_clusters(demo_database: str) -> None:
    at = open_view(APP, demo_database, "la.adviser", str(ROOT / "toolkit/views/la/clusters.py"))
    assert "From hours to needs-led support, cluster by cluster" in [h.value
                                                                     for h in at.subheader]
    tables = table_text(at)
    assert "Early intervention %" in tables and "Wensum Valley Cluster" in tables


def test_the_timeline_shows_preparation_and_the_adviser_downloads_their_own_calendar(
        demo_database: str) -> None:
    host = open_view(APP, demo_database, "host", YEAR)
    assert "Host's preparation for the Spring 1 meeting with the LA Senior Adviser" in (
        table_text(host))
    assert "09:30–12:30, with the LA Senior Adviser" in table_text(host)
    adviser = open_view(APP, demo_database, "la.adviser", YEAR)
    assert "Preparation with the LA" in table_text(adviser)
    mine = next(b for b in adviser.get("download_button")
                if "my calendar" in b.proto.label.lower())
    assert "every cluster's meetings and preparation meetings" in mine.proto.label


def test_the_guides_read_in_the_las_words_until_the_host_changes_them(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "governor", GUIDES, guide="where-to-go-for-support")
    text = page_text(at)
    for shown in ("Educational psychology", "Learning support", "Sensory support",
                  "The LA's wording"):
        assert shown in text, shown
    engine = make_engine(demo_database)
    with Session(engine) as session:
        name = session.get_one(Cluster, 1).name
    engine.dispose()
    barriers = open_view(APP, demo_database, "senco.ap", GUIDES,
                         guide="overcoming-barriers-to-learning")
    assert f"the host can change this guide for {name}" in page_text(barriers)
