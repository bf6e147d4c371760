"""Charts for the SEND profile and finance views: altair charts drawn from the aggregated rows the
services return (never raw tables), each shown with its table beside it and an Excel download."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import altair as alt
import pandas as pd
import streamlit as st

from cluster.common.money import pounds_figure
from cluster.disclosure.suppression import HIDDEN_COUNT, HIDDEN_FIGURE
from cluster.papers.document import Count, Day, Figure, Money
from cluster.papers.workbook import XLSX_MIME, table_workbook

Row = Mapping[str, object]


def shown(value: object, text: str | None = None) -> object:
    """A count of pupils in a table: a hidden one reads "fewer than 5"."""
    if value is None:
        return HIDDEN_COUNT
    return text if text is not None else value


def pct(value: float | None, digits: int = 1) -> str:
    """A percentage: a hidden one reads "hidden" (it is not a number below 5)."""
    return HIDDEN_FIGURE if value is None else f"{value:.{digits}f}%"


def chart_and_table(chart: alt.Chart | alt.LayerChart | None, rows: Sequence[Row], *,
                    key: str, title: str, notes: Iterable[str] = (),
                    caption: str | None = None) -> None:
    """The chart with its table beside it (below it when the table is too wide to sit beside it
    whole), and the table as an Excel file under the table."""
    table = display_frame(rows)
    if fits_beside(table):
        left, right = st.columns(2, gap="medium")
    else:
        left = right = st.container()
    with left:
        if chart is None or not has_figures(chart):
            # An empty or all-zero chart would draw a bare axis reading "0.000000".
            st.info(NO_DATA)
        else:
            st.altair_chart(chart, width="stretch")
    with right:
        st.dataframe(table, hide_index=True, width="stretch")
        if caption:
            st.caption(caption)
        notes = tuple(notes)
        st.download_button(
            "Download this table (Excel)", data=lambda: table_workbook(title, rows, notes=notes),
            file_name=f"{key}.xlsx", mime=XLSX_MIME, key=f"download-{key}",
            icon=":material/download:", on_click="ignore")


# Half the page on a laptop holds about this many characters of table, with each column's
# padding counted as 3. A wider table beside its chart was cut off behind a scroll bar few people
# notice, showing half a sum ("£121,336" of £121,336.50) and hiding the last columns.
BESIDE_CHARACTERS = 56
COLUMN_PADDING = 3


def fits_beside(table: pd.DataFrame) -> bool:
    """Whether every column of the table shows whole in half the page's width."""
    widths = [max([len(str(column)), *(len(str(v)) for v in table[column])]) + COLUMN_PADDING
              for column in table.columns]
    return sum(widths) <= BESIDE_CHARACTERS


NO_DATA = "No data yet: every figure here is hidden, zero or not recorded."


def has_figures(chart: alt.Chart | alt.LayerChart) -> bool:
    """Whether the chart has a figure other than zero to draw (a chart whose data is not a
    table it holds is drawn as it is)."""
    layers = [chart, *chart.layer] if isinstance(chart, alt.LayerChart) else [chart]
    tables = [layer.data for layer in layers if isinstance(layer.data, pd.DataFrame)]
    if not tables:
        return True
    for table in tables:
        numbers = table.select_dtypes("number")
        if not table.empty and (numbers.empty or bool(numbers.fillna(0).abs().to_numpy().sum())):
            return True
    return False


def display_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (Money, Count, Figure, Day)):
        return value.text
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def display_frame(rows: Sequence[Row]) -> pd.DataFrame:
    """The table as the screen shows it: a column mixing figures and "hidden" is text, with
    thousands separators (the Excel download keeps the figures as numbers)."""
    table = pd.DataFrame(list(rows))
    for column in table.columns:
        values = list(table[column])
        if any(isinstance(v, (str, int, Money, Count, Figure, Day)) for v in values):
            table[column] = [display_text(v) for v in values]
    return table


def frame(rows: Sequence[Row]) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


WATERFALL_ROW_PX = 34


