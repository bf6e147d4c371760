"""Charts say "No data yet" instead of drawing an empty axis, and break their lines over hidden
years."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from toolkit.components.charts import (
    NO_DATA,
    WATERFALL_ROW_PX,
    bars,
    has_figures,
    lines_over,
    waterfall,
)


def _page(rows: list[dict[str, object]]) -> None:
    from toolkit.components.charts import bars, chart_and_table

    chart_and_table(bars(rows, category="Area", value="£", value_title="£"), rows, key="t",
                    title="Test")


def test_an_all_zero_chart_says_no_data_yet_and_draws_no_axis() -> None:
    at = AppTest.from_function(_page, args=([{"Area": "SEMH", "£": 0}, {"Area": "MLD", "£": 0}],))
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == [NO_DATA]
    assert not at.get("vega_lite_chart")


def test_a_chart_with_a_figure_is_drawn() -> None:
    at = AppTest.from_function(_page, args=([{"Area": "SEMH", "£": 0}, {"Area": "MLD", "£": 5}],))
    at.run()
    assert not at.info
    assert at.get("vega_lite_chart")


def test_an_empty_table_has_no_figures() -> None:
    chart = bars([{"Area": "SEMH", "£": 0}], category="Area", value="£", value_title="£")
    assert chart is not None and not has_figures(chart)


def test_a_hidden_year_breaks_the_line_instead_of_dropping_to_zero() -> None:
    rows: list[dict[str, object]] = [{"Year": "2023/24", "M": "Received", "£": 100.0},
                                     {"Year": "2024/25", "M": "Received", "£": None},
                                     {"Year": "2025/26", "M": "Received", "£": 300.0}]
    chart = lines_over(rows, x="Year", y="£", series="M", y_title="£")
    assert chart is not None
    spec = chart.to_dict()
    assert spec["mark"]["invalid"] == "break-paths-filter-domains"
    assert [r["Year"] for r in spec["datasets"][next(iter(spec["datasets"]))]] == [
        "2023/24", "2024/25", "2025/26"]
    assert lines_over(rows[1:2], x="Year", y="£", series="M", y_title="£") is None


def test_a_narrow_table_sits_beside_its_chart() -> None:
    at = AppTest.from_function(_page, args=([{"Area": "SEMH", "£": 5}, {"Area": "MLD", "£": 7}],))
    at.run()
    assert not at.exception
    assert len(at.columns) == 2
    assert len(at.columns[1].dataframe) == 1


def test_a_table_too_wide_to_sit_beside_its_chart_goes_below_it_whole() -> None:
    # The pot's table beside its chart showed "£121,336" of £121,336.50, the rest cut off.
    rows: list[dict[str, object]] = [
        {"School": "Lenwade and Hockering Primary", "Pupils": 7, "Asked": "£1,707.20",
         "Received": "£1,138", "Unmet need": "£569.20", "Share received": "10%"}]
    at = AppTest.from_function(_page, args=(rows,))
    at.run()
    assert not at.exception
    assert not at.columns
    assert list(at.dataframe[0].value.columns) == list(rows[0])


def test_the_pot_waterfall_gives_every_line_a_row_where_its_name_can_be_read() -> None:
    """Upright, the pot's long line names overlapped and the chart showed only the first and the
    last; lying down, each line has a row of its own height whatever the page's width."""
    lines = [("LA formula (pupils × rate + fixed sum per school)", 12_133_650),
             ("Carried forward from last year", 1_240_000),
             ("Top-slice: Shared speech and language therapist", -1_400_000)]
    spec = waterfall(lines, "Available for new awards this year").to_dict()
    layer = spec["layer"][0]
    assert layer["encoding"]["y"]["field"] == "Line"
    assert layer["encoding"]["y"]["axis"]["labelLimit"] >= 300
    assert spec["height"] == {"step": WATERFALL_ROW_PX}
