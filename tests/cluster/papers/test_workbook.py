"""Excel exports a finance office can use: money is numbers with a £ format (negatives too),
dates are dates, and no text can ever be read as a formula, yet it reads as typed (Excel's
quote-prefix style, no apostrophe)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from cluster.papers.document import Count, Day, Document, Heading, Money, Paragraph, table
from cluster.papers.workbook import FORMULA_TRIGGERS, render_xlsx, table_workbook


def cells(data: bytes) -> list[Cell]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [c for row in sheet.iter_rows() for c in row if c.value is not None]


def by_value(data: bytes) -> dict[object, Cell]:
    return {c.value: c for c in cells(data)}


def test_money_is_a_number_with_a_pound_format_negatives_too() -> None:
    data = table_workbook("Pot", [{"Line": "Carried forward", "Amount": Money(-950_000)},
                                  {"Line": "LA formula", "Amount": Money(12_133_650)}])
    found = by_value(data)
    for pounds in (-9500, 121_336.5):
        cell = found[pounds]
        assert cell.data_type == "n" and "£" in cell.number_format
    assert not any(isinstance(c.value, str) and "£" in c.value for c in cells(data))


def test_hidden_money_and_counts_read_as_words() -> None:
    data = table_workbook("t", [{"Pupils": Count(None, "fewer than 5"), "Money": Money(None)}])
    assert {"fewer than 5", "hidden"} <= set(by_value(data))


def test_dates_are_dates_shown_the_british_way() -> None:
    data = table_workbook("t", [{"Due": Day(date(2027, 1, 20))}, {"Due": date(2027, 4, 1)}])
    for day in (datetime(2027, 1, 20), datetime(2027, 4, 1)):
        cell = by_value(data)[day]
        assert cell.is_date and cell.number_format == "DD/MM/YYYY"


@pytest.mark.parametrize("text", ["= Available for new awards", "+SUM(1,2)", "-2+3", "@cmd",
                                  "=HYPERLINK(\"http://evil\",\"x\")"])
def test_text_that_starts_like_a_formula_stays_text_and_shows_no_apostrophe(text: str) -> None:
    data = table_workbook("t", [{"School": text}], notes=[text])
    written = [c for c in cells(data) if c.value == text]
    assert len(written) == 2
    assert all(c.data_type == "s" and c.quotePrefix for c in written)
    assert not any(str(c.value).startswith("'") for c in cells(data))


def test_control_characters_are_removed_and_a_word_line_break_is_a_line_break() -> None:
    data = table_workbook("t", [{"School": "Aylsham\x0bRoad\x01 Primary", "Note": "\x00=1+1"}])
    values = set(by_value(data))
    assert "Aylsham\nRoad Primary" in values
    assert by_value(data)["=1+1"].quotePrefix


def test_a_documents_tables_become_sheets_with_typed_cells() -> None:
    document = Document(Heading("Minutes", "Wensum Valley Cluster", "Spring 1", date(2027, 1, 20)),
                        (Paragraph("words"),
                         table(["School", "Agreed"], [["+SUM(1,2)", Money(210_000)]],
                               title="Decisions"),
                         table(["School", "Agreed"], [["B", Money(-100)]], title="Decisions")))
    workbook = load_workbook(io.BytesIO(render_xlsx(document)))
    assert workbook.sheetnames == ["Decisions", "Decisions (2)"]
    agreed = [c for c in workbook["Decisions"].iter_rows() for c in c if c.value == 2100]
    assert agreed and agreed[0].data_type == "n"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=8))
def test_no_text_ever_becomes_a_formula(texts: list[str]) -> None:
    data = table_workbook("t", [{"Value": t} for t in texts])
    for cell in cells(data):
        assert cell.data_type != "f"
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
            assert cell.quotePrefix