def waterfall(lines: Sequence[tuple[str, int]], total_label: str) -> alt.LayerChart:
    """Each pot line as a bar from the running total before it to the one after it; the last bar,
    the total, from zero."""
    data = []
    running = 0
    for order, (label, pence) in enumerate(lines):
        start, end = running, running + pence
        data.append({"Line": label, "order": order, "From (£)": pounds_figure(start),
                     "To (£)": pounds_figure(end), "Amount": f"{pounds_figure(pence):+,.0f}",
                     "Kind": "adds" if pence >= 0 else "takes"})
        running = end
    data.append({"Line": total_label, "order": len(lines), "From (£)": 0,
                 "To (£)": pounds_figure(running),
                 "Amount": f"{pounds_figure(running):,.0f}", "Kind": "available"})
    colours = alt.Scale(domain=["adds", "takes", "available"],
                        range=["#4c78a8", "#e45756", "#54a24b"])
    # Lying down, so every line's name can be read: upright, the long names overlapped and the
    # chart hid all but the first and last.
    bars = alt.Chart(pd.DataFrame(data)).mark_bar().encode(
        y=alt.Y("Line:N", sort=alt.SortField("order"), title=None,
                axis=alt.Axis(labelLimit=320)),
        x=alt.X("From (£):Q", title="£"), x2="To (£):Q",
        color=alt.Color("Kind:N", scale=colours, legend=alt.Legend(title=None, orient="top")),
        tooltip=["Line", "Amount"]).properties(height=alt.Step(WATERFALL_ROW_PX))
    return alt.LayerChart(layer=[bars])


def lines_over(rows: Sequence[Row], *, x: str, y: str, series: str, y_title: str,
               x_sort: Sequence[str] | None = None) -> alt.Chart | None:
    """A line for each series; a point whose figure is None (hidden, or not recorded) breaks
    its line there, rather than the line jumping the gap or dropping to £0."""
    data = [r for r in rows if r.get(y) is None or isinstance(r.get(y), (int, float))]
    if not any(r.get(y) is not None for r in data):
        return None
    return alt.Chart(frame(data)).mark_line(
        point=True, invalid="break-paths-filter-domains").encode(
        x=alt.X(f"{x}:N", sort=list(x_sort) if x_sort else None, title=None,
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{y}:Q", title=y_title),
        color=alt.Color(f"{series}:N", legend=alt.Legend(title=None, orient="top")),
        tooltip=[x, series, alt.Tooltip(f"{y}:Q", format=",.1f")]).properties(height=320)


def grouped_bars(rows: Sequence[Row], *, category: str, value: str, group: str, value_title: str,
                 horizontal: bool = True) -> alt.Chart | None:
    data = [r for r in rows if isinstance(r.get(value), (int, float))]
    if not data:
        return None
    if horizontal:
        encoding = {"y": alt.Y(f"{category}:N", title=None, sort=None,
                               axis=alt.Axis(labelLimit=260)),
                    "yOffset": alt.YOffset(f"{group}:N"),
                    "x": alt.X(f"{value}:Q", title=value_title)}
    else:
        encoding = {"x": alt.X(f"{category}:N", title=None, sort=None,
                               axis=alt.Axis(labelAngle=0)),
                    "xOffset": alt.XOffset(f"{group}:N"),
                    "y": alt.Y(f"{value}:Q", title=value_title)}
    return alt.Chart(frame(data)).mark_bar().encode(
        color=alt.Color(f"{group}:N", legend=alt.Legend(title=None, orient="top")),
        tooltip=[category, group, alt.Tooltip(f"{value}:Q", format=",.1f")],
        **encoding).properties(height=max(260, 26 * len({r[category] for r in data}) * 2))


def bars(rows: Sequence[Row], *, category: str, value: str, value_title: str,
         sort: Sequence[str] | None = None) -> alt.Chart | None:
    data = [r for r in rows if isinstance(r.get(value), (int, float))]
    if not data:
        return None
    return alt.Chart(frame(data)).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None, sort=list(sort) if sort else None,
                axis=alt.Axis(labelLimit=260)),
        x=alt.X(f"{value}:Q", title=value_title),
        tooltip=[category, alt.Tooltip(f"{value}:Q", format=",.1f")]).properties(height=280)
