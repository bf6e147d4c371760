"""Excel exports: no cell can ever be read as a formula."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from toolkit.documents.excel import safe_cell, table_workbook


@pytest.mark.parametrize(("value", "written"), [
    ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
    ("+44 1603 000000", "'+44 1603 000000"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("\x01=1+1", "'=1+1"),
    ("Aylsham Road Primary", "Aylsham Road Primary"),
    ("", ""),
    (-1234, -1234),
    (12.5, 12.5),
    (None, None),
    (date(2026, 11, 23), date(2026, 11, 23)),
])
def test_safe_cell_neutralises_text_that_starts_like_a_formula(value: object,
                                                               written: object) -> None:
    assert safe_cell(value) == written


def cells(data: bytes) -> list[tuple[object, str]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [(c.value, c.data_type) for row in sheet.iter_rows() for c in row]


def test_a_table_export_stores_no_formula_and_keeps_numbers_as_numbers() -> None:
    data = table_workbook("Pot = lines", [
        {"Line": "=1+1", "£": -950.0, "Note": "@cmd"},
        {"Line": "LA formula", "£": 121_336.5, "Note": None}], notes=["-source note"])
    written = cells(data)
    assert all(kind != "f" for _, kind in written)
    values = [v for v, _ in written if v is not None]
    assert "'-source note" in values and "'=1+1" in values and "'@cmd" in values
    assert -950 in values and 121_336.5 in values
    assert load_workbook(io.BytesIO(data)).active.title == "Pot = lines"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=8))
def test_no_text_ever_becomes_a_formula(texts: list[str]) -> None:
    data = table_workbook("t", [{"Value": t} for t in texts])
    for value, kind in cells(data):
        assert kind != "f"
        if isinstance(value, str):
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
