"""Round trips of the FAQ year's forms: an award's class of support (Finance), the funding year's
extra income lines (Funding year) and a cluster's wording of an editable guide (How-to guides)."""

from __future__ import annotations

from cluster.common.support_class import EQUIPMENT
from cluster.funding.budget import IncomeLineRow, funding_year
from cluster.reporting.needs_led import ClassedAward, awards_to_classify
from cluster.year.cluster_guides import GuideText, guide_text
from tests.helpers.forms import (
    changed,
    open_tab,
    open_view,
    press,
    read_back,
    round_trip,
    texts,
)
from tests.toolkit.conftest import APP, ROOT
from toolkit import state

FINANCE = str(ROOT / "toolkit/views/common/finance.py")
FUNDING_YEAR = str(ROOT / "toolkit/views/host/funding_year.py")
GUIDES = str(ROOT / "toolkit/views/common/guides.py")
SUPPORT = "where-to-go-for-support"


def classed(url: str) -> dict[int, ClassedAward]:
    return {a.award_id: a for a in read_back(url, "host", awards_to_classify)}


@round_trip("support-class")
def test_correcting_one_awards_class_changes_only_that_award(demo_database: str) -> None:
    before = classed(demo_database)
    at = open_tab(open_view(APP, demo_database, "host", FINANCE), state.FINANCE_SECTION,
                  "Needs-led support")
    box = at.selectbox(key="support-class-award")
    first = box.value
    assert first == next(iter(before))  # the newest award first
    at.selectbox(key="support-class-class").set_value(EQUIPMENT)
    press(at, "Save the class")
    after = classed(demo_database)
    assert {i for i in before if before[i] != after[i]} == {first}, texts(at, "error")
    assert changed(before[first], after[first]) == {"support_class", "corrected"}
    assert after[first].support_class == EQUIPMENT
    assert "is now counted as Equipment" in texts(at)


@round_trip("income")
def test_an_extra_income_line_is_stored_as_typed(demo_database: str) -> None:
    before = read_back(demo_database, "host", funding_year, 2026)
    at = open_view(APP, demo_database, "host", FUNDING_YEAR)
    key = f"income-{before.academic_year}-{before.version}"
    at.session_state[key] = {"edited_rows": {0: {
        "Source": "Delegated learning support", "Amount (£)": 6000,
        "Joins Spring 1": True, "Joins Summer 1": True}}, "added_rows": [], "deleted_rows": []}
    press(at, "Save the extra income")
    after = read_back(demo_database, "host", funding_year, 2026)
    assert after.income == (IncomeLineRow("Delegated learning support", 600_000,
                                          ("Spring 1", "Summer 1")),), texts(at, "error")
    assert after.settings == before.settings  # the rates, slices and plan stay as they were
    assert "£6,000 joins the rounds named" in texts(at)


def guide_now(url: str) -> GuideText:
    return read_back(url, "host", guide_text, SUPPORT)


@round_trip("guide")
def test_the_host_rewords_a_guide_and_the_cluster_reads_it(demo_database: str) -> None:
    before = guide_now(demo_database)
    assert before.is_default
    at = open_view(APP, demo_database, "host", GUIDES, guide=SUPPORT)
    box = at.text_area(key=f"guide-body.{SUPPORT}.0")
    assert box.value == before.body_md
    box.input(before.body_md + "\nOur link educational psychologist visits each half-term.\n")
    press(at, "Save the guide")
    after = guide_now(demo_database)
    assert after.body_md.endswith("visits each half-term.\n"), texts(at, "error")
    assert not after.is_default and after.version == 1
    school = open_view(APP, demo_database, "senco.ap", GUIDES, guide=SUPPORT)
    assert "visits each half-term" in "\n".join(m.value for m in school.markdown)
