"""The SEND profile and finance views show the demo's real figures, suppressed for governors."""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from cluster.common.glossary import label
from cluster.common.money import format_pounds
from cluster.core.db import make_engine
from cluster.funding.budget import funding_year
from cluster.funding.ledger import (
    AVAILABLE,
    RELEASED_SO_FAR,
    STILL_TO_RELEASE,
    budget_position,
    finance_overview,
)
from cluster.funding.protected import protected_pupils, psf_forecast
from cluster.models import AuditEvent, FundingYear
from tests.helpers.actors import demo_actor
from tests.helpers.forms import open_tab, open_view
from tests.toolkit.conftest import APP
from tests.toolkit.test_views import page_text
from toolkit import state

FINANCE = "toolkit/views/common/finance.py"
RECEIVED_AND_SHARES = label("received_and_shares")  # Finance's tab
PROFILE = "toolkit/views/common/send_profile.py"
FUNDING_YEAR = "toolkit/views/host/funding_year.py"
PROTECTED = "toolkit/views/host/protected_funding.py"
IMPORTS = "toolkit/views/host/census_import.py"


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def test_finance_shows_the_pot_budget_shares_and_forecast(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", FINANCE)
    engine = make_engine(demo_database)
    host = demo_actor(demo_database, "host")
    overview = finance_overview(engine, host, 2026)
    budget = budget_position(engine, host, 2026)
    forecast = psf_forecast(engine, host)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[AVAILABLE] == format_pounds(overview.pot.available_pence)
    assert metrics["LA formula"] == format_pounds(overview.pot.formula_pence)
    pot = table_with(at, "Line")
    assert list(pot["Amount"])[1:3] == ["£12,400", "£3,100"]
    assert list(pot["Line"])[-1] == f"= {AVAILABLE}"
    assert not [f for f in at.dataframe if RELEASED_SO_FAR in f.value.columns]  # one tab drawn
    open_tab(at, state.FINANCE_SECTION, "Budget position")
    position = table_with(at, RELEASED_SO_FAR).set_index("Meeting")
    autumn_2 = budget.rows[1]
    assert position.loc["Autumn 2 (funding round)", "Released here"] == format_pounds(
        autumn_2.released_here_pence)
    assert position.loc["Autumn 2 (funding round)", "Awarded so far"] == format_pounds(
        autumn_2.awarded_so_far_pence)
    assert position.loc["Summer 2", STILL_TO_RELEASE] == "£0"
    open_tab(at, state.FINANCE_SECTION, RECEIVED_AND_SHARES)
    shares = table_with(at, "Need share %").set_index("School")
    assert shares.loc["The cluster", "Received this year"] == format_pounds(
        overview.shares[-1].received_pence)
    high = next(r for r in overview.shares if r.school == "Wensum Valley High School")
    assert shares.loc["Wensum Valley High School", "Need share %"] == f"{high.need_share:.1f}%"
    open_tab(at, state.FINANCE_SECTION, "Protected funding")
    psf = table_with(at, "Pupils protected")
    cluster_now = next(r for r in forecast.rows if r.is_cluster)
    first = psf[(psf["School"] == "The cluster") & (psf["Year"] == "2026/27")].iloc[0]
    assert first["Pupils protected"] == str(cluster_now.pupils_protected)
    assert first["Protected funding"] == format_pounds(cluster_now.protected_pence)
    assert "The last protected pupil leaves at the end of 2030/31" in page_text(at)
    engine.dispose()


def test_the_la_adviser_sees_aggregates_with_small_numbers_hidden(demo_database: str) -> None:
    at = open_tab(open_view(APP, demo_database, "la.adviser", FINANCE), state.FINANCE_SECTION,
                  RECEIVED_AND_SHARES)
    shares = table_with(at, "Need share %").set_index("School")
    assert shares.loc["Aylsham Road Primary School", "Received this year"] == "hidden"
    assert shares.loc["The cluster", "Received this year"].startswith("£")
    open_tab(at, state.FINANCE_SECTION, "Protected funding")
    psf = table_with(at, "Pupils protected")
    schools = psf[psf["School"] != "The cluster"]
    assert set(schools["Pupils protected"]) == {"fewer than 5"}
    assert set(schools["Protected funding"]) == {"hidden"}  # money: not "fewer than 5"
    assert "Figures about fewer than 5 pupils or awards" in page_text(at)


def test_the_send_profile_for_a_governor_hides_small_numbers(demo_database: str) -> None:
    at = open_view(APP, demo_database, "governor.ap", PROFILE)
    trend = table_with(at, "EHC plan %")
    assert list(trend["Census"]) == ["January 2023", "January 2024", "January 2025",
                                     "January 2026"]
    open_tab(at, state.PROFILE_SECTION, "Areas of need")
    areas = table_with(at, "Area of need").set_index("Area of need")
    assert areas.loc["Sensory and/or physical", "Pupils (SEN support and EHC plans)"] == \
        "fewer than 5"
    open_tab(at, state.PROFILE_SECTION, "Against the LA and England")
    benchmarks = table_with(at, "Who").set_index("Who")
    assert benchmarks.loc["Norfolk (all schools)", "EHC plan %"] == "3.79%"
    assert benchmarks.loc["England (all schools)", "EHC plan %"] == "3.65%"
    assert benchmarks.loc["Norfolk (all schools)", "Pupils"] == "123,233"
    open_tab(at, state.PROFILE_SECTION, "Does the formula follow need?")
    need = table_with(at, "Gap (points)")
    assert list(need["School"]) == ["Aylsham Road Primary School", "The cluster"]
    # The gap is what the table is about: beside the name, in view at 1,366 px (issue 20).
    assert list(need.columns[:2]) == ["School", "Gap (points)"]


def test_the_send_profile_for_a_senco_shows_their_school_in_full(demo_database: str) -> None:
    at = open_tab(open_view(APP, demo_database, "senco.ap", PROFILE), state.PROFILE_SECTION,
                  "Areas of need")
    areas = table_with(at, "Area of need").set_index("Area of need")
    assert areas.loc["Sensory and/or physical", "Pupils (SEN support and EHC plans)"] == "3"
    at.selectbox(key=state.PROFILE_CHOSEN).select("Cluster").run()
    open_tab(at, state.PROFILE_SECTION, "Year by year")
    trend = table_with(at, "EHC plan %")
    assert trend.iloc[-1]["Pupils on roll"] == "3,411"
    assert "Pupils with SEN, year by year: the cluster" in page_text(at)


def test_the_host_tries_a_what_if_then_saves_the_funding_year(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", FUNDING_YEAR)
    engine = make_engine(demo_database)
    before = funding_year(engine, demo_actor(demo_database, "host"), 2026)
    at.number_input[0].set_value(22.50)
    next(b for b in at.button if b.label == "Show what changes").click().run()
    assert not at.exception
    changes = table_with(at, "Formula share now").set_index("School")
    high = next(s for s in before.schools if s.name == "Wensum Valley High School")
    assert changes.loc["Wensum Valley High School", "Change"] == format_pounds(high.pupils * 100)
    with Session(engine) as session:  # nothing saved by a what-if
        assert session.exec(select(FundingYear.per_pupil_rate_pence).where(
            FundingYear.academic_year == 2026, FundingYear.cluster_id == 1)).one() == 2_150
    next(b for b in at.button if b.label == "Save the funding year").click().run()
    assert not at.exception
    assert "Saved 2026/27" in page_text(at)
    with Session(engine) as session:
        assert session.exec(select(FundingYear.per_pupil_rate_pence).where(
            FundingYear.academic_year == 2026, FundingYear.cluster_id == 1)).one() == 2_250
        assert session.exec(select(AuditEvent).where(
            AuditEvent.action == "save_funding_year")).one().username == "host"
    engine.dispose()


def test_the_host_records_a_managed_move(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", PROTECTED)
    pupils = table_with(at, "Reference")
    assert len(pupils) == 14
    at.selectbox[0].select("PSF-AP-01")
    at.selectbox[1].select("managed_move")
    at.selectbox[2].select("Bintree Infant School")
    next(b for b in at.button if b.label == "Record it").click().run()
    assert not at.exception
    engine = make_engine(demo_database)
    moved = next(p for p in protected_pupils(engine, demo_actor(demo_database, "host"))
                 if p.reference == "PSF-AP-01")
    engine.dispose()
    assert moved.school == "Bintree Infant School"
    assert "PSF-AP-01: funding now ends 31/08/2027" in page_text(at)


def test_the_import_page_offers_the_three_imports(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", IMPORTS)
    assert [str(o) for o in at.radio[0].options][0].startswith("School census")
    assert "Columns by name: URN, Total pupils, SEN support, EHC plan" in page_text(at)
