"""What a hidden figure reads on screen: "fewer than 5" only where a count of pupils (or awards)
is hidden; money, percentages and outcomes worked out from a hidden count read "hidden". Checked
on every table, metric and sentence of the pages governors, the LA adviser and parents' readers
see, on the demo."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.forms import open_tab, open_view
from tests.toolkit.conftest import APP
from tests.toolkit.test_views import page_text
from tests.toolkit.views.test_impact_views import IMPACT, LA_CLUSTERS, SEN_REPORT
from toolkit import state

FINANCE = "toolkit/views/common/finance.py"
PROFILE = "toolkit/views/common/send_profile.py"
GOVERNOR_HOME = "toolkit/views/governor/home.py"
COUNT = "fewer than 5"
HIDDEN = "hidden"
# Columns of figures that are not counts of pupils or awards, whatever their cells hold.
NOT_COUNTS = ("Outcomes judged", "Met or exceeded", "Outcomes met (all years)", "Gap (points)")
MONEY = ("Unmet", "Received", "Awarded", "Asked", "Spent", "Cost", "Protected funding", "Released")


def is_money_or_rate(column: str, values: list[str]) -> bool:
    shown = [v for v in values if v not in (COUNT, HIDDEN)]
    if column in NOT_COUNTS or column.startswith(MONEY) or "%" in column or "£" in column:
        return True
    return any(v.startswith(("£", "-£")) or v.endswith("%") for v in shown)


def labels_by_kind(at: AppTest) -> tuple[set[str], set[str]]:
    """(labels in money or percentage columns, labels in count columns) over every table."""
    money: set[str] = set()
    counts: set[str] = set()
    for frame in at.dataframe:
        table = frame.value
        for column in table.columns:
            values = [str(v) for v in table[column]]
            found = {v for v in values if v in (COUNT, HIDDEN)}
            (money if is_money_or_rate(str(column), values) else counts).update(found)
    return money, counts


@pytest.mark.parametrize(("username", "path"), [
    ("governor", IMPACT), ("la.adviser", IMPACT), ("la.adviser", FINANCE),
    ("governor.ap", PROFILE), ("la.adviser", LA_CLUSTERS)])
def test_money_and_percentages_read_hidden_and_only_counts_read_fewer_than_5(
        demo_database: str, username: str, path: str) -> None:
    at = open_view(APP, demo_database, username, path)
    money, counts = labels_by_kind(at)
    key = {FINANCE: state.FINANCE_SECTION, PROFILE: state.PROFILE_SECTION}.get(path)
    for tab in [tab.label for tab in at.tabs][1:] if key else []:  # one tab drawn at a time
        more_money, more_counts = labels_by_kind(open_tab(at, key, tab))
        money, counts = money | more_money, counts | more_counts
    assert COUNT not in money, path
    assert HIDDEN not in counts, path
    assert money or counts, "the demo hides something on every one of these pages"


def test_the_impact_page_labels_its_hidden_money_and_outcomes(demo_database: str) -> None:
    at = open_view(APP, demo_database, "governor", IMPACT)
    money, counts = labels_by_kind(at)
    assert money == {HIDDEN} and counts == {COUNT}
    outcomes = next(f.value for f in at.dataframe if "Met or exceeded" in f.value.columns)
    assert COUNT not in set(outcomes["Met or exceeded"]) | set(outcomes["Outcomes judged"])
    for metric in at.metric:
        if metric.label.startswith(("Received", "Awarded", "Unmet", "Cost", "Outcomes met")):
            assert metric.value != COUNT, metric.label
    text = page_text(at)
    assert "a hidden count reads 'fewer than 5'" in text
    assert "fewer than 5 pupils, so the amounts" not in text


def test_a_governors_home_says_hidden_for_money_and_outcomes(demo_database: str) -> None:
    at = open_view(APP, demo_database, "governor.ap", GOVERNOR_HOME)
    metrics = {m.label: m.value for m in at.metric}
    awarded = next(v for k, v in metrics.items() if k.startswith("Awarded to"))
    assert awarded == HIDDEN or awarded.startswith("£")
    assert metrics["Pupils supported this year"] == COUNT \
        or metrics["Pupils supported this year"].isdigit()
    met = metrics["Outcomes met or exceeded (all years)"]
    # The number met or "hidden": never the number judged standing under the word "met".
    assert COUNT not in met and "recorded" not in met and "judged" not in met
    assert met == HIDDEN or " of " in met


def test_the_sen_report_view_says_how_many_pupils_the_results_concern(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", SEN_REPORT)  # Aylsham Road: 10 pupils judged
    text = page_text(at)
    assert "Results (2023/24 to 2026/27) concern 10 pupils" in text
    assert "concern fewer than 5" not in text
